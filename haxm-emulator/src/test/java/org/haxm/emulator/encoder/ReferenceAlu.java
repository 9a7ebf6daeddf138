package org.haxm.emulator.encoder;

import static org.haxm.emulator.cpu.CpuState.AF;
import static org.haxm.emulator.cpu.CpuState.CF;
import static org.haxm.emulator.cpu.CpuState.OF;
import static org.haxm.emulator.cpu.CpuState.PF;
import static org.haxm.emulator.cpu.CpuState.SF;
import static org.haxm.emulator.cpu.CpuState.ZF;

import java.math.BigInteger;
import org.haxm.emulator.decoder.Mnemonic;

/**
 * A reference model of the integer ALU instructions written plainly on {@link BigInteger}
 * from the SDM's Operation sections (Vol. 2) and flag rules (Vol. 1 Appendix A), independent of
 * the engine's bit tricks. Where the SDM says a flag is "undefined", the model produces the value
 * chosen in docs/undefined-flags.md and reports the flag in {@link State#undefined} so failures
 * can say which kind of rule broke.
 *
 * <p>Memory operands of the tested instructions always address {@link FlatMachine#DATA} +
 * {@link #CENTER} (absolute or RIP-relative), so the model keeps just that window.
 */
final class ReferenceAlu {
    private ReferenceAlu() {}

    static final BigInteger TWO = BigInteger.TWO;
    /** Memory operands address this offset into the data window, so bit strings can reach either side. */
    static final int CENTER = FlatMachine.DATA_SIZE / 2;

    /** Registers, the data window and the status flags; {@code fault} is -1 or a vector. */
    static final class State {
        final long[] gpr = new long[16];
        final byte[] data = new byte[FlatMachine.DATA_SIZE];
        long flags;
        int fault = -1;
        /** Status flags the SDM leaves undefined for this execution (information for messages). */
        long undefined;

        State copy() {
            State c = new State();
            System.arraycopy(gpr, 0, c.gpr, 0, 16);
            System.arraycopy(data, 0, c.data, 0, data.length);
            c.flags = flags;
            return c;
        }
    }

    // ----- values as mathematical integers

    static BigInteger unsigned(long v, int bits) {
        return new BigInteger(Long.toUnsignedString(v)).mod(TWO.pow(bits));
    }

    static BigInteger signed(long v, int bits) {
        BigInteger u = unsigned(v, bits);
        return u.testBit(bits - 1) ? u.subtract(TWO.pow(bits)) : u;
    }

    /** The low {@code bits} bits of any integer, as a long. */
    static long wrap(BigInteger x, int bits) { return x.mod(TWO.pow(bits)).longValue(); }

    static boolean bit(long v, int i) { return i >= 0 && i < 64 && (v >>> i & 1) != 0; }

    static long flag(boolean on, long f) { return on ? f : 0; }

    /** SF, ZF, PF of a {@code bits}-wide result (SDM Vol. 1 §3.4.3.1). */
    static long szp(long r, int bits) {
        BigInteger u = unsigned(r, bits);
        return flag(u.testBit(bits - 1), SF) | flag(u.signum() == 0, ZF) | flag(u.mod(BigInteger.valueOf(256)).bitCount() % 2 == 0, PF);
    }

    // ----- operand access

    private static long read(State s, Instruction insn, int i) {
        Spec spec = insn.form().specs().get(i);
        int width = spec.width(insn.operandSize());
        Operand o = insn.operand(i);
        if (o instanceof Operand.Reg r) {
            if (r.high8()) return s.gpr[r.number() - 4] >>> 8 & 0xFF;
            return wrap(unsigned(s.gpr[r.number()], width * 8), width * 8);
        }
        if (o instanceof Operand.Imm imm) {
            if (spec.method() == Spec.ONE) return 1;
            return Expectation.immediate(spec, insn.operandSize(), imm.value());
        }
        return readData(s, CENTER, width);
    }

    private static void write(State s, Instruction insn, int i, long v) {
        int width = insn.form().specs().get(i).width(insn.operandSize());
        Operand o = insn.operand(i);
        if (o instanceof Operand.Reg r) writeReg(s, r.number(), r.high8(), width, v);
        else writeData(s, CENTER, width, v);
    }

    /** A register write (SDM Vol. 1 §3.4.1.1): 32-bit results are zero-extended, 8/16-bit ones merge. */
    static void writeReg(State s, int n, boolean high8, int width, long v) {
        if (high8) { s.gpr[n - 4] = s.gpr[n - 4] & ~0xFF00L | (v & 0xFF) << 8; return; }
        s.gpr[n] = switch (width) {
            case 1 -> s.gpr[n] & ~0xFFL | v & 0xFF;
            case 2 -> s.gpr[n] & ~0xFFFFL | v & 0xFFFF;
            case 4 -> v & 0xFFFF_FFFFL;
            default -> v;
        };
    }

    static long readData(State s, int offset, int width) {
        long v = 0;
        for (int k = width - 1; k >= 0; k--) v = v << 8 | s.data[offset + k] & 0xFF;
        return v;
    }

    static void writeData(State s, int offset, int width, long v) {
        for (int k = 0; k < width; k++) s.data[offset + k] = (byte) (v >>> 8 * k);
    }

    private static boolean isMemory(Operand o) { return !(o instanceof Operand.Reg) && !(o instanceof Operand.Imm); }

    // ----- the model

    /** The state after executing {@code insn} from {@code before}. */
    static State execute(Instruction insn, State before) {
        State s = before.copy();
        int os = insn.operandSize();
        Mnemonic m = insn.form().mnemonic();
        int width = insn.form().specs().isEmpty() ? os : insn.form().specs().get(0).width(os);
        int bits = width * 8;
        switch (m) {
            case ADD, ADC, SUB, SBB, CMP, AND, OR, XOR, TEST -> binary(s, insn, m, bits);
            case INC, DEC, NEG, NOT -> unary(s, insn, m, bits);
            case SHL, SAL, SHR, SAR, ROL, ROR, RCL, RCR -> shift(s, insn, m, bits);
            case SHLD, SHRD -> doubleShift(s, insn, m, bits);
            case MUL, IMUL, DIV, IDIV -> multiplyDivide(s, insn, m, bits);
            case BT, BTS, BTR, BTC -> bitTest(s, insn, m, bits);
            case BSF, BSR, LZCNT, TZCNT, POPCNT -> scan(s, insn, m, bits);
            case ADCX, ADOX -> {
                long carryFlag = m == Mnemonic.ADCX ? CF : OF;
                BigInteger sum = unsigned(read(s, insn, 0), bits).add(unsigned(read(s, insn, 1), bits))
                    .add(BigInteger.valueOf((s.flags & carryFlag) != 0 ? 1 : 0));
                write(s, insn, 0, wrap(sum, bits));
                s.flags = s.flags & ~carryFlag | flag(sum.bitLength() > bits, carryFlag);
            }
            default -> bmi(s, insn, m, bits);
        }
        return s;
    }

    private static void setFlags(State s, long which, long values) { s.flags = s.flags & ~which | values & which; }

    private static void binary(State s, Instruction insn, Mnemonic m, int bits) {
        long a = read(s, insn, 0), b = read(s, insn, 1);
        BigInteger ua = unsigned(a, bits), ub = unsigned(b, bits), sa = signed(a, bits), sb = signed(b, bits);
        int c = (m == Mnemonic.ADC || m == Mnemonic.SBB) && (s.flags & CF) != 0 ? 1 : 0;
        BigInteger min = TWO.pow(bits - 1).negate(), max = TWO.pow(bits - 1).subtract(BigInteger.ONE);
        long r, f;
        switch (m) {
            case ADD, ADC -> {
                BigInteger sum = ua.add(ub).add(BigInteger.valueOf(c)), ssum = sa.add(sb).add(BigInteger.valueOf(c));
                r = wrap(sum, bits);
                f = flag(sum.bitLength() > bits, CF) | flag(ssum.compareTo(min) < 0 || ssum.compareTo(max) > 0, OF)
                    | flag((a & 0xF) + (b & 0xF) + c > 0xF, AF);
            }
            case SUB, SBB, CMP -> {
                BigInteger diff = ua.subtract(ub).subtract(BigInteger.valueOf(c)), sdiff = sa.subtract(sb).subtract(BigInteger.valueOf(c));
                r = wrap(diff, bits);
                f = flag(diff.signum() < 0, CF) | flag(sdiff.compareTo(min) < 0 || sdiff.compareTo(max) > 0, OF)
                    | flag((a & 0xF) - (b & 0xF) - c < 0, AF);
            }
            default -> {
                BigInteger x = m == Mnemonic.OR ? ua.or(ub) : m == Mnemonic.XOR ? ua.xor(ub) : ua.and(ub);
                r = wrap(x, bits);
                f = 0;                 // CF = OF = 0; AF undefined: 0
                s.undefined = AF;
            }
        }
        setFlags(s, CF | OF | AF | SF | ZF | PF, f | szp(r, bits));
        if (m != Mnemonic.CMP && m != Mnemonic.TEST) write(s, insn, 0, r);
    }

    private static void unary(State s, Instruction insn, Mnemonic m, int bits) {
        long a = read(s, insn, 0);
        BigInteger sa = signed(a, bits);
        BigInteger min = TWO.pow(bits - 1).negate(), max = TWO.pow(bits - 1).subtract(BigInteger.ONE);
        switch (m) {
            case NOT -> write(s, insn, 0, wrap(unsigned(a, bits).not(), bits));
            case NEG -> {
                BigInteger n = sa.negate();
                long r = wrap(n, bits);
                setFlags(s, CF | OF | AF | SF | ZF | PF, flag(a != 0 && unsigned(a, bits).signum() != 0, CF)
                    | flag(n.compareTo(max) > 0, OF) | flag((a & 0xF) != 0, AF) | szp(r, bits));
                write(s, insn, 0, r);
            }
            default -> {
                int d = m == Mnemonic.INC ? 1 : -1;
                BigInteger n = sa.add(BigInteger.valueOf(d));
                long r = wrap(n, bits);
                boolean af = d > 0 ? (a & 0xF) == 0xF : (a & 0xF) == 0;
                // CF is not affected (SDM Vol. 2A "INC", "DEC").
                setFlags(s, OF | AF | SF | ZF | PF, flag(n.compareTo(min) < 0 || n.compareTo(max) > 0, OF) | flag(af, AF) | szp(r, bits));
                write(s, insn, 0, r);
            }
        }
    }

    /** The count of a shift or rotate: masked to 5 bits, 6 with a 64-bit operand (SDM Vol. 2B "SAL/SAR/SHL/SHR"). */
    static int maskedCount(long count, int bits) { return (int) (count & (bits == 64 ? 63 : 31)); }

    /** A masked count of 0 writes nothing, but a 32-bit register destination is zero-extended. */
    private static void zeroCount(State s, Instruction insn, int bits, long a) {
        if (bits == 32 && insn.operand(0) instanceof Operand.Reg) write(s, insn, 0, a);
    }

    private static void shift(State s, Instruction insn, Mnemonic m, int bits) {
        long a = read(s, insn, 0);
        int count = maskedCount(read(s, insn, 1), bits);
        if (count == 0) { zeroCount(s, insn, bits, a); return; }
        BigInteger ua = unsigned(a, bits);
        boolean cfIn = (s.flags & CF) != 0;
        long r;
        boolean cf, of;
        switch (m) {
            case SHL, SAL -> {
                BigInteger full = ua.shiftLeft(count);
                r = wrap(full, bits);
                cf = full.testBit(bits);                        // the last bit shifted out
                of = bit(r, bits - 1) != cf;                    // defined for count 1; same formula beyond
            }
            case SHR -> {
                r = wrap(ua.shiftRight(count), bits);
                cf = ua.testBit(count - 1);
                of = count == 1 && ua.testBit(bits - 1);        // count > 1: 0 (undefined in the SDM)
            }
            case SAR -> {
                BigInteger sa = signed(a, bits);
                r = wrap(sa.shiftRight(count), bits);
                cf = sa.shiftRight(count - 1).testBit(0);
                of = false;
            }
            default -> {
                rotate(s, insn, m, bits, a, count, cfIn);
                return;
            }
        }
        setFlags(s, CF | OF | AF | SF | ZF | PF, flag(cf, CF) | flag(of, OF) | szp(r, bits)); // AF undefined: 0
        s.undefined = AF | (count > 1 ? OF : 0);
        write(s, insn, 0, r);
    }

    /** Rotates move bits one at a time here, as the SDM's Operation section describes. */
    private static void rotate(State s, Instruction insn, Mnemonic m, int bits, long a, int count, boolean cf) {
        boolean[] v = new boolean[bits];
        for (int i = 0; i < bits; i++) v[i] = bit(a, i);
        boolean throughCarry = m == Mnemonic.RCL || m == Mnemonic.RCR;
        // RCL/RCR rotate CF:dest, bits+1 positions, so 8/16-bit counts are taken mod 9/17; ROL/ROR mod bits.
        int steps = throughCarry ? (bits <= 16 ? count % (bits + 1) : count) : count % bits;
        boolean left = m == Mnemonic.ROL || m == Mnemonic.RCL;
        for (int k = 0; k < steps; k++) {
            if (left) {
                boolean out = v[bits - 1];
                System.arraycopy(v, 0, v, 1, bits - 1);
                v[0] = throughCarry ? cf : out;
                cf = out;
            } else {
                boolean out = v[0];
                System.arraycopy(v, 1, v, 0, bits - 1);
                v[bits - 1] = throughCarry ? cf : out;
                cf = out;
            }
        }
        long r = 0;
        for (int i = 0; i < bits; i++) if (v[i]) r |= 1L << i;
        if (throughCarry && steps == 0) { write(s, insn, 0, r); return; } // no rotation: flags unchanged
        // ROL/ROR: CF is the bit last rotated into bit 0 / the MSB even when count % bits = 0.
        if (m == Mnemonic.ROL) cf = v[0];
        if (m == Mnemonic.ROR) cf = v[bits - 1];
        boolean of = left ? v[bits - 1] != cf : v[bits - 1] != v[bits - 2];
        setFlags(s, CF | OF, flag(cf, CF) | flag(of, OF));
        s.undefined = count > 1 ? OF : 0;
        write(s, insn, 0, r);
    }

    private static void doubleShift(State s, Instruction insn, Mnemonic m, int bits) {
        long a = read(s, insn, 0), src = read(s, insn, 1);
        int count = maskedCount(read(s, insn, 2), bits);
        if (count == 0) { zeroCount(s, insn, bits, a); return; }
        BigInteger ua = unsigned(a, bits), us = unsigned(src, bits);
        long r;
        boolean cf, of;
        if (m == Mnemonic.SHLD) {
            // dest:src shifted left; a 16-bit count above 16 shifts on through dest again (dest:src:dest).
            BigInteger t = bits == 16 ? ua.shiftLeft(32).or(us.shiftLeft(16)).or(ua) : ua.shiftLeft(bits).or(us);
            int len = bits == 16 ? 48 : 2 * bits;
            r = wrap(t.shiftRight(len - bits - count), bits);
            cf = t.testBit(len - count);
            of = bit(r, bits - 1) != cf;
        } else {
            BigInteger t = bits == 16 ? ua.shiftLeft(32).or(us.shiftLeft(16)).or(ua) : us.shiftLeft(bits).or(ua);
            r = wrap(t.shiftRight(count), bits);
            cf = t.testBit(count - 1);
            of = bit(r, bits - 1) != bit(r, bits - 2);
        }
        setFlags(s, CF | OF | AF | SF | ZF | PF, flag(cf, CF) | flag(of, OF) | szp(r, bits));
        s.undefined = AF | (count > 1 ? OF : 0) | (bits == 16 && count > 16 ? CF | OF | SF | ZF | PF : 0);
        write(s, insn, 0, r);
    }

    private static void multiplyDivide(State s, Instruction insn, Mnemonic m, int bits) {
        int n = insn.form().specs().size();
        if (m == Mnemonic.IMUL && n > 1) {
            // Two/three operands: the product truncated to the destination (SDM Vol. 2A "IMUL").
            long x = read(s, insn, n == 2 ? 0 : 1), y = read(s, insn, n == 2 ? 1 : 2);
            BigInteger p = signed(x, bits).multiply(signed(y, bits));
            long r = wrap(p, bits);
            multiplyFlags(s, r, bits, !p.equals(signed(r, bits)));
            write(s, insn, 0, r);
            return;
        }
        long src = read(s, insn, 0);
        long lowIn = bits == 8 ? s.gpr[0] & 0xFF : s.gpr[0];
        long highIn = bits == 8 ? s.gpr[0] >>> 8 : s.gpr[2];
        BigInteger q, rem;
        switch (m) {
            case MUL, IMUL -> {
                BigInteger p = m == Mnemonic.MUL ? unsigned(lowIn, bits).multiply(unsigned(src, bits))
                    : signed(lowIn, bits).multiply(signed(src, bits));
                long lo = wrap(p, bits), hi = wrap(p.shiftRight(bits), bits);
                boolean overflow = m == Mnemonic.MUL ? p.bitLength() > bits : !p.equals(signed(lo, bits));
                storePair(s, bits, lo, hi);
                multiplyFlags(s, lo, bits, overflow);
                return;
            }
            case DIV -> {
                BigInteger d = unsigned(src, bits);
                BigInteger num = unsigned(highIn, bits).shiftLeft(bits).or(unsigned(lowIn, bits));
                if (d.signum() == 0) { s.fault = 0; return; }
                q = num.divide(d);
                rem = num.remainder(d);
                if (q.bitLength() > bits) { s.fault = 0; return; }
            }
            default -> { // IDIV: quotient truncated toward zero, remainder has the dividend's sign
                BigInteger d = signed(src, bits);
                BigInteger num = signed(highIn, bits).shiftLeft(bits).add(unsigned(lowIn, bits));
                if (d.signum() == 0) { s.fault = 0; return; }
                q = num.divide(d);
                rem = num.remainder(d);
                if (q.compareTo(TWO.pow(bits - 1).negate()) < 0 || q.compareTo(TWO.pow(bits - 1)) >= 0) { s.fault = 0; return; }
            }
        }
        storePair(s, bits, wrap(q, bits), wrap(rem, bits));
        s.undefined = CF | OF | SF | ZF | AF | PF;     // all undefined; the engine leaves them unchanged
    }

    /** CF = OF = overflow (defined); SF, ZF, PF from the low half and AF = 0 (undefined; Intel's values). */
    private static void multiplyFlags(State s, long low, int bits, boolean overflow) {
        setFlags(s, CF | OF | AF | SF | ZF | PF, flag(overflow, CF | OF) | szp(low, bits));
        s.undefined = SF | ZF | AF | PF;
    }

    /** AX for byte operations, else rDX:rAX. */
    private static void storePair(State s, int bits, long lo, long hi) {
        if (bits == 8) writeReg(s, 0, false, 2, lo & 0xFF | (hi & 0xFF) << 8);
        else { writeReg(s, 0, false, bits / 8, lo); writeReg(s, 2, false, bits / 8, hi); }
    }

    private static void bitTest(State s, Instruction insn, Mnemonic m, int bits) {
        long offset = read(s, insn, 1);
        int width = bits / 8;
        int byteOffset = CENTER;
        long bitIndex;
        if (isMemory(insn.operand(0)) && insn.operand(1) instanceof Operand.Reg) {
            // Bit-string addressing: a signed offset that may leave the operand (SDM Vol. 2A "BT").
            BigInteger off = signed(offset, bits);
            BigInteger[] qr = off.divideAndRemainder(BigInteger.valueOf(bits));
            if (qr[1].signum() < 0) { qr[0] = qr[0].subtract(BigInteger.ONE); qr[1] = qr[1].add(BigInteger.valueOf(bits)); }
            byteOffset = CENTER + qr[0].intValueExact() * width;
            bitIndex = qr[1].longValue();
        } else {
            bitIndex = offset % bits;
            if (bitIndex < 0) bitIndex += bits;
        }
        boolean memory = isMemory(insn.operand(0));
        long old = memory ? readData(s, byteOffset, width) : read(s, insn, 0);
        boolean set = bit(old, (int) bitIndex);
        long r = switch (m) {
            case BTS -> old | 1L << bitIndex;
            case BTR -> old & ~(1L << bitIndex);
            case BTC -> old ^ 1L << bitIndex;
            default -> old;
        };
        setFlags(s, CF, flag(set, CF));
        s.undefined = OF | SF | AF | PF;               // unchanged
        if (m != Mnemonic.BT) {
            if (memory) writeData(s, byteOffset, width, r);
            else write(s, insn, 0, r);
        }
    }

    private static void scan(State s, Instruction insn, Mnemonic m, int bits) {
        BigInteger src = unsigned(read(s, insn, 1), bits);
        switch (m) {
            case BSF, BSR -> {
                s.undefined = CF | OF | SF | AF | PF;
                if (src.signum() == 0) {                   // destination value unchanged, but rewritten:
                    if (bits == 32 && insn.operand(0) instanceof Operand.Reg) write(s, insn, 0, read(s, insn, 0));
                    setFlags(s, ZF, ZF);                   // a 32-bit register is zero-extended
                    return;
                }
                long index = m == Mnemonic.BSF ? src.getLowestSetBit() : src.bitLength() - 1;
                setFlags(s, CF | OF | SF | ZF | AF | PF, szp(index, bits) & PF);
                write(s, insn, 0, index);
            }
            case LZCNT, TZCNT -> {
                long r = src.signum() == 0 ? bits : m == Mnemonic.TZCNT ? src.getLowestSetBit() : bits - src.bitLength();
                setFlags(s, CF | ZF, flag(src.signum() == 0, CF) | flag(r == 0, ZF));
                s.undefined = OF | SF | AF | PF;         // unchanged
                write(s, insn, 0, r);
            }
            default -> { // POPCNT
                setFlags(s, CF | OF | SF | ZF | AF | PF, flag(src.signum() == 0, ZF));
                write(s, insn, 0, src.bitCount());
            }
        }
    }

    private static void bmi(State s, Instruction insn, Mnemonic m, int bits) {
        BigInteger all = TWO.pow(bits).subtract(BigInteger.ONE);
        switch (m) {
            case ANDN, BLSI, BLSMSK, BLSR, BZHI, BEXTR -> {
                long r;
                boolean cf = false;
                switch (m) {
                    case ANDN -> r = wrap(unsigned(read(s, insn, 1), bits).xor(all).and(unsigned(read(s, insn, 2), bits)), bits);
                    case BEXTR -> {
                        long ctl = read(s, insn, 2);
                        int start = (int) (ctl & 0xFF), len = (int) (ctl >>> 8 & 0xFF);
                        BigInteger x = unsigned(read(s, insn, 1), bits).shiftRight(start);
                        r = wrap(x.and(TWO.pow(len).subtract(BigInteger.ONE)), bits);
                    }
                    case BZHI -> {
                        int n = (int) (read(s, insn, 2) & 0xFF);
                        BigInteger x = unsigned(read(s, insn, 1), bits);
                        cf = n > bits - 1;
                        r = wrap(cf ? x : x.and(TWO.pow(n).subtract(BigInteger.ONE)), bits);
                    }
                    default -> {
                        BigInteger x = unsigned(read(s, insn, 1), bits);
                        BigInteger minus1 = x.subtract(BigInteger.ONE).mod(TWO.pow(bits));
                        r = wrap(m == Mnemonic.BLSI ? x.negate().mod(TWO.pow(bits)).and(x)
                            : m == Mnemonic.BLSMSK ? minus1.xor(x) : minus1.and(x), bits);
                        cf = m == Mnemonic.BLSI ? x.signum() != 0 : x.signum() == 0;
                    }
                }
                long zsp = szp(r, bits);
                long zf = m == Mnemonic.BLSMSK ? 0 : zsp & ZF;      // BLSMSK: ZF cleared (SDM)
                // OF = 0 (and CF = 0 for ANDN/BEXTR) defined; AF undefined: 0; PF undefined: kept,
                // except BEXTR, which also sets SF and PF from its result (docs/undefined-flags.md).
                long which = CF | OF | ZF | SF | AF | (m == Mnemonic.BEXTR ? PF : 0);
                setFlags(s, which, flag(cf, CF) | zf | zsp & (SF | PF));
                s.undefined = AF | PF | (m == Mnemonic.BEXTR ? SF : 0);
                write(s, insn, 0, r);
            }
            case MULX -> {
                BigInteger p = unsigned(s.gpr[2], bits).multiply(unsigned(read(s, insn, 2), bits));
                long lo = wrap(p, bits), hi = wrap(p.shiftRight(bits), bits);
                write(s, insn, 1, lo);
                write(s, insn, 0, hi);                  // the high half wins when both name one register
            }
            case PDEP, PEXT -> {
                long src = read(s, insn, 1), mask = read(s, insn, 2), r = 0;
                int k = 0;
                for (int i = 0; i < bits; i++) {
                    if (!bit(mask, i)) continue;
                    if (m == Mnemonic.PDEP && bit(src, k)) r |= 1L << i;
                    if (m == Mnemonic.PEXT && bit(src, i)) r |= 1L << k;
                    k++;
                }
                write(s, insn, 0, r);
            }
            case RORX -> {
                long a = read(s, insn, 1);
                int n = (int) (read(s, insn, 2) & (bits - 1));
                BigInteger ua = unsigned(a, bits);
                write(s, insn, 0, wrap(ua.shiftRight(n).or(ua.shiftLeft(bits - n)), bits));
            }
            default -> { // SARX, SHLX, SHRX: count masked to 5/6 bits, no flags
                long a = read(s, insn, 1);
                int n = (int) (read(s, insn, 2) & (bits - 1));
                BigInteger r = m == Mnemonic.SHLX ? unsigned(a, bits).shiftLeft(n)
                    : m == Mnemonic.SHRX ? unsigned(a, bits).shiftRight(n) : signed(a, bits).shiftRight(n);
                write(s, insn, 0, wrap(r, bits));
            }
        }
    }
}
