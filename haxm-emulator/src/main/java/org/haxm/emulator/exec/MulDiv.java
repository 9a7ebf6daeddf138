package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;

/**
 * MUL, IMUL (one, two and three operands), DIV, IDIV (SDM Vol. 2A/2B). Division raises #DE
 * (vector 0) for a zero divisor or a quotient that does not fit, before anything is written.
 * DIV/IDIV leave all flags unchanged (the SDM calls them undefined). MUL/IMUL set SF, ZF and PF
 * from the low half of the result and clear AF, where the SDM says "undefined" (Intel's
 * behaviour, see docs/undefined-flags.md).
 */
final class MulDiv {
    private MulDiv() {}

    static final int DE = 0;
    private static final int RAX = 0, RDX = 2;

    static void register(Handler[] t) {
        t[Mnemonic.MUL.ordinal()] = MulDiv::mul;
        t[Mnemonic.IMUL.ordinal()] = MulDiv::imul;
        t[Mnemonic.DIV.ordinal()] = MulDiv::div;
        t[Mnemonic.IDIV.ordinal()] = MulDiv::idiv;
    }

    /** High 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh is Java 18+). */
    static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /** Stores a double-width result: AX for byte operands, else rDX:rAX. */
    private static void storeWide(CpuState s, int size, long lo, long hi) {
        if (size == 1) {
            Operands.writeGpr(s, RAX, 2, (lo & 0xFF) | ((hi & 0xFF) << 8));
        } else {
            Operands.writeGpr(s, RAX, size, lo);
            Operands.writeGpr(s, RDX, size, hi);
        }
    }

    static boolean mul(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int size = insn.opSize[0];
        long b = Operands.read(cpu, insn, 0);
        long a = Operands.readGpr(s, RAX, size);
        long lo, hi;
        if (size == 8) { lo = a * b; hi = unsignedMultiplyHigh(a, b); }
        else { long p = a * b; int bits = size * 8; lo = p & Operands.mask(size); hi = (p >>> bits) & Operands.mask(size); }
        storeWide(s, size, lo, hi);
        FlagsUnit.afterMultiply(s, hi != 0);
        undefinedMultiplyFlags(s, lo, size);
        return Handler.NEXT;
    }

    static boolean imul(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int size = insn.opSize[0];
        if (insn.operandCount == 1) {
            long b = Operands.signExtend(Operands.read(cpu, insn, 0), size);
            long a = Operands.signExtend(Operands.readGpr(s, RAX, size), size);
            long lo, hi;
            if (size == 8) { lo = a * b; hi = Math.multiplyHigh(a, b); }
            else { long p = a * b; lo = p; hi = p >> (size * 8); }
            storeWide(s, size, lo, hi);
            // CF = OF = 1 when the upper half is not just the sign extension of the lower half.
            FlagsUnit.afterMultiply(s, hi != (Operands.signExtend(lo, size) >> 63));
            undefinedMultiplyFlags(s, lo, size);
            return Handler.NEXT;
        }
        // Two-operand: dest := dest * src; three-operand: dest := src * imm. Result truncated.
        long a = Operands.signExtend(Operands.read(cpu, insn, insn.operandCount == 2 ? 0 : 1), size);
        long b = Operands.signExtend(Operands.read(cpu, insn, insn.operandCount == 2 ? 1 : 2), size);
        long p = a * b;
        boolean overflow = size == 8 ? Math.multiplyHigh(a, b) != (p >> 63) : Operands.signExtend(p, size) != p;
        Operands.write(cpu, insn, 0, p & Operands.mask(size));
        FlagsUnit.afterMultiply(s, overflow);
        undefinedMultiplyFlags(s, p, size);
        return Handler.NEXT;
    }

    /**
     * SF, ZF, PF from the low half of the product and AF = 0: the SDM leaves them undefined; this
     * is what Intel cores since the P4 produce (sandpile.org "undefined integer FLAGS behavior",
     * and Bochs, which models Intel), tabled in docs/undefined-flags.md.
     */
    private static void undefinedMultiplyFlags(CpuState s, long low, int size) {
        FlagsUnit.set(s, CpuState.SF | CpuState.ZF | CpuState.PF | CpuState.AF, FlagsUnit.zsp(low, size));
    }

    static boolean div(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int size = insn.opSize[0];
        long d = Operands.read(cpu, insn, 0);
        if (d == 0) throw cpu.fault(DE, -1);
        long q, r;
        if (size == 8) {
            long hi = s.gpr[RDX], lo = s.gpr[RAX];
            // The quotient fits in 64 bits only if the high half is below the divisor.
            if (Long.compareUnsigned(hi, d) >= 0) throw cpu.fault(DE, -1);
            q = divide128(hi, lo, d);
            r = lo - q * d;
        } else {
            long n = size == 1 ? s.gpr[RAX] & 0xFFFF
                : ((s.gpr[RDX] & Operands.mask(size)) << (size * 8)) | (s.gpr[RAX] & Operands.mask(size));
            q = Long.divideUnsigned(n, d);
            r = Long.remainderUnsigned(n, d);
            if ((q & ~Operands.mask(size)) != 0) throw cpu.fault(DE, -1);
        }
        storeQuotient(s, size, q, r);
        return Handler.NEXT;
    }

    private static void storeQuotient(CpuState s, int size, long q, long r) {
        if (size == 1) Operands.writeGpr(s, RAX, 2, (q & 0xFF) | ((r & 0xFF) << 8));
        else { Operands.writeGpr(s, RAX, size, q); Operands.writeGpr(s, RDX, size, r); }
    }

    /**
     * Quotient of the unsigned 128-bit hi:lo by d, given hi < d (so it fits in 64 bits): restoring
     * shift-subtract division, one quotient bit per step, allocation-free.
     */
    static long divide128(long hi, long lo, long d) {
        long rem = hi, q = 0;
        for (int i = 63; i >= 0; i--) {
            boolean carry = rem < 0;               // the bit shifted out of rem makes it >= 2^64 > d
            rem = (rem << 1) | ((lo >>> i) & 1);
            q <<= 1;
            if (carry || Long.compareUnsigned(rem, d) >= 0) { rem -= d; q |= 1; }
        }
        return q;
    }

    static boolean idiv(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int size = insn.opSize[0];
        long d = Operands.signExtend(Operands.read(cpu, insn, 0), size);
        if (d == 0) throw cpu.fault(DE, -1);
        long q, r;
        if (size == 8) {
            long hi = s.gpr[RDX], lo = s.gpr[RAX];
            boolean negN = hi < 0, negD = d < 0;
            // Work on magnitudes: |hi:lo| (two's complement negate of 128 bits) and |d|.
            long mhi = hi, mlo = lo;
            if (negN) { mlo = -lo; mhi = ~hi + (lo == 0 ? 1 : 0); }
            long md = negD ? -d : d;
            if (Long.compareUnsigned(mhi, md) >= 0) throw cpu.fault(DE, -1);
            long mq = divide128(mhi, mlo, md);
            long mr = mlo - mq * md;
            boolean negQ = negN != negD;
            // Quotient must lie in [-2^63, 2^63-1].
            if (negQ ? Long.compareUnsigned(mq, Long.MIN_VALUE) > 0 : mq < 0) throw cpu.fault(DE, -1);
            q = negQ ? -mq : mq;
            r = negN ? -mr : mr;
        } else {
            long n = size == 1 ? Operands.signExtend(s.gpr[RAX], 2)
                : Operands.signExtend(((s.gpr[RDX] & Operands.mask(size)) << (size * 8))
                    | (s.gpr[RAX] & Operands.mask(size)), size * 2);
            q = n / d;
            r = n % d;
            if (Operands.signExtend(q, size) != q) throw cpu.fault(DE, -1);
        }
        storeQuotient(s, size, q, r);
        return Handler.NEXT;
    }
}
