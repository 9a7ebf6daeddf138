package org.haxm.emulator.diff;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * Builds one {@link TestCase}: random registers, flags and window, and a small x86 encoder
 * (legacy prefixes, REX, VEX, ModRM/SIB/displacement, immediates) of our own, so every operand
 * form — register, memory in each addressing form, high-byte registers, REX, RIP-relative,
 * 0x67 address size — is produced from one description. Memory operands are placed in the
 * window by choosing the base/index register values after the addressing form is chosen.
 */
final class CaseBuilder {
    static final long CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, DF = 0x400, OF = 0x800;
    static final long STATUS = CF | PF | AF | ZF | SF | OF;

    final int mode;
    final Random rnd;
    final long[] regs = new long[16];
    long rflags;
    final byte[] window = new byte[Layout.WINDOW];
    long undefinedFlags;
    int undefinedRegs;
    /** Registers a memory operand must not use as base or index (their values are set by the class). */
    int pinned;
    /** 32-bit and 16-bit code: 16-bit addressing forms may be generated (the data pages are mapped at LOW). */
    boolean low16;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int ripFixup = -1;
    private long ripTarget;

    CaseBuilder(int mode, Random rnd) {
        this.mode = mode;
        this.rnd = rnd;
        for (int i = 0; i < 16; i++) regs[i] = i < nregs() ? value() : 0;
        regs[4] = Layout.STACK;
        pinned = 1 << 4;
        rnd.nextBytes(window);
        // Random status flags and DF; IF is always set in user mode (popf cannot change it at IOPL 0).
        rflags = 0x202 | (rnd.nextLong() & (STATUS | DF));
    }

    int nregs() { return mode == 64 ? 16 : 8; }

    boolean chance(double p) { return rnd.nextDouble() < p; }

    int pick(int n) { return rnd.nextInt(n); }

    /** A register number valid in this mode. */
    int reg() { return rnd.nextInt(nregs()); }

    /** A register number that is not pinned. */
    int freeReg() {
        int r;
        do { r = reg(); } while ((pinned >> r & 1) != 0);
        return r;
    }

    /** An "interesting" random value: boundaries, small numbers, sign bits, or uniform bits. */
    long value() {
        switch (rnd.nextInt(10)) {
            case 0: return 0;
            case 1: return -1L;
            case 2: return rnd.nextInt(256);
            case 3: return 1L << rnd.nextInt(64);
            case 4: return (1L << rnd.nextInt(64)) - 1;
            case 5: return ~(1L << rnd.nextInt(64));
            case 6: return rnd.nextInt(5) - 2;
            default: return rnd.nextLong();
        }
    }

    /** Sets register {@code r} and pins it. */
    void set(int r, long v) {
        regs[r] = v;
        pinned |= 1 << r;
    }

    void undefined(long flags) { undefinedFlags |= flags; }

    // ------------------------------------------------------------------------------------------
    // Memory operands

    /** A memory operand: [base + index*scale + disp], RIP-relative, or absolute disp32. */
    static final class Mem {
        int base = -1, index = -1, scale;
        long disp;
        /** The address the operand was built to reach. */
        long target;
        boolean ripRelative, addr32;
        /** 16-bit addressing (32-bit mode with 0x67): ModRM r/m and mod of the 16-bit table. */
        boolean addr16;
        int rm16, mod16;

        int addressSize() { return addr16 ? 16 : addr32 ? 32 : 64; }
        /** Segment-override prefix to emit, or 0. */
        int segment;
    }

    /** A memory operand anywhere in [MEM_LO, MEM_HI), in a random addressing form. */
    Mem mem() { return memAt(Layout.MEM_LO + rnd.nextInt((int) (Layout.MEM_HI - Layout.MEM_LO))); }

    /** A memory operand that addresses {@code target}, with random 0x67 in 64-bit mode. */
    Mem memAt(long target) { return memAt(target, mode == 64 && chance(0.2)); }

    /** The operand size without a 0x66 prefix: 2 in 16-bit code, else 4 (8 needs REX.W). */
    int defaultSize() { return mode == 16 ? 2 : 4; }

    /** The address size without a 0x67 prefix. */
    int defaultAddressSize() { return mode == 64 ? 64 : mode; }

    Mem memAt(long target, boolean addr32) {
        // 16-bit code addresses with 16 bits by default (through the LOW alias), 32 with 0x67.
        if (low16 && chance(mode == 16 ? 0.6 : 0.2)) return mem16(target);
        Mem m = new Mem();
        m.addr32 = addr32 || mode != 64;
        m.target = target;
        if (chance(0.15)) {
            // Segment overrides: GS (base GS_BASE) in 64-bit mode, and the ones that change nothing
            // here (ES/SS/DS; CS too for reads in 32-bit mode, ignored in 64-bit mode).
            int[] seg = segmentOverrides();
            m.segment = seg[rnd.nextInt(seg.length)];
            if (m.segment == 0x65) target -= Layout.GS_BASE;
        }
        int form = rnd.nextInt(7);
        if (form >= 3 && form <= 4) {
            m.index = freeIndex();
            if (m.index < 0) form = 0;
        }
        switch (form) {
            case 0, 1, 2, 3 -> {
                m.base = freeReg();
                if (m.base == m.index) m.base = -1; // index only
                m.disp = form == 0 ? 0 : form == 1 || chance(0.5) ? rnd.nextInt(256) - 128 : rnd.nextInt(1 << 20) - (1 << 19);
            }
            case 4 -> { } // index*scale + disp32, disp set below
            case 5 -> {
                if (mode == 64 && !m.addr32) m.ripRelative = true; else m.disp = target;
            }
            default -> m.disp = target; // absolute disp32
        }
        if (m.index >= 0) {
            m.scale = rnd.nextInt(4);
            long iv = rnd.nextInt(129) - 64;
            regs[m.index] = junkHigh(iv, m.addr32);
            pinned |= 1 << m.index;
            if (m.base < 0) m.disp = target - (iv << m.scale);
        }
        if (m.base >= 0) {
            long bv = target - m.disp - (m.index >= 0 ? (long) (int) regs[m.index] << m.scale : 0);
            if (m.index >= 0 && !m.addr32) bv = target - m.disp - (regs[m.index] << m.scale);
            regs[m.base] = junkHigh(bv, m.addr32);
            pinned |= 1 << m.base;
        }
        if (m.ripRelative) ripTarget = m.target - (m.segment == 0x65 ? Layout.GS_BASE : 0);
        return m;
    }

    /**
     * A 16-bit address (SDM Vol. 2 Table 2-1) reaching {@code target} through the LOW alias:
     * [BX+SI], [BX+DI], [BP+SI], [BP+DI], [SI], [DI], [BP], [BX] with no, 8- or 16-bit
     * displacement, or [disp16]; the sum wraps at 64 KiB and the registers' upper halves are junk.
     */
    private Mem mem16(long target) {
        Mem m = new Mem();
        m.addr16 = true;
        m.target = target;
        if (chance(0.15)) { int[] seg = segmentOverrides(); m.segment = seg[rnd.nextInt(seg.length)]; }
        long t16 = target - Layout.DATA + Layout.LOW;
        int[][] regsOf = {{3, 6}, {3, 7}, {5, 6}, {5, 7}, {6}, {7}, {5}, {3}};
        int rm = rnd.nextInt(8), mod = rnd.nextInt(3);
        boolean free = true;
        for (int r : regsOf[rm]) free &= (pinned >> r & 1) == 0;
        if (!free || (mod == 0 && rm == 6)) { rm = 6; mod = 0; }
        m.rm16 = rm;
        m.mod16 = mod;
        if (mod == 0 && rm == 6) { m.disp = t16; return m; }
        m.disp = mod == 0 ? 0 : mod == 1 ? rnd.nextInt(256) - 128 : rnd.nextInt(0x10000);
        int[] rs = regsOf[rm];
        long rest = t16 - (mod == 2 ? (short) m.disp : m.disp);
        if (rs.length == 2) {
            long idx = rnd.nextInt(0x10000);
            regs[rs[1]] = idx | (rnd.nextLong() << 16 & 0xFFFF_0000L);
            rest -= idx;
        }
        regs[rs[0]] = (rest & 0xFFFF) | (rnd.nextLong() << 16 & 0xFFFF_0000L);
        for (int r : rs) pinned |= 1 << r;
        return m;
    }

    /** [rSP + disp]: for PUSH/POP r/m, where the address depends on when rSP changes. */
    Mem stackMem() {
        Mem m = new Mem();
        m.addr32 = mode != 64;
        m.base = 4;
        m.disp = 8 * (rnd.nextInt(9) - 4);
        m.target = Layout.STACK + m.disp;
        return m;
    }

    /** Writes {@code size} bytes of {@code value} into the window at address {@code at}. */
    void poke(long at, int size, long value) {
        int o = (int) (at - Layout.DATA);
        for (int i = 0; i < size; i++) window[o + i] = (byte) (value >>> (8 * i));
    }

    /**
     * Segment overrides whose base matches the case's memory: GS (based at GS_BASE) and the
     * ignored ES/CS/SS/DS in 64-bit mode; ES/SS/DS/CS (all flat) in 32-bit mode. Not CS in
     * 16-bit code, whose CS is based at CODE: a CS-relative address would leave the mapped pages,
     * and the engine reads a read-modify-write destination before it checks that the segment is
     * writable, so the host's #GP would meet the engine's page fault (a known ordering gap).
     */
    int[] segmentOverrides() {
        return mode == 64 ? new int[] {0x26, 0x2E, 0x36, 0x3E, 0x65, 0x65}
            : mode == 32 ? new int[] {0x26, 0x36, 0x3E, 0x2E} : new int[] {0x26, 0x36, 0x3E};
    }

    /** With a 32-bit address size in 64-bit mode the upper register half must be ignored: fill it. */
    private long junkHigh(long v, boolean addr32) {
        if (!addr32 || mode != 64) return mode != 64 ? v & 0xFFFF_FFFFL : v;
        return (v & 0xFFFF_FFFFL) | (rnd.nextLong() << 32);
    }

    private int freeIndex() {
        for (int tries = 0; tries < 20; tries++) {
            int r = freeReg();
            if (r != 4) return r;
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------
    // Encoding

    void bytes(int... b) { for (int x : b) out.write(x); }

    /** For hand-assembled forms: 0x66 when {@code size} (2 or 4) is not the default, REX.W for 8. */
    void sizePrefix(int size) {
        if ((size == 2 || size == 4) && size != defaultSize()) out.write(0x66);
    }

    void imm(long v, int size) { for (int i = 0; i < size; i++) out.write((int) (v >>> (8 * i))); }

    /**
     * Emits one legacy-map instruction: prefixes, 0x66 for a 16-bit {@code osize}, 0x67 for a
     * 32-bit address in 64-bit mode, REX (W for {@code osize} 8, R/X/B from the operands, or an
     * empty REX when {@code forceRex}), opcode bytes and ModRM for {@code reg} and {@code rm}
     * (an Integer register or a {@link Mem}).
     */
    void op(int osize, int[] prefixes, int[] opcode, int reg, Object rm, boolean forceRex) {
        for (int p : prefixes) out.write(p);
        if (rm instanceof Mem m && m.segment != 0) out.write(m.segment);
        if ((osize == 2 || osize == 4) && osize != defaultSize()) out.write(0x66);
        if (rm instanceof Mem m && m.addressSize() != defaultAddressSize()) out.write(0x67);
        int rex = (rm == null ? 0 : rexBits(reg, rm)) | (osize == 8 ? 8 : 0);
        if (rex != 0 || (forceRex && mode == 64)) out.write(0x40 | rex);
        for (int b : opcode) out.write(b);
        if (rm != null) modrm(reg, rm);
    }

    private int rexBits(int reg, Object rm) {
        int rex = (reg & 8) != 0 ? 4 : 0;
        if (rm instanceof Integer r) rex |= (r & 8) != 0 ? 1 : 0;
        else if (rm instanceof Mem m) {
            if (m.index >= 0 && (m.index & 8) != 0) rex |= 2;
            if (m.base >= 0 && (m.base & 8) != 0) rex |= 1;
        }
        return rex;
    }

    /** VEX (3-byte C4 form): map 1=0F 2=0F38 3=0F3A, pp 0=none 1=66 2=F3 3=F2. */
    void vex(int map, int pp, boolean w, int vvvv, int opcode, int reg, Object rm) {
        int rex = rexBits(reg, rm);
        if (rm instanceof Mem m && m.segment != 0) out.write(m.segment);
        if (rm instanceof Mem m && m.addressSize() != defaultAddressSize()) out.write(0x67);
        out.write(0xC4);
        out.write(((~rex & 7) << 5) | map);
        out.write((w ? 0x80 : 0) | ((~vvvv & 15) << 3) | pp);
        out.write(opcode);
        modrm(reg, rm);
    }

    void modrm(int reg, Object rm) {
        int r = (reg & 7) << 3;
        if (rm instanceof Integer x) {
            out.write(0xC0 | r | (x & 7));
            return;
        }
        Mem m = (Mem) rm;
        if (m.addr16) {
            out.write(m.mod16 << 6 | r | m.rm16);
            imm(m.disp, m.mod16 == 1 ? 1 : m.mod16 == 2 || m.rm16 == 6 ? 2 : 0);
            return;
        }
        if (m.ripRelative) {
            out.write(r | 5);
            ripFixup = out.size();
            imm(0, 4);
        } else if (m.base < 0 && m.index < 0) {
            if (mode != 64 && chance(0.5)) out.write(r | 5); else { out.write(r | 4); out.write(0x25); }
            imm(m.disp, 4);
        } else if (m.base < 0) {
            out.write(r | 4);
            out.write(m.scale << 6 | (m.index & 7) << 3 | 5);
            imm(m.disp, 4);
        } else {
            int mod = m.disp == 0 && (m.base & 7) != 5 ? 0 : m.disp == (byte) m.disp ? 1 : 2;
            if (m.index < 0 && (m.base & 7) != 4) out.write(mod << 6 | r | (m.base & 7));
            else {
                out.write(mod << 6 | r | 4);
                out.write(m.scale << 6 | ((m.index < 0 ? 4 : m.index) & 7) << 3 | (m.base & 7));
            }
            imm(m.disp, mod == 0 ? 0 : mod == 1 ? 1 : 4);
        }
    }

    int length() { return out.size(); }

    TestCase build(String insnClass) {
        byte[] code = out.toByteArray();
        if (ripFixup >= 0) {
            long disp = ripTarget - (Layout.CODE + code.length);
            for (int i = 0; i < 4; i++) code[ripFixup + i] = (byte) (disp >>> (8 * i));
        }
        if (code.length > 15) throw new IllegalStateException("instruction longer than 15 bytes");
        long[] r = regs.clone();
        if (mode != 64) for (int i = 0; i < 16; i++) r[i] = i < 8 ? r[i] & 0xFFFF_FFFFL : 0;
        return new TestCase(mode, insnClass, code, r, rflags, window.clone(), undefinedFlags, undefinedRegs);
    }
}
