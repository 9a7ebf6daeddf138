package org.haxm.emulator.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * Hand-written engine tests for the edge cases the differential test found, with the results
 * the host CPU produced (they run without gcc, on any host). Each case starts in the same state
 * the differential test uses: CPL 3, flat segments, {@link Layout} addresses.
 */
class EdgeCaseTest {
    /** Linux's user selectors (ES CS SS DS FS GS) in a 64-bit and a 32-bit process. */
    private static final int[] SEL64 = {0, 0x33, 0x2B, 0, 0, 0}, SEL32 = {0x2B, 0x23, 0x2B, 0x2B, 0, 0x63};
    private static final long FLAGS = 0x202 | CaseBuilder.CF | CaseBuilder.ZF | CaseBuilder.OF;

    private static Outcome run(int mode, String hex, long[] regs, byte[] window) {
        EngineRunner e = new EngineRunner(mode, mode == 64 ? SEL64 : SEL32, false);
        long[] r = new long[16];
        System.arraycopy(regs, 0, r, 0, regs.length);
        if (r[4] == 0) r[4] = Layout.STACK;
        return e.run(new TestCase(mode, "edge", HexFormat.of().parseHex(hex), r, FLAGS, window, 0, 0));
    }

    @Test
    void shiftByMaskedZeroStillZeroExtendsA32BitRegister() {
        // shl eax, cl with CL = 0x80: masked count 0, flags untouched, RAX[63:32] cleared.
        Outcome o = run(64, "d3e0", new long[] {0xFFFF_FFFF_FFFFL, 0x80}, new byte[Layout.WINDOW]);
        assertEquals(-1, o.vector());
        assertEquals(0xFFFF_FFFFL, o.regs()[0]);
        assertEquals(FLAGS, o.rflags() & 0xFFF);
        // rol esi, 0x20 and rcl r10d, 0x40: the same for rotates.
        assertEquals(0x2747C242L, run(64, "c1c620", new long[] {0, 0, 0, 0, 0, 0, 0x8C997D492747C242L}, new byte[Layout.WINDOW]).regs()[6]);
        long[] r = new long[11];
        r[10] = 0x5AC6C53ED3FB43F0L;
        assertEquals(0xD3FB43F0L, run(64, "41c1d240", r, new byte[Layout.WINDOW]).regs()[10]);
    }

    @Test
    void doubleShiftByMaskedZeroStillZeroExtends() {
        // shrd r11d, edx, cl with CL = 0x20 (host: R11 = 0xFFFFFFFF)
        long[] r = new long[12];
        r[1] = 0x20;
        r[2] = 0xF8748744AD7EF367L;
        r[11] = 0xFEFF_FFFF_FFFF_FFFFL;
        Outcome o = run(64, "410fadd3", r, new byte[Layout.WINDOW]);
        assertEquals(0xFFFF_FFFFL, o.regs()[11]);
        assertEquals(FLAGS, o.rflags() & 0xFFF);
    }

    @Test
    void shiftByMaskedZeroLeavesMemoryAlone() {
        // shl dword [rbx], cl with CL = 0x20: memory keeps its value, nothing outside is written.
        byte[] w = new byte[Layout.WINDOW];
        w[0x100] = 0x55;
        Outcome o = run(64, "d323", new long[] {0, 0x20, 0, Layout.DATA + 0x100}, w);
        assertEquals(0x55, o.window()[0x100]);
        assertEquals(false, o.outsideWritten());
    }

    @Test
    void xaddWhoseSourceIsTheBaseRegisterWritesTheOriginalAddress() {
        // lock xadd word [eax+0x1a], ax with EAX = 0x50127: the sum goes to 0x50141, AX = old word.
        byte[] w = new byte[Layout.WINDOW];
        w[0x141] = 0x34;
        w[0x142] = 0x12;
        Outcome o = run(32, "f0660fc1401a", new long[] {0x50127}, w);
        assertEquals(-1, o.vector());
        int sum = (0x1234 + 0x0127) & 0xFFFF;
        assertEquals((byte) sum, o.window()[0x141]);
        assertEquals((byte) (sum >> 8), o.window()[0x142]);
        assertEquals(0x50000L | 0x1234, o.regs()[0]);
        assertEquals(false, o.outsideWritten());
        // Unlocked, 64-bit: xadd [rbx], rbx — memory gets old + RBX, RBX gets the old value.
        byte[] w2 = new byte[Layout.WINDOW];
        w2[0x100] = 7;
        Outcome o2 = run(64, "480fc11b", new long[] {0, 0, 0, Layout.DATA + 0x100}, w2);
        assertEquals(-1, o2.vector());
        assertEquals(7, o2.regs()[3]);
        assertEquals((byte) (Layout.DATA + 0x100 + 7), o2.window()[0x100]);
        assertEquals(false, o2.outsideWritten());
    }

    @Test
    void repInsWithZeroCountStillChecksIoPermission() {
        // rep insb at CPL 3, IOPL 0, no I/O bitmap, RCX = 0: #GP(0) as on the host, in both modes.
        assertEquals(13, run(64, "f36c", new long[] {0, 0, 0x80}, new byte[Layout.WINDOW]).vector());
        assertEquals(13, run(32, "f36e", new long[] {0, 0, 0x80}, new byte[Layout.WINDOW]).vector());
        assertEquals(13, run(64, "ec", new long[] {0, 0, 0x80}, new byte[Layout.WINDOW]).vector());
    }

    @Test
    void shiftByMaskedZeroStillChecksThatMemoryIsWritable() {
        // 32-bit mode: ror dword cs:[0x5012f], cl with CL = 0 — CS is not writable: #GP(0) as on the host.
        assertEquals(13, run(32, "2ed30d2f010500", new long[] {0, 0}, new byte[Layout.WINDOW]).vector());
        // shld dword cs:[edi], eax, 0x20 (masked count 0): the same.
        assertEquals(13, run(32, "2e0fa40720", new long[] {0, 0, 0, 0, 0, 0, 0, 0x50110}, new byte[Layout.WINDOW]).vector());
        // Through DS the same instruction completes and leaves memory as it was.
        Outcome ok = run(32, "d30d2f010500", new long[] {0, 0}, new byte[Layout.WINDOW]);
        assertEquals(-1, ok.vector());
        assertEquals(false, ok.outsideWritten());
    }
}
