package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.haxm.emulator.CpuException;
import org.haxm.emulator.cpu.CpuState;

/** MUL/IMUL/DIV/IDIV (group 3 on rBX) at every size against BigInteger arithmetic, including #DE. */
class MulDivProperties {

    @Provide
    Arbitrary<Long> operands() {
        // Mix small values (quotients that fit) with full-range ones (overflows).
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-300, 300), Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    static BigInteger u(long v, int size) { return AluProperties.unsigned(v, size); }
    static BigInteger s(long v, int size) { return AluProperties.signed(v, size); }

    @Property(tries = 2000)
    void groupThreeMatchesBigInteger(@ForAll @IntRange(min = 4, max = 7) int digit, @ForAll @IntRange(min = 0, max = 3) int sizeIndex,
                                     @ForAll("operands") long rax, @ForAll("operands") long rdx, @ForAll("operands") long rbx) {
        int size = 1 << sizeIndex;
        int bits = size * 8;
        TestMachine m = TestMachine.long64();
        m.code(AluProperties.prefix(size) + (size == 1 ? "F6" : "F7") + String.format("%02x", 0xC3 | digit << 3));
        m.reg(0, rax).reg(2, rdx).reg(3, rbx);
        BigInteger modulus = BigInteger.ONE.shiftLeft(bits);
        boolean signed = digit == 5 || digit == 7;
        // Double-width dividend/accumulator: AX for bytes, rDX:rAX otherwise.
        BigInteger wideU = size == 1 ? u(rax, 2) : u(rdx, size).shiftLeft(bits).or(u(rax, size));
        BigInteger wideS = size == 1 ? s(rax, 2) : (wideU.testBit(2 * bits - 1) ? wideU.subtract(BigInteger.ONE.shiftLeft(2 * bits)) : wideU);
        if (digit >= 6) {
            BigInteger d = signed ? s(rbx, size) : u(rbx, size);
            BigInteger n = signed ? wideS : wideU;
            BigInteger q = null, r = null;
            boolean de = d.signum() == 0;
            if (!de) {
                BigInteger[] qr = n.divideAndRemainder(d); // truncates toward zero like IDIV
                q = qr[0]; r = qr[1];
                BigInteger min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
                BigInteger max = signed ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE) : modulus.subtract(BigInteger.ONE);
                de = q.compareTo(min) < 0 || q.compareTo(max) > 0;
            }
            if (de) {
                CpuException e = org.junit.jupiter.api.Assertions.assertThrows(CpuException.class, m::step);
                assertEquals(0, e.vector);
                assertEquals(rax, m.reg(0), "#DE leaves RAX");
                assertEquals(rdx, m.reg(2), "#DE leaves RDX");
                return;
            }
            m.step();
            long mask = Operands.mask(size);
            if (size == 1) {
                assertEquals(q.mod(modulus).longValue(), m.reg(0) & 0xFF, "quotient");
                assertEquals(r.mod(modulus).longValue(), (m.reg(0) >>> 8) & 0xFF, "remainder");
            } else {
                assertEquals(q.mod(modulus).longValue() & mask, m.reg(0) & mask, "quotient");
                assertEquals(r.mod(modulus).longValue() & mask, m.reg(2) & mask, "remainder");
            }
            return;
        }
        m.step();
        BigInteger a = signed ? s(rax, size) : u(rax, size), b = signed ? s(rbx, size) : u(rbx, size);
        BigInteger p = a.multiply(b);
        BigInteger lo = p.mod(modulus), hi = p.shiftRight(bits).mod(modulus);
        if (size == 1) {
            assertEquals(p.mod(BigInteger.ONE.shiftLeft(16)).longValue(), m.reg(0) & 0xFFFF, "AX product");
        } else {
            long mask = Operands.mask(size);
            assertEquals(lo.longValue() & mask, m.reg(0) & mask, "low half");
            assertEquals(hi.longValue() & mask, m.reg(2) & mask, "high half");
        }
        boolean overflow = signed
            ? p.compareTo(BigInteger.ONE.shiftLeft(bits - 1).negate()) < 0 || p.compareTo(BigInteger.ONE.shiftLeft(bits - 1)) >= 0
            : p.compareTo(modulus) >= 0;
        assertEquals(overflow, m.flag(CpuState.CF), "CF");
        assertEquals(overflow, m.flag(CpuState.OF), "OF");
    }

    @Property(tries = 1000)
    void threeOperandImulTruncates(@ForAll @IntRange(min = 1, max = 3) int sizeIndex, @ForAll long a, @ForAll short imm) {
        int size = 1 << sizeIndex;
        int bits = size * 8;
        TestMachine m = TestMachine.long64();
        // IMUL rax, rbx, imm8 (6B /r ib) with the immediate's low byte, sign-extended
        byte ib = (byte) imm;
        m.code(AluProperties.prefix(size) + "6BC3" + String.format("%02x", ib & 0xFF));
        m.reg(3, a).step();
        BigInteger p = s(a, size).multiply(BigInteger.valueOf(ib));
        long mask = Operands.mask(size);
        assertEquals(p.mod(BigInteger.ONE.shiftLeft(bits)).longValue() & mask, m.reg(0) & mask);
        boolean overflow = p.bitLength() > bits - 1;
        assertEquals(overflow, m.flag(CpuState.CF));
    }
}
