package org.haxm.api;

import static org.haxm.api.TestGuest.CODE;
import static org.haxm.api.TestGuest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Port I/O exits through the API (haxm-api.md §4.2): simple OUT/IN and REP INS/OUTS in batches of 64 bytes. */
class PortIoExitTest {

    /** Real mode: mov al,0x5a; out 0x80,al; mov ax,0x1234; out 0x81,ax; mov eax,0xdeadbeef; out 0x82,eax; hlt */
    static final byte[] OUT_IMM8 = bytes(
        0xB0, 0x5A,                         // +0x00 mov al, 0x5a
        0xE6, 0x80,                         // +0x02 out 0x80, al
        0xB8, 0x34, 0x12,                   // +0x04 mov ax, 0x1234
        0xE7, 0x81,                         // +0x07 out 0x81, ax
        0x66, 0xB8, 0xEF, 0xBE, 0xAD, 0xDE, // +0x09 mov eax, 0xdeadbeef
        0x66, 0xE7, 0x82,                   // +0x0f out 0x82, eax
        0xF4);                              // +0x12 hlt

    @Test
    void outImm8OfEachSizeExitsWithPortSizeDataAndRipPastTheInstruction() {
        try (TestGuest g = TestGuest.real(OUT_IMM8)) {
            expectOut(g, 0x80, 1, 0x5A, CODE + 0x04);
            expectOut(g, 0x81, 2, 0x1234, CODE + 0x09);
            expectOut(g, 0x82, 4, 0xDEADBEEFL, CODE + 0x12);
            assertEquals(HaxExitStatus.HLT, g.run());
        }
    }

    /** Real mode: mov dx,0x3f8; mov al,0x11; out dx,al; mov ax,0x2233; out dx,ax; mov eax,0x44556677; out dx,eax; hlt */
    static final byte[] OUT_DX = bytes(
        0xBA, 0xF8, 0x03,                   // +0x00 mov dx, 0x3f8
        0xB0, 0x11,                         // +0x03 mov al, 0x11
        0xEE,                               // +0x05 out dx, al
        0xB8, 0x33, 0x22,                   // +0x06 mov ax, 0x2233
        0xEF,                               // +0x09 out dx, ax
        0x66, 0xB8, 0x77, 0x66, 0x55, 0x44, // +0x0a mov eax, 0x44556677
        0x66, 0xEF,                         // +0x10 out dx, eax
        0xF4);                              // +0x12 hlt

    @Test
    void outDxOfEachSizeUsesThePortInDx() {
        try (TestGuest g = TestGuest.real(OUT_DX)) {
            expectOut(g, 0x3F8, 1, 0x11, CODE + 0x06);
            expectOut(g, 0x3F8, 2, 0x2233, CODE + 0x0A);
            expectOut(g, 0x3F8, 4, 0x44556677L, CODE + 0x12);
        }
    }

    private static void expectOut(TestGuest g, int port, int size, long value, long ripAfter) {
        assertEquals(HaxExitStatus.IO, g.run());
        HaxTunnel t = g.tunnel;
        assertEquals(port, t.ioPort());
        assertEquals(size, t.ioSize());
        assertEquals(0, t.ioDirection(), "OUT");
        assertEquals(1, t.ioCount());
        assertFalse(t.ioString());
        long data = switch (size) {
            case 1 -> t.ioBuffer().get(0) & 0xFFL;
            case 2 -> t.ioBuffer().getShort(0) & 0xFFFFL;
            default -> t.ioBuffer().getInt(0) & 0xFFFF_FFFFL;
        };
        assertEquals(value, data);
        assertEquals(ripAfter, g.rip(), "RIP is past the OUT when the caller sees it");
        assertEquals(30, t.exitReason(), "basic exit reason I/O instruction");
    }

    /** Real mode: mov eax,0xffffffff; mov dx,0x60; in al,dx; in ax,dx; in eax,dx; hlt */
    static final byte[] IN_DX = bytes(
        0x66, 0xB8, 0xFF, 0xFF, 0xFF, 0xFF, // +0x00 mov eax, 0xffffffff
        0xBA, 0x60, 0x00,                   // +0x06 mov dx, 0x60
        0xEC,                               // +0x09 in al, dx
        0xED,                               // +0x0a in ax, dx
        0x66, 0xED,                         // +0x0b in eax, dx
        0xF4);                              // +0x0d hlt

    @Test
    void inTakesTheCallersValueIntoAlAxEaxOnTheNextRun() {
        try (TestGuest g = TestGuest.real(IN_DX)) {
            assertEquals(HaxExitStatus.IO, g.run());
            assertEquals(1, g.tunnel.ioDirection(), "IN");
            assertEquals(1, g.tunnel.ioSize());
            assertEquals(0x60, g.tunnel.ioPort());
            assertEquals(CODE + 0x09, g.rip(), "IN is completed on the next run, RIP still at it");
            g.tunnel.ioBuffer().put(0, (byte) 0x42);

            assertEquals(HaxExitStatus.IO, g.run());
            assertEquals(0xFFFF_FF42L, g.gpr(0), "AL replaced, rest of EAX kept");
            assertEquals(2, g.tunnel.ioSize());
            g.tunnel.ioBuffer().putShort(0, (short) 0xBEEF);

            assertEquals(HaxExitStatus.IO, g.run());
            assertEquals(0xFFFF_BEEFL, g.gpr(0), "AX replaced, upper half kept");
            assertEquals(4, g.tunnel.ioSize());
            g.tunnel.ioBuffer().putInt(0, 0x01020304);

            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0x01020304L, g.gpr(0));
            assertEquals(CODE + 0x0E, g.rip());
        }
    }

    /** 64-bit: mov rax,-1; mov dx,0x60; in eax,dx; hlt */
    static final byte[] LONG_IN_EAX = bytes(
        0x48, 0xC7, 0xC0, 0xFF, 0xFF, 0xFF, 0xFF, // +0x00 mov rax, -1
        0x66, 0xBA, 0x60, 0x00,                   // +0x07 mov dx, 0x60
        0xED,                                     // +0x0b in eax, dx
        0xF4);                                    // +0x0c hlt

    @Test
    void inEaxZeroExtendsIntoRaxInLongMode() {
        try (TestGuest g = TestGuest.long64(LONG_IN_EAX)) {
            assertEquals(HaxExitStatus.IO, g.run());
            assertEquals(4, g.tunnel.ioSize());
            assertEquals(1, g.tunnel.ioDirection());
            g.tunnel.ioBuffer().putInt(0, 0x8765_4321);
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0x8765_4321L, g.gpr(0), "a 32-bit destination clears bits 63:32 (SDM Vol. 1 §3.4.1.1)");
            assertEquals(CODE + 0x0D, g.rip());
        }
    }

    /** Real mode: cld; mov si,0x2000; mov cx,100; mov dx,0xe9; rep outsb; hlt */
    static final byte[] REP_OUTSB = bytes(
        0xFC,                   // +0x00 cld
        0xBE, 0x00, 0x20,       // +0x01 mov si, 0x2000
        0xB9, 0x64, 0x00,       // +0x04 mov cx, 100
        0xBA, 0xE9, 0x00,       // +0x07 mov dx, 0xe9
        0xF3, 0x6E,             // +0x0a rep outsb
        0xF4);                  // +0x0c hlt

    @Test
    void repOutsbOf100BytesIsTwoExitsOf64And36() {
        try (TestGuest g = TestGuest.real(REP_OUTSB)) {
            byte[] data = new byte[100];
            for (int i = 0; i < 100; i++) data[i] = (byte) (i * 7 + 3);
            g.load(0x2000, data);

            assertEquals(HaxExitStatus.IO, g.run());
            HaxTunnel t = g.tunnel;
            assertTrue(t.ioString());
            assertEquals(0, t.ioDirection());
            assertEquals(0xE9, t.ioPort());
            assertEquals(1, t.ioSize());
            assertEquals(64, t.ioCount());
            assertEquals(0x2000, t.ioVaddr());
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 0, 64), buffer(t, 64));
            HaxVcpuState s = g.regs();
            assertEquals(0x2040, s.regs[6], "RSI advanced by 64");
            assertEquals(36, s.regs[1], "RCX decremented by 64");
            assertEquals(CODE + 0x0A, s.rip, "RIP stays on the REP OUTSB until the last batch");

            assertEquals(HaxExitStatus.IO, g.run());
            assertEquals(36, t.ioCount());
            assertEquals(0x2040, t.ioVaddr());
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 64, 100), buffer(t, 36));
            s = g.regs();
            assertEquals(0x2064, s.regs[6]);
            assertEquals(0, s.regs[1]);
            assertEquals(CODE + 0x0C, s.rip, "RIP past the instruction with the last batch");

            assertEquals(HaxExitStatus.HLT, g.run());
        }
    }

    /** Real mode: cld; mov di,0x3000; mov cx,100; mov dx,0x60; rep insb; hlt */
    static final byte[] REP_INSB = bytes(
        0xFC,                   // +0x00 cld
        0xBF, 0x00, 0x30,       // +0x01 mov di, 0x3000
        0xB9, 0x64, 0x00,       // +0x04 mov cx, 100
        0xBA, 0x60, 0x00,       // +0x07 mov dx, 0x60
        0xF3, 0x6C,             // +0x0a rep insb
        0xF4);                  // +0x0c hlt

    @Test
    void repInsbOf100BytesWritesGuestMemoryInTwoBatches() {
        try (TestGuest g = TestGuest.real(REP_INSB)) {
            byte[] data = new byte[100];
            for (int i = 0; i < 100; i++) data[i] = (byte) (0xA0 ^ i);
            HaxTunnel t = g.tunnel;

            assertEquals(HaxExitStatus.IO, g.run());
            assertTrue(t.ioString());
            assertEquals(1, t.ioDirection());
            assertEquals(64, t.ioCount());
            assertEquals(0x3000, t.ioVaddr());
            t.ioBuffer().put(0, data, 0, 64);

            assertEquals(HaxExitStatus.IO, g.run());
            assertEquals(36, t.ioCount());
            assertEquals(0x3040, t.ioVaddr());
            HaxVcpuState s = g.regs();
            assertEquals(0x3040, s.regs[7], "RDI advanced by the first batch");
            assertEquals(36, s.regs[1]);
            assertEquals(CODE + 0x0A, s.rip);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 0, 64), g.read(0x3000, 64));
            t.ioBuffer().put(0, data, 64, 36);

            assertEquals(HaxExitStatus.HLT, g.run());
            s = g.regs();
            assertEquals(0x3064, s.regs[7]);
            assertEquals(0, s.regs[1]);
            assertEquals(CODE + 0x0D, s.rip);
            assertArrayEquals(data, g.read(0x3000, 100));
            assertEquals(0, g.read(0x3064, 1)[0], "nothing written past the 100 bytes");
        }
    }

    private static byte[] buffer(HaxTunnel t, int n) {
        byte[] b = new byte[n];
        t.ioBuffer().get(0, b, 0, n);
        return b;
    }

    /** 64-bit: cld; mov esi,0x2000; mov ecx,100; mov dx,0xe9; rep outsb; hlt */
    static final byte[] LONG_REP_OUTSB = bytes(
        0xFC,                               // +0x00 cld
        0xBE, 0x00, 0x20, 0x00, 0x00,       // +0x01 mov esi, 0x2000
        0xB9, 0x64, 0x00, 0x00, 0x00,       // +0x06 mov ecx, 100
        0x66, 0xBA, 0xE9, 0x00,             // +0x0b mov dx, 0xe9
        0xF3, 0x6E,                         // +0x0f rep outsb (64-bit address size: RSI, RCX)
        0xF4);                              // +0x11 hlt

    @Test
    void repOutsbInLongModeUsesRsiAndRcx() {
        try (TestGuest g = TestGuest.long64(LONG_REP_OUTSB)) {
            byte[] data = new byte[100];
            for (int i = 0; i < 100; i++) data[i] = (byte) (255 - i);
            g.load(0x2000, data);
            assertEquals(HaxExitStatus.IO, g.run());
            assertEquals(64, g.tunnel.ioCount());
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 0, 64), buffer(g.tunnel, 64));
            HaxVcpuState s = g.regs();
            assertEquals(0x2040, s.regs[6]);
            assertEquals(36, s.regs[1]);
            assertEquals(CODE + 0x0F, s.rip);
            assertEquals(HaxExitStatus.IO, g.run());
            assertEquals(36, g.tunnel.ioCount());
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 64, 100), buffer(g.tunnel, 36));
            assertEquals(CODE + 0x11, g.rip());
            assertEquals(HaxExitStatus.HLT, g.run());
        }
    }
}
