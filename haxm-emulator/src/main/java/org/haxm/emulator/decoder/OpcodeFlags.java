package org.haxm.emulator.decoder;

/**
 * Attribute bits of an {@link OpcodeEntry}, named after the superscripts of the opcode maps in
 * Intel SDM Vol. 2, Appendix A (Table A-1: "i64", "o64", "d64", "f64").
 */
public final class OpcodeFlags {
    private OpcodeFlags() {}

    /** A ModRM byte follows the opcode (set automatically when an operand spec needs one). */
    public static final int MODRM = 1;
    /** LOCK is allowed when the destination is memory (SDM Vol. 2 §2.1.1, LOCK instruction). */
    public static final int LOCKABLE = 1 << 1;
    /** "i64": invalid (#UD) in 64-bit mode. */
    public static final int INVALID_64 = 1 << 2;
    /** "o64": valid only in 64-bit mode. */
    public static final int ONLY_64 = 1 << 3;
    /** "d64": operand size defaults to 64 bits in 64-bit mode; 66h still selects 16 bits. */
    public static final int DEFAULT_64 = 1 << 4;
    /** "f64": operand size is forced to 64 bits in 64-bit mode (Intel: 66h ignored on near branches). */
    public static final int FORCE_64 = 1 << 5;
    /** Byte form: {@link DecodedInstruction#operandSize} is 1 (derived from the operand specs). */
    public static final int BYTE_OP = 1 << 6;
    /** ModRM.mod is ignored and the r/m field always names a register (MOV to/from CRn/DRn,
     *  SDM Vol. 2 MOV—Move to/from Control Registers: "the 2 bits in the mod field are ignored"). */
    public static final int REG_FORM = 1 << 7;
    /** F3/F2 act as REP/REPE/REPNE (string instructions); used by the disassembler. */
    public static final int REP_OK = 1 << 8;
    /** F3 prints as "repz"/F2 as "repnz" (CMPS/SCAS compare strings). */
    public static final int REP_COND = 1 << 9;

    /** Operand size is "z" (16 or 32 bits; REX.W does not make it 64): IN/OUT eAX, INS/OUTS.
     *  Derived from the operand specs. */
    public static final int OPSIZE_Z = 1 << 10;

    /** True when {@code flags} has every bit of {@code bit}. */
    public static boolean has(int flags, int bit) { return (flags & bit) == bit; }
}
