package org.haxm.emulator.encoder;

import static org.haxm.emulator.decoder.Mnemonic.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.decoder.Mnemonic;

/**
 * The ALU instructions, at every operand size, against {@link ReferenceAlu}: a random form
 * (register or memory destination, with or without LOCK, immediate, CL or 1 counts,
 * 1/2/3-operand IMUL, BMI1/BMI2, ADCX/ADOX), random registers (including AH..BH, SPL..DIL and R8-R15) and random machine state
 * are encoded by the {@link Encoder}, executed by a real {@link org.haxm.emulator.Cpu}, and the
 * result must match in every register, the data memory, every status flag (defined ones exactly,
 * undefined ones as docs/undefined-flags.md says) and RIP, or raise the same #DE.
 */
class AluReferenceProperties {
    static final Set<Mnemonic> ALU = EnumSet.of(ADD, OR, ADC, SBB, AND, SUB, XOR, CMP, TEST, INC, DEC, NEG, NOT,
        SHL, SHR, SAR, ROL, ROR, RCL, RCR, SHLD, SHRD, MUL, IMUL, DIV, IDIV, BT, BTS, BTR, BTC,
        BSF, BSR, LZCNT, TZCNT, POPCNT, ANDN, BEXTR, BLSI, BLSMSK, BLSR, BZHI, MULX, PDEP, PEXT, RORX,
        SARX, SHLX, SHRX, ADCX, ADOX);
    static final List<Form> FORMS = Forms.ALL.stream().filter(f -> ALU.contains(f.mnemonic()) && f.modes().contains(64)).toList();
    private static final long TARGET = FlatMachine.DATA + ReferenceAlu.CENTER;

    /** One generated test: the instruction, its bytes and the state before it. */
    record Case(Instruction insn, byte[] bytes, ReferenceAlu.State before) {
        @Override public String toString() {
            StringBuilder sb = new StringBuilder(insn.toString()).append("\n  bytes ").append(HexFormat.ofDelimiter(" ").formatHex(bytes));
            for (int i = 0; i < 16; i++) sb.append(i % 4 == 0 ? "\n  " : " ").append(String.format("r%-2d=%016x", i, before.gpr[i]));
            return sb.append(String.format("\n  flags=%03x mem=%016x", before.flags & CpuState.STATUS_FLAGS,
                ReferenceAlu.readData(before, ReferenceAlu.CENTER, 8))).toString();
        }
    }

    @Property(tries = 4000)
    void aluMatchesTheReferenceModel(@ForAll("cases") Case c) {
        FlatMachine m = new FlatMachine();
        System.arraycopy(c.before().gpr, 0, m.state.gpr, 0, 16);
        System.arraycopy(c.before().data, 0, m.ram, (int) FlatMachine.DATA, FlatMachine.DATA_SIZE);
        m.state.setRflags(c.before().flags);
        int vector = m.execute(c.bytes());
        ReferenceAlu.State e = ReferenceAlu.execute(c.insn(), c.before());

        // The generator must reach the interesting cases: #DE, memory operands, every width.
        Statistics.label("outcome").collect(e.fault >= 0 ? "#DE" : "completed");
        Statistics.label("first operand").collect(c.insn().operand(0) instanceof Operand.Reg ? "register" : "memory");
        Statistics.label("width").collect(c.insn().form().specs().get(0).width(c.insn().operandSize()));
        Statistics.label("outcome").coverage(k -> k.check("#DE").percentage(p -> p >= 0.2));
        Statistics.label("first operand").coverage(k -> k.check("memory").percentage(p -> p >= 10));
        Statistics.label("width").coverage(k -> { for (int w : new int[] {1, 2, 4, 8}) k.check(w).percentage(p -> p >= 5); });

        assertEquals(e.fault, vector, () -> "exception vector (-1 = none)\n" + c);
        for (int i = 0; i < 16; i++) {
            int r = i;
            assertEquals(e.gpr[i], m.state.gpr[i], () -> "register " + r + "\n" + c);
        }
        for (int i = 0; i < FlatMachine.DATA_SIZE; i++) {
            int at = i;
            assertEquals(e.data[i], m.ram[(int) FlatMachine.DATA + i], () -> "data byte " + at + "\n" + c);
        }
        long actual = m.state.rflags() & CpuState.STATUS_FLAGS, expected = e.flags & CpuState.STATUS_FLAGS;
        if (actual != expected) {
            fail(String.format("flags: expected %s, got %s; differing: %s (undefined in the SDM: %s)%n%s",
                names(expected), names(actual), names(actual ^ expected), names((actual ^ expected) & e.undefined), c));
        }
        if (e.fault < 0) assertEquals(FlatMachine.CODE + c.bytes().length, m.state.rip, () -> "RIP\n" + c);
    }

    static String names(long f) {
        StringBuilder sb = new StringBuilder();
        long[] bits = {CpuState.CF, CpuState.PF, CpuState.AF, CpuState.ZF, CpuState.SF, CpuState.OF};
        String[] n = {"CF", "PF", "AF", "ZF", "SF", "OF"};
        for (int i = 0; i < bits.length; i++) if ((f & bits[i]) != 0) sb.append(sb.length() == 0 ? "" : ",").append(n[i]);
        return sb.length() == 0 ? "-" : sb.toString();
    }

    @Provide Arbitrary<Case> cases() { return Arbitraries.randomValue(AluReferenceProperties::randomCase); }

    static Case randomCase(Random r) {
        while (true) {
            Form form = FORMS.get(r.nextInt(FORMS.size()));
            Instruction insn = instruction(r, form);
            if (!Encoder.encodable(insn)) continue;
            insn = placeRipRelative(insn);
            return new Case(insn, Encoder.encode(insn), state(r, insn));
        }
    }

    private static Instruction instruction(Random r, Form form) {
        int[] sizes = form.sizes().allowed(64);
        int os = sizes[r.nextInt(sizes.length)];
        List<Operand> ops = new ArrayList<>();
        for (Spec s : form.specs()) {
            ops.add(switch (s.method()) {
                case Spec.FIXED -> Operand.Reg.of(s.fixedReg());
                case Spec.ONE -> new Operand.Imm(1);
                case 'I', Spec.IMM_SX -> new Operand.Imm(Descriptions.immediate(r));
                case 'E' -> r.nextInt(3) == 0 ? memory(r) : Descriptions.register(r, s, os, true, form);
                default -> Descriptions.register(r, s, os, true, form);
            });
        }
        Instruction plain = new Instruction(form, 64, os, 8, List.copyOf(ops), -1, false, false, false, 0);
        // LOCK on half of the lockable memory forms: the locked compare-exchange path must agree too.
        return Expectation.lockable(plain) && r.nextBoolean()
            ? new Instruction(form, 64, os, 8, plain.operands(), -1, false, true, false, 0) : plain;
    }

    /** [disp32] through SIB (no base, no index) or [RIP+disp32], both reaching the data window. */
    private static Operand memory(Random r) {
        return r.nextBoolean() ? new Operand.Mem32(-1, -1, 1, TARGET, 4, true) : new Operand.RipRelative(0);
    }

    /** Fills in the RIP-relative displacement once the length is known (it does not depend on it). */
    private static Instruction placeRipRelative(Instruction insn) {
        if (insn.operands().stream().noneMatch(o -> o instanceof Operand.RipRelative)) return insn;
        int length = Encoder.encode(insn).length;
        List<Operand> ops = insn.operands().stream()
            .map(o -> o instanceof Operand.RipRelative ? (Operand) new Operand.RipRelative(TARGET - (FlatMachine.CODE + length)) : o)
            .toList();
        return new Instruction(insn.form(), 64, insn.operandSize(), 8, ops, -1, false, insn.lock(), false, 0);
    }

    /** Random registers, memory and flags, steered so divisions often succeed and bit strings stay in the window. */
    private static ReferenceAlu.State state(Random r, Instruction insn) {
        ReferenceAlu.State s = new ReferenceAlu.State();
        for (int i = 0; i < 16; i++) s.gpr[i] = value(r);
        r.nextBytes(s.data);
        s.flags = CpuState.RESERVED1 | r.nextLong() & CpuState.STATUS_FLAGS;
        Mnemonic m = insn.form().mnemonic();
        int bits = insn.form().specs().get(0).width(insn.operandSize()) * 8;
        if ((m == DIV || m == IDIV) && r.nextInt(3) != 0) {
            // A high half below the divisor (DIV) or equal to the sign of the low half (IDIV) fits.
            long low = bits == 8 ? s.gpr[0] & 0xFF : s.gpr[0];
            long high = m == DIV ? 0 : ReferenceAlu.signed(low, bits).signum() < 0 ? -1 : 0;
            if (bits == 8) s.gpr[0] = s.gpr[0] & ~0xFF00L | (high & 0xFF) << 8;
            else s.gpr[2] = high;
        }
        if (insn.form().mnemonic().name().startsWith("BT") && !(insn.operand(0) instanceof Operand.Reg)
            && insn.operand(1) instanceof Operand.Reg off) {
            s.gpr[off.number()] = r.nextInt(601) - 300;   // bit offsets -300..300: at most 40 bytes away
        }
        return s;
    }

    /** Register values: zero, small, boundary or random. */
    static long value(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1 -> r.nextInt(64) - 32;
            case 2 -> new long[] {0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL,
                Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32}[r.nextInt(12)];
            default -> r.nextLong();
        };
    }
}
