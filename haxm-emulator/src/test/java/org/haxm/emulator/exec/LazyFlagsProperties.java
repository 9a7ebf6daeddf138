package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.haxm.emulator.cpu.CpuState;

/**
 * Lazy flags are invisible: after any sequence of flag-writing operations (recorded lazily or
 * written eagerly, at random sizes and operands), RFLAGS, every condition code and CF read
 * through {@link FlagsUnit} equal an eager reference that computes each flag from its definition
 * in SDM Vol. 1 Appendix A, written plainly with BigInteger.
 */
class LazyFlagsProperties {
    private static final long CF = CpuState.CF, PF = CpuState.PF, AF = CpuState.AF, ZF = CpuState.ZF,
        SF = CpuState.SF, OF = CpuState.OF;

    enum Op { ADD, ADC, SUB, SBB, CMP, AND, OR, XOR, INC, DEC, NEG, SHL, STC, CLC }

    record Step(Op op, long a, long b, int size) {}

    @Provide
    Arbitrary<Step> steps() {
        Arbitrary<Long> values = Arbitraries.oneOf(Arbitraries.longs(),
            Arbitraries.of(0L, 1L, -1L, 0x7FL, 0x80L, 0xFFL, 0x7FFFL, 0x8000L, 0x7FFF_FFFFL, 0x8000_0000L, Long.MIN_VALUE, Long.MAX_VALUE));
        return Combinators.combine(Arbitraries.of(Op.class), values, values, Arbitraries.of(1, 2, 4, 8)).as(Step::new);
    }

    @Property(tries = 2000)
    void materialisedFlagsEqualEagerReference(@ForAll @Size(min = 1, max = 5) List<@net.jqwik.api.From("steps") Step> program,
                                              @ForAll long initialFlags) {
        CpuState s = new CpuState();
        s.setRflags(initialFlags);
        long ref = s.rflags();
        for (Step st : program) {
            int size = st.size();
            long mask = mask(size);
            long a = st.a() & mask, b = st.b() & mask;
            long cin = ref & CF;
            switch (st.op()) {
                case ADD, ADC -> {
                    long c = st.op() == Op.ADC ? cin : 0;
                    long r = (a + b + c) & mask;
                    FlagsUnit.afterAdd(s, r, a, b, size);
                    ref = withStatus(ref, addReference(a, b, c, size));
                }
                case SUB, SBB, CMP -> {
                    long c = st.op() == Op.SBB ? cin : 0;
                    long r = (a - b - c) & mask;
                    FlagsUnit.afterSub(s, r, a, b, size);
                    ref = withStatus(ref, subReference(a, b, c, size));
                }
                case AND, OR, XOR -> {
                    long r = (st.op() == Op.AND ? a & b : st.op() == Op.OR ? a | b : a ^ b) & mask;
                    FlagsUnit.afterLogic(s, r, size);
                    ref = withStatus(ref, zsp(r, size));
                }
                case INC -> {
                    FlagsUnit.afterInc(s, (a + 1) & mask, a, size);
                    ref = (withStatus(ref, addReference(a, 1, 0, size)) & ~CF) | cin; // CF unchanged
                }
                case DEC -> {
                    FlagsUnit.afterDec(s, (a - 1) & mask, a, size);
                    ref = (withStatus(ref, subReference(a, 1, 0, size)) & ~CF) | cin;
                }
                case NEG -> {
                    FlagsUnit.afterSub(s, (-a) & mask, 0, a, size);
                    ref = withStatus(ref, subReference(0, a, 0, size));
                }
                case SHL -> { // an eager writer in between lazy ones: SHL by 1
                    long r = (a << 1) & mask;
                    long cf = (a >>> (size * 8 - 1)) & 1;
                    long of = cf ^ ((r >>> (size * 8 - 1)) & 1);
                    FlagsUnit.afterShift(s, r, size, cf, of);
                    ref = withStatus(ref, zsp(r, size) | (cf != 0 ? CF : 0) | (of != 0 ? OF : 0));
                }
                case STC -> { FlagsUnit.setCarry(s, true); ref |= CF; }
                case CLC -> { FlagsUnit.setCarry(s, false); ref &= ~CF; }
            }
            assertEquals(Long.toHexString(ref), Long.toHexString(s.rflags()), "RFLAGS after " + st);
            assertEquals((int) (ref & CF), FlagsUnit.get(s, CF), "CF after " + st);
            for (int cc = 0; cc < 16; cc++) {
                assertEquals(condition(ref, cc), FlagsUnit.condition(s, cc), "condition " + cc + " after " + st);
            }
        }
    }

    static long mask(int size) { return size == 8 ? -1L : (1L << (8 * size)) - 1; }

    static long withStatus(long flags, long status) { return (flags & ~CpuState.STATUS_FLAGS) | status; }

    static BigInteger unsigned(long v) { return new BigInteger(Long.toUnsignedString(v)); }

    static BigInteger signed(long v, int size) {
        BigInteger u = unsigned(v);
        return u.testBit(size * 8 - 1) ? u.subtract(BigInteger.ONE.shiftLeft(size * 8)) : u;
    }

    static boolean fitsSigned(BigInteger v, int size) {
        return v.bitLength() <= size * 8 - 1;
    }

    static long zsp(long r, int size) {
        long f = 0;
        if (r == 0) f |= ZF;
        if (((r >>> (size * 8 - 1)) & 1) != 0) f |= SF;
        if (Long.bitCount(r & 0xFF) % 2 == 0) f |= PF;
        return f;
    }

    /** a + b + c by definition: CF = unsigned overflow, OF = signed overflow, AF = carry out of bit 3. */
    static long addReference(long a, long b, long c, int size) {
        BigInteger sum = unsigned(a).add(unsigned(b)).add(BigInteger.valueOf(c));
        long r = sum.longValue() & mask(size);
        long f = zsp(r, size);
        if (sum.bitLength() > size * 8) f |= CF;
        if (!fitsSigned(signed(a, size).add(signed(b, size)).add(BigInteger.valueOf(c)), size)) f |= OF;
        if ((a & 0xF) + (b & 0xF) + c > 0xF) f |= AF;
        return f;
    }

    /** a - b - c by definition: CF = borrow (a < b + c unsigned), OF = signed overflow, AF = borrow from bit 4. */
    static long subReference(long a, long b, long c, int size) {
        long r = (a - b - c) & mask(size);
        long f = zsp(r, size);
        if (unsigned(a).compareTo(unsigned(b).add(BigInteger.valueOf(c))) < 0) f |= CF;
        if (!fitsSigned(signed(a, size).subtract(signed(b, size)).subtract(BigInteger.valueOf(c)), size)) f |= OF;
        if ((a & 0xF) < (b & 0xF) + c) f |= AF;
        return f;
    }

    /** Condition code cc on complete flags, from the table in SDM Vol. 1 Appendix B. */
    static boolean condition(long f, int cc) {
        boolean cf = (f & CF) != 0, zf = (f & ZF) != 0, sf = (f & SF) != 0, of = (f & OF) != 0, pf = (f & PF) != 0;
        boolean r = switch (cc >> 1) {
            case 0 -> of;
            case 1 -> cf;
            case 2 -> zf;
            case 3 -> cf || zf;
            case 4 -> sf;
            case 5 -> pf;
            case 6 -> sf != of;
            default -> zf || sf != of;
        };
        return (cc & 1) != 0 ? !r : r;
    }
}
