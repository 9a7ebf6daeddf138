package org.haxm.emulator.diff;

import static org.haxm.emulator.diff.CaseBuilder.AF;
import static org.haxm.emulator.diff.CaseBuilder.CF;
import static org.haxm.emulator.diff.CaseBuilder.DF;
import static org.haxm.emulator.diff.CaseBuilder.OF;
import static org.haxm.emulator.diff.CaseBuilder.PF;
import static org.haxm.emulator.diff.CaseBuilder.SF;
import static org.haxm.emulator.diff.CaseBuilder.STATUS;
import static org.haxm.emulator.diff.CaseBuilder.ZF;

import java.util.List;
import java.util.Random;
import java.util.Set;

import org.haxm.emulator.diff.CaseBuilder.Mem;

/**
 * Random cases per instruction class. Each class method picks an instruction of the class, an
 * operand size and a form (register, memory, immediate, accumulator short form...), encodes it
 * with {@link CaseBuilder} and records what the SDM leaves undefined for these operands (cited per
 * class from the SDM Vol. 2 instruction pages and Vol. 1 Appendix A, "EFLAGS Cross-Reference").
 */
final class Generator {
    /** Every class, in summary order; {@link #classes(int, Set)} filters by mode and host features. */
    static final List<String> ALL = List.of(
        "alu", "test", "incdec", "negnot", "shift", "shld-shrd", "mul-imul", "div-idiv", "bt",
        "bitscan", "lzcnt-tzcnt", "popcnt", "bmi1", "bmi2", "adx", "movx", "movbe", "mov", "cond",
        "xchg-cmpxchg", "lea", "stack", "convert", "flagops", "string", "loop", "bcd", "xlat",
        "crc32", "nop-ud2", "sreg", "legacy-ud64", "lock-ud", "legacy32", "privileged", "rdrand-rdseed",
        "rdtsc", "call-jmp-ret");

    private static final int[] NONE = {};

    private Generator() {}

    /**
     * Classes that run in {@code mode} on a host with the given CPU feature flags (/proc/cpuinfo
     * names); {@code host} null means every feature.
     */
    static List<String> classes(int mode, Set<String> host) {
        if (host == null) return ALL.stream().filter(c -> !c.equals(mode == 64 ? "legacy32" : "legacy-ud64")).toList();
        return ALL.stream().filter(c -> switch (c) {
            case "lzcnt-tzcnt" -> host.contains("abm") && host.contains("bmi1");
            case "popcnt" -> host.contains("popcnt");
            case "bmi1" -> host.contains("bmi1");
            case "bmi2" -> host.contains("bmi2");
            case "adx" -> host.contains("adx");
            case "movbe" -> host.contains("movbe");
            case "crc32" -> host.contains("sse4_2");
            case "legacy-ud64" -> mode == 64;
            case "legacy32" -> mode != 64;
            case "rdrand-rdseed" -> host.contains("rdrand") && host.contains("rdseed");
            case "rdtsc" -> host.contains("rdtscp") && !host.contains("constant_tsc_disabled");
            default -> true;
        }).toList();
    }

    /** One case of class {@code cls}; {@code low16}: 16-bit addresses may be generated (32-bit mode). */
    static TestCase generate(String cls, int mode, Random rnd, boolean low16) {
        CaseBuilder b = new CaseBuilder(mode, rnd);
        b.low16 = low16 && mode != 64;
        switch (cls) {
            case "alu" -> alu(b);
            case "test" -> test(b);
            case "incdec" -> incdec(b);
            case "negnot" -> negnot(b);
            case "shift" -> shift(b);
            case "shld-shrd" -> shiftDouble(b);
            case "mul-imul" -> mul(b);
            case "div-idiv" -> div(b);
            case "bt" -> bt(b);
            case "bitscan" -> bitscan(b);
            case "lzcnt-tzcnt" -> lzcnt(b);
            case "popcnt" -> popcnt(b);
            case "bmi1" -> bmi1(b);
            case "bmi2" -> bmi2(b);
            case "adx" -> adx(b);
            case "movx" -> movx(b);
            case "movbe" -> movbe(b);
            case "mov" -> mov(b);
            case "cond" -> cond(b);
            case "xchg-cmpxchg" -> xchg(b);
            case "lea" -> lea(b);
            case "stack" -> stack(b);
            case "convert" -> convert(b);
            case "flagops" -> flagops(b);
            case "string" -> string(b);
            case "loop" -> loop(b);
            case "bcd" -> bcd(b);
            case "xlat" -> xlat(b);
            case "crc32" -> crc32(b);
            case "nop-ud2" -> nop(b);
            case "sreg" -> sreg(b);
            case "legacy-ud64" -> legacy64(b);
            case "lock-ud" -> lockUd(b);
            case "legacy32" -> legacy32(b);
            case "privileged" -> privileged(b);
            case "rdrand-rdseed" -> rdrand(b);
            case "rdtsc" -> rdtsc(b);
            case "call-jmp-ret" -> callJmpRet(b);
            default -> throw new IllegalArgumentException(cls);
        }
        return b.build(cls);
    }

    // ------------------------------------------------------------------------------------------
    // helpers

    /** 2, 4 or (64-bit mode) 8. */
    private static int wordSize(CaseBuilder b) {
        int n = b.pick(b.mode == 64 ? 3 : 2);
        return n == 0 ? 2 : n == 1 ? 4 : 8;
    }

    /** 1, 2, 4 or (64-bit mode) 8. */
    private static int anySize(CaseBuilder b) { return b.chance(0.25) ? 1 : wordSize(b); }

    /** A register or (with probability pMem) a memory operand. */
    private static Object rm(CaseBuilder b, double pMem) { return b.chance(pMem) ? b.mem() : (Object) b.reg(); }

    private static int[] ops(int... o) { return o; }

    /** A LOCK prefix with some probability when the destination is memory (legal), rarely otherwise (#UD). */
    private static int[] maybeLock(CaseBuilder b, Object rm) {
        if (rm instanceof Mem) return b.chance(0.3) ? ops(0xF0) : NONE;
        return b.chance(0.03) ? ops(0xF0) : NONE;
    }

    private static boolean rex8(CaseBuilder b) { return b.mode == 64 && b.chance(0.3); }

    // ------------------------------------------------------------------------------------------
    // arithmetic and logic (SDM Vol. 2: ADD..CMP define all six status flags)

    static void alu(CaseBuilder b) {
        int op = b.pick(8), size = anySize(b), w = size == 1 ? 0 : 1;
        int form = b.pick(6); // form 5 (0x82) is #UD in 64-bit mode
        switch (form) {
            case 0 -> { Object rm = rm(b, 0.5); b.op(size, op == 7 ? NONE : maybeLock(b, rm), ops(op * 8 + w), b.reg(), rm, rex8(b)); }
            case 1 -> b.op(size, NONE, ops(op * 8 + 2 + w), b.reg(), rm(b, 0.5), rex8(b));
            case 2 -> { b.op(size, NONE, ops(op * 8 + 4 + w), -1, null, false); b.imm(b.value(), Math.min(size, 4)); }
            case 3 -> { Object rm = rm(b, 0.5); b.op(size, op == 7 ? NONE : maybeLock(b, rm), ops(0x80 + w), op, rm, rex8(b)); b.imm(b.value(), Math.min(size, 4)); }
            case 4 -> { Object rm = rm(b, 0.5); b.op(size == 1 ? 2 : size, op == 7 ? NONE : maybeLock(b, rm), ops(0x83), op, rm, false); b.imm(b.value(), 1); }
            default -> { Object rm = rm(b, 0.5); b.op(1, NONE, ops(0x82), op, rm, false); b.imm(b.value(), 1); } // #UD in 64-bit mode
        }
    }

    static void test(CaseBuilder b) {
        int size = anySize(b), w = size == 1 ? 0 : 1;
        b.undefined(AF); // TEST: AF undefined
        switch (b.pick(3)) {
            case 0 -> b.op(size, NONE, ops(0x84 + w), b.reg(), rm(b, 0.5), rex8(b));
            case 1 -> { b.op(size, NONE, ops(0xA8 + w), -1, null, false); b.imm(b.value(), Math.min(size, 4)); }
            default -> { b.op(size, NONE, ops(0xF6 + w), 0, rm(b, 0.5), rex8(b)); b.imm(b.value(), Math.min(size, 4)); }
        }
    }

    static void incdec(CaseBuilder b) {
        int size = anySize(b);
        if (b.mode != 64 && size != 1 && b.chance(0.3)) {
            b.op(size, NONE, ops((b.chance(0.5) ? 0x40 : 0x48) + b.reg()), -1, null, false);
            return;
        }
        Object rm = rm(b, 0.5);
        b.op(size, maybeLock(b, rm), ops(size == 1 ? 0xFE : 0xFF), b.pick(2), rm, rex8(b));
    }

    static void negnot(CaseBuilder b) {
        int size = anySize(b);
        Object rm = rm(b, 0.5);
        b.op(size, maybeLock(b, rm), ops(size == 1 ? 0xF6 : 0xF7), 2 + b.pick(2), rm, rex8(b));
    }

    // ------------------------------------------------------------------------------------------
    // shifts and rotates (SDM Vol. 2 SAL/SAR/SHL/SHR and RCL/RCR/ROL/ROR "Flags Affected")

    private static int count(CaseBuilder b, int bits) {
        int[] special = {0, 1, 2, bits - 1, bits, bits + 1, 31, 32, 33, 63, 64, 65, 0xFF, 0x80};
        return b.chance(0.6) ? special[b.pick(special.length)] : b.pick(256);
    }

    static void shift(CaseBuilder b) {
        int size = anySize(b), bits = size * 8, w = size == 1 ? 0 : 1;
        int op;
        op = b.pick(8); // includes /6, the undocumented SAL encoding that cores execute as SHL
        int form = b.pick(3), cnt = count(b, bits);
        if (form == 1) b.set(1, (b.regs[1] & ~0xFFL) | cnt);
        Object rm = rm(b, 0.4);
        if (form == 0) { cnt = 1; b.op(size, NONE, ops(0xD0 + w), op, rm, rex8(b)); }
        else if (form == 1) {
            b.op(size, NONE, ops(0xD2 + w), op, rm, rex8(b));
        } else { cnt = count(b, bits); b.op(size, NONE, ops(0xC0 + w), op, rm, rex8(b)); b.imm(cnt, 1); }
        int c = cnt & (size == 8 ? 63 : 31);
        if (c == 0) return; // count 0: no flag changes
        if (op >= 4) { // SHL SHR SAL(/6) SAR
            b.undefined(AF);
            if (c != 1) b.undefined(OF);
            if (c >= bits && op != 7) b.undefined(CF); // SHL/SHR: CF undefined for count >= width
            if (c >= bits && op == 7) { /* SAR: CF = sign, defined */ }
        } else if (c != 1) {
            b.undefined(OF); // rotates: OF defined only for 1-bit rotates
        }
    }

    static void shiftDouble(CaseBuilder b) {
        int size = wordSize(b), bits = size * 8;
        int cnt = count(b, bits), base = b.chance(0.5) ? 0xA4 : 0xAC;
        boolean cl = b.chance(0.5);
        if (cl) b.set(1, (b.regs[1] & ~0xFFL) | cnt);
        Object rm = rm(b, 0.4);
        int reg = b.reg();
        if (cl) {
            b.op(size, NONE, ops(0x0F, base + 1), reg, rm, false);
        } else {
            b.op(size, NONE, ops(0x0F, base), reg, rm, false);
            b.imm(cnt, 1);
        }
        int c = cnt & (size == 8 ? 63 : 31);
        if (c == 0) return;
        b.undefined(AF);
        if (c != 1) b.undefined(OF);
        if (c > bits) { // SHLD/SHRD: count > operand size leaves result and flags undefined
            b.undefined(STATUS);
            if (rm instanceof Integer r) b.undefinedRegs |= 1 << r;
            else b.undefinedRegs |= 1 << 16; // memory result undefined
        }
    }

    // ------------------------------------------------------------------------------------------
    // multiply and divide

    static void mul(CaseBuilder b) {
        int size = anySize(b);
        b.undefined(SF | ZF | AF | PF); // MUL/IMUL: SF ZF AF PF undefined
        int form = size == 1 ? 0 : b.pick(4);
        switch (form) {
            case 0 -> b.op(size, NONE, ops(size == 1 ? 0xF6 : 0xF7), 4 + b.pick(2), rm(b, 0.4), rex8(b));
            case 1 -> b.op(size, NONE, ops(0x0F, 0xAF), b.reg(), rm(b, 0.4), false);
            case 2 -> { b.op(size, NONE, ops(0x69), b.reg(), rm(b, 0.4), false); b.imm(b.value(), Math.min(size, 4)); }
            default -> { b.op(size, NONE, ops(0x6B), b.reg(), rm(b, 0.4), false); b.imm(b.value(), 1); }
        }
    }

    static void div(CaseBuilder b) {
        int size = anySize(b), bits = size * 8;
        b.undefined(STATUS); // DIV/IDIV: all status flags undefined
        b.pinned |= 0b101; // RAX and RDX hold the dividend
        boolean signed = b.chance(0.5);
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        long divisor = b.chance(0.05) ? 0 : b.value();
        if ((divisor & mask) == 0 && b.chance(0.8)) divisor = 1 + b.pick(1000);
        Object rm;
        if (b.chance(0.4)) {
            Mem m = b.mem();
            int o = (int) (m.target - Layout.DATA);
            for (int i = 0; i < size; i++) b.window[o + i] = (byte) (divisor >>> (8 * i));
            rm = m;
        } else {
            int r = b.freeReg();
            while (r == 0 || r == 2) r = b.freeReg();
            b.set(r, divisor);
            rm = r;
        }
        // High half of the dividend: mostly small enough for a quotient that fits.
        long high = b.value();
        if (b.chance(0.7)) {
            long d = divisor & mask;
            if (signed) high = b.chance(0.5) ? 0 : -1L;
            else if (d != 0) high = Long.remainderUnsigned(high & mask, d);
        }
        if (size == 1) b.set(0, (b.regs[0] & ~0xFF00L) | (high & 0xFF) << 8);
        else { b.set(2, high); b.pinned |= 1; }
        b.op(size, NONE, ops(size == 1 ? 0xF6 : 0xF7), signed ? 7 : 6, rm, rex8(b));
    }

    // ------------------------------------------------------------------------------------------
    // bit test and bit scan

    static void bt(CaseBuilder b) {
        int size = wordSize(b), bits = size * 8, op = b.pick(4); // BT BTS BTR BTC
        b.undefined(OF | SF | AF | PF); // BT*: CF defined, ZF unaffected, the rest undefined
        boolean mem = b.chance(0.5);
        if (b.chance(0.5)) { // r/m, reg
            int reg = b.freeReg();
            Object rm;
            if (mem) {
                // bit offsets far outside the operand: +-1023 bits around the middle of the window
                b.set(reg, b.rnd.nextInt(2047) - 1023);
                rm = b.memAt(Layout.DATA + 0x100 + b.pick(0x40));
                if (rm instanceof Mem m && (m.base == reg || m.index == reg)) rm = reg;
            } else rm = b.reg();
            b.op(size, rm instanceof Mem && op != 0 ? maybeLock(b, rm) : NONE, ops(0x0F, 0xA3 + 8 * op), reg, rm, false);
        } else {
            Object rm = rm(b, 0.5);
            b.op(size, rm instanceof Mem && op != 0 ? maybeLock(b, rm) : NONE, ops(0x0F, 0xBA), 4 + op, rm, false);
            b.imm(b.chance(0.5) ? b.pick(bits) : b.pick(256), 1);
        }
    }

    static void bitscan(CaseBuilder b) {
        int size = wordSize(b), reg = b.freeReg();
        b.undefined(CF | OF | SF | AF | PF); // BSF/BSR: only ZF defined
        Object rm = rm(b, 0.3);
        zeroSometimes(b, rm, size);
        b.op(size, NONE, ops(0x0F, b.chance(0.5) ? 0xBC : 0xBD), reg, rm, false);
        if (sourceZero(b, rm, size)) b.undefinedRegs |= 1 << reg; // destination undefined for a zero source
    }

    static void lzcnt(CaseBuilder b) {
        int size = wordSize(b);
        b.undefined(OF | SF | AF | PF); // LZCNT/TZCNT: ZF and CF defined
        Object rm = rm(b, 0.3);
        zeroSometimes(b, rm, size);
        b.op(size, ops(0xF3), ops(0x0F, b.chance(0.5) ? 0xBC : 0xBD), b.reg(), rm, false);
    }

    static void popcnt(CaseBuilder b) {
        int size = wordSize(b);
        Object rm = rm(b, 0.3);
        zeroSometimes(b, rm, size);
        b.op(size, ops(0xF3), ops(0x0F, 0xB8), b.reg(), rm, false);
    }

    private static void zeroSometimes(CaseBuilder b, Object rm, int size) {
        if (!b.chance(0.2)) return;
        if (rm instanceof Integer r && (b.pinned >> r & 1) == 0) b.regs[r] = 0;
        else if (rm instanceof Mem) java.util.Arrays.fill(b.window, (byte) 0);
    }

    private static boolean sourceZero(CaseBuilder b, Object rm, int size) {
        if (rm instanceof Integer r) {
            long mask = size == 8 ? -1L : (1L << (8 * size)) - 1;
            return (b.regs[r] & mask) == 0;
        }
        for (byte x : b.window) if (x != 0) return false;
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // BMI1, BMI2, ADX (SDM Vol. 2 pages of each instruction)

    static void bmi1(CaseBuilder b) {
        boolean w = b.mode == 64 && b.chance(0.5);
        int reg = b.reg(), v = b.reg(), kind = b.pick(5);
        // BEXTR's start/length control register is set before the memory operand is placed.
        if (kind == 1 && b.chance(0.7)) b.set(v, (b.regs[v] & ~0xFFFFL) | b.pick(72) << 8 | b.pick(72));
        Object rm = rm(b, 0.3);
        switch (kind) {
            case 0 -> { b.undefined(AF | PF); b.vex(2, 0, w, v, 0xF2, reg, rm); }           // ANDN
            case 1 -> { b.undefined(AF | SF | PF); b.vex(2, 0, w, v, 0xF7, reg, rm); }       // BEXTR
            default -> { b.undefined(AF | PF); b.vex(2, 0, w, v, 0xF3, 1 + b.pick(3), rm); } // BLSR BLSMSK BLSI
        }
    }

    static void bmi2(CaseBuilder b) {
        boolean w = b.mode == 64 && b.chance(0.5);
        int reg = b.reg(), v = b.reg(), kind = b.pick(8);
        // BZHI's index register is set before the memory operand is placed.
        if (kind == 0 && b.chance(0.7)) b.set(v, (b.regs[v] & ~0xFFL) | b.pick(72));
        Object rm = rm(b, 0.3);
        switch (kind) {
            case 0 -> { b.undefined(AF | PF); b.vex(2, 0, w, v, 0xF5, reg, rm); }           // BZHI
            case 1 -> b.vex(2, 3, w, v, 0xF6, reg, rm);                                      // MULX
            case 2 -> b.vex(2, 3, w, v, 0xF5, reg, rm);                                      // PDEP
            case 3 -> b.vex(2, 2, w, v, 0xF5, reg, rm);                                      // PEXT
            case 4 -> { b.vex(3, 3, w, 0, 0xF0, reg, rm); b.imm(b.pick(256), 1); }           // RORX
            case 5 -> b.vex(2, 2, w, v, 0xF7, reg, rm);                                      // SARX
            case 6 -> b.vex(2, 1, w, v, 0xF7, reg, rm);                                      // SHLX
            default -> b.vex(2, 3, w, v, 0xF7, reg, rm);                                     // SHRX
        }
    }

    static void adx(CaseBuilder b) {
        // The 0x66/0xF3 here are mandatory prefixes (ADCX/ADOX have no 16-bit form): no size prefix on top.
        int size = b.mode == 64 && b.chance(0.5) ? 8 : b.defaultSize();
        b.op(size, ops(b.chance(0.5) ? 0x66 : 0xF3), ops(0x0F, 0x38, 0xF6), b.reg(), rm(b, 0.3), false);
    }

    // ------------------------------------------------------------------------------------------
    // moves

    static void movx(CaseBuilder b) {
        int kind = b.pick(b.mode == 64 ? 4 : 3);
        if (kind == 3) { b.op(b.chance(0.7) ? 8 : 4, NONE, ops(0x63), b.reg(), rm(b, 0.4), false); return; } // MOVSXD (32-bit form: a MOV)
        if (kind == 2) { // BSWAP (16-bit operand size is undefined: not generated)
            int size = b.mode == 64 && b.chance(0.5) ? 8 : 4, r = b.reg();
            b.op(size, NONE, ops(0x0F, 0xC8 + (r & 7)), -1, null, false);
            return;
        }
        int size = wordSize(b), src = b.pick(2);
        b.op(size, NONE, ops(0x0F, (kind == 0 ? 0xB6 : 0xBE) + src), b.reg(), rm(b, 0.4), rex8(b));
    }

    static void movbe(CaseBuilder b) {
        int size = wordSize(b);
        b.op(size, NONE, ops(0x0F, 0x38, 0xF0 + b.pick(2)), b.reg(), b.mem(), false);
    }

    static void mov(CaseBuilder b) {
        int size = anySize(b), w = size == 1 ? 0 : 1;
        switch (b.pick(5)) {
            case 0 -> b.op(size, NONE, ops(0x88 + w + 2 * b.pick(2)), b.reg(), rm(b, 0.5), rex8(b));
            case 1 -> { b.op(size, NONE, ops(0xC6 + w), 0, rm(b, 0.5), rex8(b)); b.imm(b.value(), Math.min(size, 4)); }
            case 2 -> { b.op(size, NONE, ops((size == 1 ? 0xB0 : 0xB8) + b.pick(8)), -1, null, rex8(b)); b.imm(b.value(), size); }
            case 3 -> { // moffs (16-bit code: a 32-bit offset with 0x67)
                b.op(size, b.mode == 16 ? ops(0x67) : NONE, ops(0xA0 + w + 2 * b.pick(2)), -1, null, false);
                b.imm(Layout.MEM_LO + b.pick(0x80), b.mode == 64 ? 8 : 4);
            }
            default -> b.op(size, NONE, ops(0x88 + w), b.reg(), b.reg(), rex8(b));
        }
    }

    // ------------------------------------------------------------------------------------------
    // conditions: CMOVcc, SETcc, Jcc for all 16 conditions

    static void cond(CaseBuilder b) {
        int cc = b.pick(16);
        switch (b.pick(4)) {
            case 0 -> b.op(wordSize(b), NONE, ops(0x0F, 0x40 + cc), b.reg(), rm(b, 0.4), false);
            case 1 -> b.op(1, NONE, ops(0x0F, 0x90 + cc), 0, rm(b, 0.4), rex8(b));
            case 2 -> { b.bytes(0x70 + cc); b.imm(Layout.TAKEN, 1); }
            default -> { b.bytes(0x0F, 0x80 + cc); b.imm(Layout.TAKEN, b.mode == 16 ? 2 : 4); } // rel16 in 16-bit code
        }
    }

    // ------------------------------------------------------------------------------------------
    // exchange and compare-exchange

    static void xchg(CaseBuilder b) {
        int size = anySize(b), w = size == 1 ? 0 : 1;
        switch (b.pick(6)) {
            case 0 -> { Object rm = rm(b, 0.5); b.op(size, maybeLock(b, rm), ops(0x86 + w), b.reg(), rm, rex8(b)); }
            case 1 -> b.op(size == 1 ? 4 : size, NONE, ops(0x90 + b.pick(8)), -1, null, b.chance(0.3));
            case 2, 3 -> { // CMPXCHG: make the accumulator equal to the destination half of the time
                Object rm = rm(b, 0.5);
                int reg = b.reg();
                b.op(size, maybeLock(b, rm), ops(0x0F, 0xB0 + w), reg, rm, rex8(b));
                if (b.chance(0.5)) {
                    if (rm instanceof Integer r) { if ((b.pinned & 1) == 0) b.regs[0] = b.regs[r]; }
                    else { java.util.Arrays.fill(b.window, (byte) b.regs[0]); }
                }
            }
            case 4 -> { Object rm = rm(b, 0.5); b.op(size, maybeLock(b, rm), ops(0x0F, 0xC0 + w), b.reg(), rm, rex8(b)); }
            default -> { // CMPXCHG8B / CMPXCHG16B (16B needs 16-byte alignment, else #GP)
                boolean wide = b.mode == 64 && b.chance(0.4);
                b.pinned |= 0b1111;
                long at = (Layout.MEM_LO + b.pick(0x40)) & (b.chance(0.9) ? ~15L : ~0L);
                Mem m = b.memAt(at);
                if (b.chance(0.5)) { // EDX:EAX equal to memory
                    long lo = b.regs[0], hi = b.regs[2];
                    int o = (int) (at - Layout.DATA);
                    int half = wide ? 8 : 4;
                    for (int i = 0; i < half; i++) { b.window[o + i] = (byte) (lo >>> (8 * i)); b.window[o + half + i] = (byte) (hi >>> (8 * i)); }
                }
                b.op(wide ? 8 : b.defaultSize(), b.chance(0.5) ? ops(0xF0) : NONE, ops(0x0F, 0xC7), 1, m, false);
            }
        }
    }

    static void lea(CaseBuilder b) {
        int size = wordSize(b);
        Mem m = b.mem();
        // LEA only computes: make the register values random again so the address wraps freely.
        for (int r : new int[] {m.base, m.index}) if (r >= 0 && r != 4 && b.chance(0.5)) b.regs[r] = b.value();
        if (b.chance(0.03)) b.op(size, NONE, ops(0x8D), b.reg(), b.reg(), false); // register form: #UD
        else b.op(size, NONE, ops(0x8D), b.reg(), m, false);
    }

    // ------------------------------------------------------------------------------------------
    // stack

    static void stack(CaseBuilder b) {
        int def = b.mode == 64 ? 8 : b.mode == 32 ? 4 : 2, size = b.chance(0.25) ? (b.mode == 16 ? 4 : 2) : def;
        b.set(5, Layout.DATA + 0x1E0 + 4 * b.pick(4)); // RBP for LEAVE/ENTER
        switch (b.pick(10)) {
            case 0, 1 -> { // PUSH/POP r, with REX.B for R8..R15
                int r = b.reg();
                b.sizePrefix(size == 8 ? 4 : size);
                if (r >= 8 || (b.mode == 64 && b.chance(0.2))) b.bytes(r >= 8 ? 0x41 : 0x40);
                b.bytes((b.chance(0.5) ? 0x50 : 0x58) + (r & 7));
            }
            case 2 -> { boolean i8 = b.chance(0.5); b.op(size == 2 ? 2 : 4, NONE, ops(i8 ? 0x6A : 0x68), -1, null, false); b.imm(b.value(), i8 ? 1 : size == 2 ? 2 : 4); }
            // PUSH/POP r/m, sometimes RSP-based: POP computes an RSP-based address after the pop
            // increments RSP (SDM Vol. 2 POP), PUSH before it decrements.
            case 3 -> b.op(size == 2 ? 2 : 4, NONE, ops(0xFF), 6, b.chance(0.3) ? b.stackMem() : b.mem(), false);
            case 4 -> b.op(size == 2 ? 2 : 4, NONE, ops(0x8F), 0, b.chance(0.3) ? b.stackMem() : b.mem(), false);
            case 5 -> { // ENTER: nesting level is the immediate mod 32
                b.op(size == 2 ? 2 : 4, NONE, ops(0xC8), -1, null, false);
                b.imm(b.pick(0x40), 2);
                b.imm(b.chance(0.4) ? 0 : b.chance(0.5) ? b.pick(4) : b.pick(256), 1);
            }
            case 6 -> b.op(size == 2 ? 2 : 4, NONE, ops(0xC9), -1, null, false);
            case 7 -> b.op(size == 2 ? 2 : 4, NONE, ops(0x9C), -1, null, false);
            case 8 -> { // POPF: a random image without TF (single-step) and AC (alignment checks)
                long img = b.rnd.nextLong() & ~(0x100L | 0x40000L | 0x10000L);
                int o = (int) (Layout.STACK - Layout.DATA);
                for (int i = 0; i < 8; i++) b.window[o + i] = (byte) (img >>> (8 * i));
                b.op(size == 2 ? 2 : 4, NONE, ops(0x9D), -1, null, false);
            }
            default -> { // PUSHA/POPA (#UD in 64-bit mode), PUSH/POP of segment registers
                int[] legacy = {0x60, 0x61, 0x06, 0x0E, 0x16, 0x1E};
                if (b.chance(0.4)) b.op(size == 2 ? 2 : 4, NONE, ops(0x0F, b.chance(0.5) ? 0xA0 : 0xA8), -1, null, false);
                else b.op(size == 2 ? 2 : 4, NONE, ops(legacy[b.pick(legacy.length)]), -1, null, false);
            }
        }
    }

    static void convert(CaseBuilder b) {
        b.op(wordSize(b), NONE, ops(0x98 + b.pick(2)), -1, null, false);
    }

    static void flagops(CaseBuilder b) {
        int[] o = {0x9E, 0x9F, 0xF8, 0xF9, 0xF5, 0xFC, 0xFD};
        b.bytes(o[b.pick(o.length)]);
    }

    // ------------------------------------------------------------------------------------------
    // strings

    static void string(CaseBuilder b) {
        int size = anySize(b), w = size == 1 ? 0 : 1;
        int[] base = {0xA4, 0xAA, 0xAC, 0xAE, 0xA6}; // MOVS STOS LODS SCAS CMPS
        int kind = b.pick(5);
        // Address size: 64 or (0x67) 32 in 64-bit mode; 32 or 16 in 32-bit and 16-bit code, 16-bit
        // addresses through the LOW alias. "addr32" below means "not the default address size".
        int asz = b.mode == 64 ? (b.chance(0.3) ? 32 : 64)
            : b.low16 && b.chance(b.mode == 16 ? 0.7 : 0.3) ? 16 : 32;
        boolean addr32 = asz != b.defaultAddressSize();
        long area = asz == 16 ? Layout.LOW : Layout.DATA;
        int junk = asz == 16 ? 16 : 32;
        boolean junkHigh = asz < 32 || (b.mode == 64 && asz == 32);
        boolean down = b.chance(0.5);
        b.rflags = down ? b.rflags | DF : b.rflags & ~DF;
        // Few distinct byte values, so REPE/REPNE end early as often as not.
        for (int i = 0; i < b.window.length; i++) b.window[i] = (byte) (b.chance(0.8) ? 0x11 : b.pick(3));
        long count = b.pick(7);
        long hi = junkHigh ? b.rnd.nextLong() << junk : 0;
        b.set(1, count | hi);
        b.set(6, (area + (down ? 0xC0 : 0x40)) | hi);
        b.set(7, (area + (down ? 0x1A0 : 0x120)) | (junkHigh ? b.rnd.nextLong() << junk : 0));
        int rep = b.pick(3); // none, F3, F2
        if (kind < 3 && rep == 2) rep = 1;
        int[] pre = rep == 0 ? NONE : ops(rep == 1 ? 0xF3 : 0xF2);
        if (kind != 1 && kind != 3 && b.chance(0.3)) { // segment override on the source
            int[] seg = b.mode == 64 ? new int[] {0x26, 0x2E, 0x36, 0x3E, 0x65} : b.mode == 32 ? new int[] {0x26, 0x2E, 0x36, 0x3E}
                : new int[] {0x26, 0x36, 0x3E}; // 16-bit code: CS is based at CODE
            int[] p = new int[pre.length + 1];
            System.arraycopy(pre, 0, p, 0, pre.length);
            p[pre.length] = seg[b.pick(seg.length)]; // GS (64-bit): the source moves up by GS_BASE, still in the window
            pre = p;
        }
        for (int p : pre) b.bytes(p);
        b.sizePrefix(size == 8 ? 4 : size);
        if (addr32) b.bytes(0x67);
        if (size == 8) b.bytes(0x48);
        b.bytes(base[kind] + w);
    }

    static void loop(CaseBuilder b) {
        boolean a16 = b.chance(0.3);
        long[] counts = {0, 1, 2, 0x10000, 0x10001, 0x1_0000_0000L, 0x1_0000_0001L};
        b.set(1, b.chance(0.6) ? counts[b.pick(counts.length)] : b.value());
        if (a16) b.bytes(0x67);
        b.bytes(0xE0 + b.pick(4));
        b.imm(Layout.TAKEN, 1);
    }

    // ------------------------------------------------------------------------------------------
    // legacy instructions

    static void bcd(CaseBuilder b) {
        int[] o = {0x27, 0x2F, 0x37, 0x3F, 0xD4, 0xD5};
        int op = o[b.pick(o.length)];
        b.bytes(op);
        if (op == 0xD4 || op == 0xD5) b.imm(b.chance(0.5) ? 10 : b.pick(256), 1);
        if (op == 0x27 || op == 0x2F) b.undefined(OF);
        else if (op == 0x37 || op == 0x3F) b.undefined(OF | SF | ZF | PF);
        else b.undefined(OF | AF | CF);
    }

    static void xlat(CaseBuilder b) {
        int asz = b.mode == 64 ? (b.chance(0.3) ? 32 : 64) : b.low16 && b.chance(b.mode == 16 ? 0.7 : 0.3) ? 16 : 32;
        boolean addr32 = asz != b.defaultAddressSize();
        long area = asz == 16 ? Layout.LOW : Layout.DATA;
        boolean junkHigh = asz == 16 || (b.mode == 64 && asz == 32);
        b.set(3, (area + b.pick(0x100)) | (junkHigh ? b.rnd.nextLong() << (asz == 16 ? 16 : 32) : 0));
        if (addr32) b.bytes(0x67);
        if (b.mode == 64 && b.chance(0.3)) b.bytes(0x48);
        b.bytes(0xD7);
    }

    static void crc32(CaseBuilder b) {
        boolean byteSrc = b.chance(0.4);
        int size = byteSrc ? (b.mode == 64 && b.chance(0.3) ? 8 : 4) : wordSize(b);
        b.op(size, ops(0xF2), ops(0x0F, 0x38, byteSrc ? 0xF0 : 0xF1), b.reg(), rm(b, 0.4), byteSrc && rex8(b));
    }

    static void nop(CaseBuilder b) {
        switch (b.pick(6)) {
            case 0 -> b.bytes(0x90);
            case 1 -> b.bytes(0x66, 0x90);
            case 2 -> b.bytes(0xF3, 0x90);
            case 3 -> b.op(wordSize(b), NONE, ops(0x0F, 0x1F), 0, rm(b, 0.7), false);
            case 4 -> b.bytes(0x0F, 0x0B); // UD2
            default -> b.bytes(b.chance(0.5) ? 0xCC : 0xF1); // INT3 (#BP, 3) and INT1 (#DB, 1)
        }
    }

    /**
     * MOV r/m, Sreg (6 and 7 are #UD) and segment loads: MOV Sreg, r/m, POP Sreg, LSS/LES/LDS,
     * with selectors of Linux's GDT (null, kernel DPL-0, user code and data with each RPL, the
     * TSS, beyond the limit, the empty LDT), so the load checks of SDM Vol. 2 MOV/POP/LDS are
     * compared: #GP(selector) or success. FS/GS are not loaded (the C library's TLS); in 32-bit
     * and 16-bit code DS only with writable data selectors (the harness's landing code writes
     * through DS).
     */
    static void sreg(CaseBuilder b) {
        if (b.chance(0.5)) {
            int s = b.pick(8);
            b.op(b.chance(0.5) ? wordSize(b) : 2, NONE, ops(0x8C), s, rm(b, 0.4), false);
            return;
        }
        int[] any = {0, 3, 0x08, 0x10, 0x18, 0x20, 0x23, 0x28, 0x29, 0x2A, 0x2B, 0x33, 0x40, 0x80, 0x2F};
        int[] writable = {0x28, 0x29, 0x2A, 0x2B, 0x08, 0x18, 0x40, 0x80, 0x2F}; // the last five fault
        int dst = b.mode == 64 ? new int[] {0, 2, 3}[b.pick(3)] : new int[] {0, 0, 2, 3}[b.pick(4)];
        int[] pool = dst == 3 && b.mode != 64 ? writable : any;
        int selector = pool[b.pick(pool.length)];
        int form = b.pick(b.mode == 64 ? 2 : 4);
        if (form == 0) { // MOV Sreg, r16 / m16
            Object rm;
            if (b.chance(0.5)) { int r = b.freeReg(); b.set(r, (b.regs[r] & ~0xFFFFL) | selector); rm = r; }
            else { Mem m = b.mem(); b.poke(m.target, 2, selector); rm = m; }
            b.op(2, NONE, ops(0x8E), dst, rm, false);
        } else if (form == 1) { // LSS/LES/LDS r, m16:16/32 (LES/LDS only outside 64-bit mode)
            // Not REX.W (m16:64): Intel reads a 64-bit offset, AMD ignores REX.W and reads m16:32.
            int size = b.chance(0.5) ? 2 : 4;
            Mem m = b.mem();
            int offBytes = size;
            b.poke(m.target, offBytes, b.value());
            b.poke(m.target + offBytes, 2, selector);
            int reg = b.reg();
            if (b.mode == 64 || dst == 2) b.op(size, NONE, ops(0x0F, 0xB2), reg, m, false);          // LSS
            else b.op(size, NONE, ops(dst == 0 ? 0xC4 : 0xC5), reg, m, false);                    // LES/LDS
        } else { // POP ES/SS/DS
            b.poke(Layout.STACK, 2, selector);
            b.op(b.defaultSize(), NONE, ops(dst == 0 ? 0x07 : dst == 2 ? 0x17 : 0x1F), -1, null, false);
        }
    }

    /** Instructions that exist only outside 64-bit mode: #UD there (SDM Vol. 2 "64-bit mode: #UD"). */
    static void legacy64(CaseBuilder b) {
        int[] o = {0x06, 0x07, 0x0E, 0x16, 0x17, 0x1E, 0x1F, 0x27, 0x2F, 0x37, 0x3F, 0x60, 0x61, 0xCE, 0xD6};
        if (b.chance(0.15)) { b.bytes(0xD4); b.imm(10, 1); }
        else if (b.chance(0.15)) { b.bytes(0x9A); b.imm(0, 6); }
        else if (b.chance(0.15)) { b.bytes(0xEA); b.imm(0, 6); }
        else b.bytes(o[b.pick(o.length)]);
    }

    /** LOCK where it is not allowed: #UD (SDM Vol. 2 LOCK). */
    static void lockUd(CaseBuilder b) {
        switch (b.pick(5)) {
            case 0 -> b.op(4, ops(0xF0), ops(0x89), b.reg(), rm(b, 0.5), false);
            case 1 -> b.op(4, ops(0xF0), ops(0x8D), b.reg(), b.mem(), false);
            case 2 -> b.bytes(0xF0, 0x90);
            case 3 -> b.op(4, ops(0xF0), ops(0x01), b.reg(), b.reg(), false);
            default -> b.op(4, ops(0xF0), ops(0x0F, 0xA3), b.reg(), b.mem(), false); // BT never lockable
        }
    }

    /** BOUND (#BR when out of range) and INTO (#OF when OF = 1): not in 64-bit mode. */
    static void legacy32(CaseBuilder b) {
        if (b.chance(0.3)) {
            b.bytes(0xCE); // INTO: #OF (vector 4) when OF = 1, else nothing
            return;
        }
        int size = b.chance(0.5) ? 2 : 4, reg = b.freeReg();
        Mem m = b.mem();
        int o = (int) (m.target - Layout.DATA);
        long lo = b.value(), hi = b.value();
        for (int i = 0; i < size; i++) { b.window[o + i] = (byte) (lo >>> (8 * i)); b.window[o + size + i] = (byte) (hi >>> (8 * i)); }
        if (b.chance(0.5) && (b.pinned >> reg & 1) == 0) b.regs[reg] = lo + b.pick(3); // near the lower bound
        b.op(size, NONE, ops(0x62), reg, m, false);
    }

    /** Instructions that fault at CPL 3 with IOPL 0 (SDM Vol. 2 CLI/STI/HLT/IN/OUT/INS/OUTS, MOV CR, WRMSR...). */
    static void privileged(CaseBuilder b) {
        int[][] forms = {{0xFA}, {0xFB}, {0xF4}, {0xE4, 0x60}, {0xE6, 0x80}, {0xEC}, {0xED}, {0xEE}, {0xEF},
            {0x6C}, {0x6D}, {0x6E}, {0x6F}, {0xF3, 0x6C}, {0x0F, 0x20, 0xC0}, {0x0F, 0x22, 0xD8}, {0x0F, 0x01, 0xF8},
            {0x0F, 0x06}, {0x0F, 0x09}, {0x0F, 0x08}, {0x0F, 0x30}, {0x0F, 0x32}};
        b.set(6, Layout.MEM_LO);
        b.set(7, Layout.MEM_LO + 0x20);
        for (int x : forms[b.pick(forms.length)]) b.bytes(x);
    }

    /** RDRAND/RDSEED: the value is random (not compared); CF = 1 and OF SF ZF AF PF cleared are. */
    static void rdrand(CaseBuilder b) {
        int size = wordSize(b), r = b.reg();
        b.op(size, NONE, ops(0x0F, 0xC7), b.chance(0.5) ? 6 : 7, r, false);
        b.undefinedRegs |= 1 << r;
        b.undefined(CF); // CF = 0 when the entropy source is exhausted, which the host may hit
    }

    /** RDTSC/RDTSCP: the counter (and RDTSCP's TSC_AUX in ECX) are not compared; no fault at CPL 3 with CR4.TSD = 0. */
    static void rdtsc(CaseBuilder b) {
        if (b.chance(0.5)) b.bytes(0x0F, 0x31); else b.bytes(0x0F, 0x01, 0xF9);
        b.undefinedRegs |= 0b111;
    }

    /**
     * Near CALL/JMP/RET: relative, through a register and through memory; the target is always the
     * harness's "taken" landing, the return address on the stack for RET too. (A 0x66 prefix is
     * not generated: Intel ignores it on near branches in 64-bit mode, AMD does not.)
     */
    static void callJmpRet(CaseBuilder b) {
        int w = b.mode == 64 ? 8 : b.mode == 32 ? 4 : 2;
        long base = b.mode == 16 ? 0 : Layout.CODE; // 16-bit code: IP is the offset in a CS based at CODE
        int rel = b.mode == 16 ? 2 : 4;
        int kind = b.pick(7);
        switch (kind) {
            case 0 -> { b.bytes(0xE8); b.imm(Layout.TAKEN, rel); }                    // CALL rel16/32
            case 1 -> { b.bytes(0xE9); b.imm(Layout.TAKEN, rel); }                    // JMP rel16/32
            case 2 -> { b.bytes(0xEB); b.imm(Layout.TAKEN, 1); }                      // JMP rel8
            case 3, 4 -> {                                                             // CALL/JMP r/m
                Object rm = rm(b, 0.4);
                b.op(b.defaultSize(), NONE, ops(0xFF), kind == 3 ? 2 : 4, rm, false);
                long target = base + b.length() + Layout.TAKEN;
                if (rm instanceof Integer r) { if ((b.pinned >> r & 1) == 0 || r == 4) b.regs[r] = target; else return; }
                else b.poke(((Mem) rm).target, w, target);
            }
            default -> {                                                               // RET, RET imm16
                boolean imm = kind == 6;
                b.bytes(imm ? 0xC2 : 0xC3);
                if (imm) b.imm(b.pick(0x40), 2);
                b.poke(Layout.STACK, w, base + b.length() + (b.chance(0.5) ? Layout.TAKEN : 0));
            }
        }
    }
}
