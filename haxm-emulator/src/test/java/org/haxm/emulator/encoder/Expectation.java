package org.haxm.emulator.encoder;

import java.util.ArrayList;
import java.util.List;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;
import org.haxm.emulator.decoder.OperandKind;

/**
 * What the decoder must report for an {@link Instruction}, derived from the description alone
 * (SDM Vol. 2 ch. 2 and the field contracts of {@link DecodedInstruction} and {@link OperandKind}),
 * and the comparison with what it did report.
 */
final class Expectation {
    private Expectation() {}

    private static final int SEG_SS = 2, SEG_DS = 3;

    /** Differences between the decoded instruction and the description; empty when they agree. */
    static List<String> differences(Instruction insn, byte[] bytes, DecodedInstruction d) {
        List<String> diffs = new ArrayList<>();
        Form form = insn.form();
        int os = insn.operandSize();
        if (insn.lock() && !lockable(insn)) {
            check(diffs, "fault (LOCK where it is not allowed)", DecodedInstruction.FAULT_UD, d.fault);
            return diffs;
        }
        check(diffs, "fault", DecodedInstruction.FAULT_NONE, d.fault);
        check(diffs, "LOCK prefix", insn.lock(), d.hasPrefix(DecodedInstruction.PREFIX_LOCK));
        check(diffs, "mnemonic", mnemonic(insn), d.mnemonic);
        check(diffs, "length", bytes.length, d.length);
        check(diffs, "addressSize", insn.addressSize(), d.addressSize);
        check(diffs, "operandCount", form.specs().size(), d.operandCount);
        if (form.vex()) check(diffs, "VEX prefix", true, d.hasPrefix(DecodedInstruction.PREFIX_VEX));
        boolean anyRex = !form.vex() && (insn.emptyRex() || os == 8 && form.sizes() != Form.Sizes.F64
            && form.sizes() != Form.Sizes.D64 || usesExtended(insn));
        boolean memoryOrString = false;
        for (int i = 0; i < form.specs().size(); i++) {
            Spec s = form.specs().get(i);
            Operand o = insn.operand(i);
            String at = "operand " + i + " ";
            int width = s.width(os);
            int kind, reg = 0, size = width;
            switch (s.method()) {
                case 'I' -> { kind = OperandKind.IMM; size = s.size() == 'b' || s.size() == 'w' ? width : os; }
                case Spec.IMM_SX -> { kind = OperandKind.IMM; size = os; }
                case 'J' -> { kind = OperandKind.REL; size = os; }
                case Spec.ONE -> kind = OperandKind.ONE;
                case 'X' -> { kind = OperandKind.STRING_SRC; memoryOrString = true; }
                case 'Y' -> kind = OperandKind.STRING_DST;
                default -> {
                    if (o instanceof Operand.Reg r) {
                        boolean high = width == 1 && !form.vex() && (r.high8() || !anyRex && r.number() >= 4 && r.number() < 8);
                        kind = high ? OperandKind.GPR_HIGH8 : OperandKind.GPR;
                        reg = high ? r.number() - 4 : r.number();
                    } else if (s.method() == Spec.FIXED) {
                        kind = OperandKind.GPR;
                        reg = s.fixedReg();
                    } else {
                        kind = OperandKind.MEM;
                        memoryOrString = true;
                        if (s.size() == '-') size = 0; // "M": LEA's operand has no size
                    }
                }
            }
            check(diffs, at + "kind", kind, d.opKind[i]);
            check(diffs, at + "size", size, d.opSize[i]);
            if (kind == OperandKind.GPR || kind == OperandKind.GPR_HIGH8) check(diffs, at + "register", reg, d.opReg[i]);
            if (o instanceof Operand.Imm imm && (kind == OperandKind.IMM || kind == OperandKind.REL)) {
                long expected = kind == OperandKind.REL ? relative(s, os, imm.value()) : immediate(s, os, imm.value());
                check(diffs, at + "value", expected, d.imm);
            }
        }
        memory(insn, d, diffs);
        if (memoryOrString) check(diffs, "segment", segment(insn), d.segment);
        return diffs;
    }

    /** Instructions that accept LOCK (SDM Vol. 2A "LOCK"), and only with a memory destination. */
    private static final java.util.Set<Mnemonic> LOCKABLE = java.util.EnumSet.of(Mnemonic.ADD, Mnemonic.ADC,
        Mnemonic.AND, Mnemonic.BTC, Mnemonic.BTR, Mnemonic.BTS, Mnemonic.CMPXCHG, Mnemonic.DEC, Mnemonic.INC,
        Mnemonic.NEG, Mnemonic.NOT, Mnemonic.OR, Mnemonic.SBB, Mnemonic.SUB, Mnemonic.XOR, Mnemonic.XADD, Mnemonic.XCHG);

    static boolean lockable(Instruction insn) {
        Form f = insn.form();
        return LOCKABLE.contains(f.mnemonic()) && !f.vex() && !f.specs().isEmpty() && f.specs().get(0).method() == 'E'
            && !(insn.operand(0) instanceof Operand.Reg);
    }

    private static boolean usesExtended(Instruction insn) {
        for (Operand o : insn.operands()) {
            if (o instanceof Operand.Reg r && r.number() >= 8) return true;
            if (o instanceof Operand.Mem32 m && (m.base() >= 8 || m.index() >= 8)) return true;
        }
        // SPL..DIL force a REX prefix, which turns every byte register 4..7 of the instruction into them.
        for (int i = 0; i < insn.operands().size(); i++) {
            if (insn.operand(i) instanceof Operand.Reg r && !r.high8() && r.number() >= 4 && r.number() < 8
                && insn.form().specs().get(i).width(insn.operandSize()) == 1) return true;
        }
        return false;
    }

    /** JCXZ is JECXZ/JRCXZ with a 32/64-bit address size (SDM Vol. 2A "Jcc"); CBW and CWD name their size. */
    static Mnemonic mnemonic(Instruction insn) {
        Mnemonic m = insn.form().mnemonic();
        int os = insn.operandSize();
        // 98/99 have one SDM name per operand size (SDM Vol. 2A "CBW/CWDE/CDQE", "CWD/CDQ/CQO").
        if (m == Mnemonic.CBW) return os == 2 ? Mnemonic.CBW : os == 4 ? Mnemonic.CWDE : Mnemonic.CDQE;
        if (m == Mnemonic.CWD) return os == 2 ? Mnemonic.CWD : os == 4 ? Mnemonic.CDQ : Mnemonic.CQO;
        if (m != Mnemonic.JCXZ) return m;
        return insn.addressSize() == 2 ? Mnemonic.JCXZ : insn.addressSize() == 4 ? Mnemonic.JECXZ : Mnemonic.JRCXZ;
    }

    /** An immediate as the instruction means it: ib/iw zero-extended, id sign-extended only to 64 bits. */
    static long immediate(Spec s, int os, long raw) {
        if (s.method() == Spec.IMM_SX) return (byte) raw;
        return switch (Encoder.immediateBytes(s, os)) {
            case 1 -> raw & 0xFF;
            case 2 -> raw & 0xFFFF;
            case 4 -> os == 8 ? (int) raw : raw & 0xFFFF_FFFFL;
            default -> raw;
        };
    }

    /** A relative offset is always sign-extended (SDM Vol. 2A "Jcc": "rel8/rel16/rel32"). */
    static long relative(Spec s, int os, long raw) {
        return switch (Encoder.immediateBytes(s, os)) {
            case 1 -> (byte) raw;
            case 2 -> (short) raw;
            default -> (int) raw;
        };
    }

    private static void memory(Instruction insn, DecodedInstruction d, List<String> diffs) {
        for (Operand o : insn.operands()) {
            if (o instanceof Operand.Mem16 m) {
                // SDM Vol. 2 Table 2-1.
                int[] base = {3, 3, 5, 5, -1, -1, 5, 3}, index = {6, 7, 6, 7, 6, 7, -1, -1};
                int b = base[m.rm()], x = index[m.rm()];
                if (m.rm() == 4 || m.rm() == 5) { b = index[m.rm()]; x = -1; } // [SI], [DI] are bases
                if (m.rm() == 6 && m.mod() == 0) b = -1;                        // disp16 alone
                check(diffs, "base", b, d.base);
                check(diffs, "index", x, d.index);
                check(diffs, "disp", m.mod() == 1 ? (long) (byte) m.disp() : m.mod() == 0 && m.rm() != 6 ? 0 : (long) (short) m.disp(), d.disp);
            } else if (o instanceof Operand.Mem32 m) {
                check(diffs, "base", m.base(), d.base);
                check(diffs, "index", m.index(), d.index);
                if (m.index() >= 0) check(diffs, "scale", m.scale(), d.scale);
                long disp = m.base() < 0 || m.dispBytes() == 4 ? (int) m.disp() : m.dispBytes() == 1 ? (byte) m.disp() : 0;
                check(diffs, "disp", disp, d.disp);
                check(diffs, "ripRelative", false, d.ripRelative);
            } else if (o instanceof Operand.RipRelative m) {
                check(diffs, "ripRelative", true, d.ripRelative);
                check(diffs, "base", -1, d.base);
                check(diffs, "index", -1, d.index);
                check(diffs, "disp", (long) (int) m.disp(), d.disp);
            }
        }
    }

    /**
     * The segment of the memory operand: an override (in 64-bit mode only FS and GS count, SDM
     * Vol. 1 §3.3.7.1), else SS for rBP/rSP-based addresses and DS otherwise (SDM Vol. 1 Table 3-5).
     */
    private static int segment(Instruction insn) {
        int s = insn.segment();
        if (s >= 0 && (insn.codeSize() != 64 || s >= 4)) return s;
        for (Operand o : insn.operands()) {
            if (o instanceof Operand.Mem32 m && (m.base() == 4 || m.base() == 5)) return SEG_SS;
            if (o instanceof Operand.Mem16 m && (m.rm() == 2 || m.rm() == 3 || m.rm() == 6 && m.mod() != 0)) return SEG_SS;
        }
        return SEG_DS;
    }

    private static void check(List<String> diffs, String what, Object expected, Object actual) {
        if (!expected.equals(actual)) diffs.add(what + ": expected " + expected + ", decoded " + actual);
    }
}
