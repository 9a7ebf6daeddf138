package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.haxm.emulator.cpu.CpuState;

/**
 * Every two-operand ALU operation at every size against a reference model written with
 * BigInteger arithmetic on unsigned and signed interpretations (SDM Vol. 1 Appendix A flag rules).
 * Instructions are real encodings ("op r/m, reg" with RAX as destination, RBX as source) run in
 * 64-bit mode.
 */
class AluProperties {
    private static final String[] NAMES = {"ADD", "OR", "ADC", "SBB", "AND", "SUB", "XOR", "CMP"};
    private static final long DEFINED_LOGIC = CpuState.CF | CpuState.OF | CpuState.ZF | CpuState.SF | CpuState.PF;

    static final class Expected {
        long result;
        long flags;
    }

    static String prefix(int size) {
        return size == 2 ? "66" : size == 8 ? "48" : "";
    }

    static BigInteger unsigned(long v, int size) {
        BigInteger b = new BigInteger(Long.toUnsignedString(v));
        return b.mod(BigInteger.ONE.shiftLeft(size * 8));
    }

    static BigInteger signed(long v, int size) {
        BigInteger u = unsigned(v, size);
        return u.testBit(size * 8 - 1) ? u.subtract(BigInteger.ONE.shiftLeft(size * 8)) : u;
    }

    static long zsp(BigInteger r, int size) {
        long f = 0;
        if (r.signum() == 0) f |= CpuState.ZF;
        if (r.testBit(size * 8 - 1)) f |= CpuState.SF;
        if (Integer.bitCount(r.intValue() & 0xFF) % 2 == 0) f |= CpuState.PF;
        return f;
    }

    /** The model: result and flags of operation {@code op} (0..7 in opcode-row order). */
    static Expected model(int op, long a, long b, int carry, int size) {
        BigInteger modulus = BigInteger.ONE.shiftLeft(size * 8);
        BigInteger ua = unsigned(a, size), ub = unsigned(b, size);
        BigInteger sa = signed(a, size), sb = signed(b, size);
        BigInteger min = BigInteger.ONE.shiftLeft(size * 8 - 1).negate(), max = BigInteger.ONE.shiftLeft(size * 8 - 1).subtract(BigInteger.ONE);
        Expected e = new Expected();
        String name = NAMES[op];
        BigInteger c = BigInteger.valueOf(name.equals("ADC") || name.equals("SBB") ? carry : 0);
        BigInteger r;
        long f = 0;
        switch (name) {
            case "ADD": case "ADC": {
                BigInteger sum = ua.add(ub).add(c);
                r = sum.mod(modulus);
                if (sum.compareTo(modulus) >= 0) f |= CpuState.CF;
                BigInteger ssum = sa.add(sb).add(c);
                if (ssum.compareTo(min) < 0 || ssum.compareTo(max) > 0) f |= CpuState.OF;
                if ((ua.intValue() & 0xF) + (ub.intValue() & 0xF) + c.intValue() > 0xF) f |= CpuState.AF;
                break;
            }
            case "SUB": case "SBB": case "CMP": {
                BigInteger diff = ua.subtract(ub).subtract(c);
                r = diff.mod(modulus);
                if (diff.signum() < 0) f |= CpuState.CF;
                BigInteger sdiff = sa.subtract(sb).subtract(c);
                if (sdiff.compareTo(min) < 0 || sdiff.compareTo(max) > 0) f |= CpuState.OF;
                if ((ua.intValue() & 0xF) - (ub.intValue() & 0xF) - c.intValue() < 0) f |= CpuState.AF;
                break;
            }
            case "AND": r = ua.and(ub); break;
            case "OR": r = ua.or(ub); break;
            default: r = ua.xor(ub);
        }
        e.flags = f | zsp(r, size);
        e.result = name.equals("CMP") ? a : r.longValue();
        return e;
    }

    @Property(tries = 2000)
    void twoOperandAluMatchesModel(@ForAll @IntRange(min = 0, max = 7) int op, @ForAll @IntRange(min = 0, max = 3) int sizeIndex,
                                   @ForAll long a, @ForAll long b, @ForAll boolean carry) {
        int size = 1 << sizeIndex;
        TestMachine m = TestMachine.long64();
        int opcode = op * 8 + (size == 1 ? 0 : 1);
        m.code(prefix(size) + String.format("%02x", opcode) + "D8"); // op rAX/AL, rBX/BL
        m.reg(0, a).reg(3, b).flags(CpuState.RESERVED1 | (carry ? CpuState.CF : 0)).step();
        Expected e = model(op, a, b, carry ? 1 : 0, size);
        long mask = Operands.mask(size);
        assertEquals(e.result & mask, m.reg(0) & mask, NAMES[op] + " result");
        long expectedUpper = NAMES[op].equals("CMP") ? a : size == 4 ? 0 : a & ~mask;
        if (size < 8) assertEquals(expectedUpper & ~mask, m.reg(0) & ~mask, NAMES[op] + " upper bits");
        boolean logic = op == 1 || op == 4 || op == 6;
        long checked = logic ? DEFINED_LOGIC : CpuState.STATUS_FLAGS;
        assertEquals(e.flags & checked, m.state.rflags() & checked, NAMES[op] + " flags at size " + size);
        assertEquals(TestMachine.CODE + m.insn.length, m.state.rip);
    }

    @Property(tries = 1500)
    void unaryOperationsMatchModel(@ForAll @IntRange(min = 0, max = 3) int which, @ForAll @IntRange(min = 0, max = 3) int sizeIndex,
                                   @ForAll long a, @ForAll boolean carry) {
        int size = 1 << sizeIndex;
        TestMachine m = TestMachine.long64();
        // FE/FF /0 INC, /1 DEC ; F6/F7 /2 NOT, /3 NEG ; register form on rAX
        String[] enc = {"C0", "C8", "D0", "D8"};
        String op = which < 2 ? (size == 1 ? "FE" : "FF") : (size == 1 ? "F6" : "F7");
        m.code(prefix(size) + op + enc[which]);
        long start = CpuState.RESERVED1 | (carry ? CpuState.CF : 0);
        m.reg(0, a).flags(start).step();
        long mask = Operands.mask(size);
        Expected e;
        switch (which) {
            case 0: e = model(0, a, 1, 0, size); e.flags = (e.flags & ~CpuState.CF) | (start & CpuState.CF); break;
            case 1: e = model(5, a, 1, 0, size); e.flags = (e.flags & ~CpuState.CF) | (start & CpuState.CF); break;
            case 2: e = new Expected(); e.result = ~a; e.flags = start; break;
            default: e = model(5, 0, a, 0, size);
        }
        assertEquals(e.result & mask, m.reg(0) & mask);
        assertEquals(e.flags & CpuState.STATUS_FLAGS, m.state.rflags() & CpuState.STATUS_FLAGS, "flags of unary op " + which);
    }

    @Property(tries = 500)
    void testSetsFlagsLikeAndWithoutWriting(@ForAll long a, @ForAll long b) {
        TestMachine m = TestMachine.long64();
        m.code("48 85 D8"); // test rax, rbx
        m.reg(0, a).reg(3, b).step();
        assertEquals(a, m.reg(0));
        Expected e = model(4, a, b, 0, 8);
        assertEquals(e.flags & DEFINED_LOGIC, m.state.rflags() & DEFINED_LOGIC);
    }
}
