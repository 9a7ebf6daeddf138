package org.haxm.emulator.decoder;

import java.util.Arrays;

/**
 * One cell of an opcode map: either a leaf (mnemonic, operand specs, {@link OpcodeFlags}) or a
 * selector that picks among {@link #choices} by some further property of the encoding
 * (ModRM.reg for group opcodes, a mandatory prefix, the operand size...), as the SDM opcode maps do
 * with their group tables (SDM Vol. 2, Table A-6) and prefix columns.
 *
 * @param mnemonic the instruction, {@link Mnemonic#INVALID} for a #UD cell
 * @param operands packed {@link OperandSpec}s, destination first
 * @param flags    {@link OpcodeFlags} bits
 * @param selector how to pick among {@code choices}; {@link Selector#NONE} for a leaf
 * @param choices  sub-entries (null elements mean #UD, except where the selector says otherwise)
 */
public record OpcodeEntry(Mnemonic mnemonic, int[] operands, int flags, Selector selector, OpcodeEntry[] choices) {

    /** How a selector cell picks its sub-entry. */
    public enum Selector {
        /** A leaf. */
        NONE,
        /** ModRM.reg (group opcodes, "/digit"): 8 choices. */
        REG,
        /** ModRM.mod: choice 0 for memory, 1 for register (mod = 11b). */
        MOD,
        /** ModRM.rm (register forms of 0F 01 and similar): 8 choices. */
        RM,
        /** Mandatory prefix: none, 66, F3, F2. A null 66/F3/F2 choice falls back to choice 0,
         *  where the prefix keeps its ordinary meaning (operand size, ignored REP). */
        PREFIX,
        /** Effective operand size 16/32/64: 3 choices (CBW/CWDE/CDQE...). */
        OPSIZE,
        /** Effective address size 16/32/64: 3 choices (JCXZ/JECXZ/JRCXZ). */
        ADSIZE,
        /** Processor mode: choice 0 outside 64-bit mode, 1 in 64-bit mode (ARPL/MOVSXD). */
        MODE64,
        /** REX.B: 90 is NOP, but with REX.B it is XCHG r8, rAX. */
        REXB
    }

    /** The shared #UD leaf. */
    public static final OpcodeEntry UD = new OpcodeEntry(Mnemonic.INVALID, new int[0], 0, Selector.NONE, null);

    /** A leaf from operand specs written as in the SDM ("Ev,Gv"); flags are completed from the specs. */
    public static OpcodeEntry of(Mnemonic mnemonic, String operands, int flags) {
        int[] specs = operands.isEmpty() ? new int[0]
            : Arrays.stream(operands.split(",")).mapToInt(s -> OperandSpec.parse(s.trim())).toArray();
        boolean byteOperand = false, wideOperand = false, zOperand = false, vOperand = false;
        for (int s : specs) {
            if (OperandSpec.needsModrm(s)) flags |= OpcodeFlags.MODRM;
            int m = OperandSpec.method(s), z = OperandSpec.size(s);
            boolean dataOperand = m == OperandSpec.E || m == OperandSpec.G || m == OperandSpec.Z
                || m == OperandSpec.FIXED_GPR && OperandSpec.fixedReg(s) == 0 || m == OperandSpec.X
                || m == OperandSpec.Y || m == OperandSpec.O || m == OperandSpec.M;
            if (dataOperand && z == OperandSpec.SZ_B) byteOperand = true;
            if (z == OperandSpec.SZ_V || z == OperandSpec.SZ_Z || z == OperandSpec.SZ_Y) wideOperand = true;
            if (dataOperand && z == OperandSpec.SZ_Z) zOperand = true;
            if (z == OperandSpec.SZ_V || z == OperandSpec.SZ_Y) vOperand = true;
        }
        if (byteOperand && !wideOperand) flags |= OpcodeFlags.BYTE_OP;
        if (zOperand && !vOperand) flags |= OpcodeFlags.OPSIZE_Z;
        return new OpcodeEntry(mnemonic, specs, flags, Selector.NONE, null);
    }

    /** A leaf without flags. */
    public static OpcodeEntry of(Mnemonic mnemonic, String operands) { return of(mnemonic, operands, 0); }

    /** A selector cell; {@code flags} apply while selecting (e.g. DEFAULT_64 for an OPSIZE choice). */
    public static OpcodeEntry select(Selector selector, int flags, OpcodeEntry... choices) {
        boolean modrm = selector == Selector.REG || selector == Selector.MOD || selector == Selector.RM;
        return new OpcodeEntry(Mnemonic.INVALID, new int[0], flags | (modrm ? OpcodeFlags.MODRM : 0), selector, choices);
    }

    /** True if some operand is the VEX.vvvv register (method B). */
    public boolean usesVexRegister() {
        for (int spec : operands) if (OperandSpec.method(spec) == OperandSpec.B) return true;
        return false;
    }

    /** True for a selector cell. */
    public boolean isSelector() { return selector != Selector.NONE; }
    /** True if this leaf decodes to a real instruction. */
    public boolean isValid() { return mnemonic != Mnemonic.INVALID; }
    public boolean has(int flag) { return (flags & flag) == flag; }
}
