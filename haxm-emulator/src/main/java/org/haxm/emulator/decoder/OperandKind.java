package org.haxm.emulator.decoder;

/**
 * What one decoded operand refers to. Values are {@code int} constants (not an enum) because they
 * are stored in the primitive arrays of a reusable {@link DecodedInstruction}.
 */
public final class OperandKind {
    private OperandKind() {}

    /** No operand in this slot. */
    public static final int NONE = 0;
    /** General-purpose register: {@code opReg} 0..15 (RAX..R15) of {@code opSize} bytes. For byte
     *  registers with no REX prefix, 4..7 mean SPL..DIL only when a REX prefix is present;
     *  without REX, AH/CH/DH/BH are {@link #GPR_HIGH8} instead. */
    public static final int GPR = 1;
    /** AH, CH, DH or BH: {@code opReg} 0..3 names the register whose bits 15:8 are used. */
    public static final int GPR_HIGH8 = 2;
    /** Memory: effective address from base/index/scale/disp (or RIP-relative), segment in
     *  {@link DecodedInstruction#segment}, size {@code opSize}. MOV moffs forms also use MEM with
     *  base = index = -1 and disp = the absolute offset. */
    public static final int MEM = 3;
    /** Immediate: value in {@link DecodedInstruction#imm}, already sign- or zero-extended as the
     *  instruction defines, {@code opSize} bytes wide. */
    public static final int IMM = 4;
    /** Second immediate (ENTER's imm8, far pointer's selector): {@link DecodedInstruction#imm2}. */
    public static final int IMM2 = 5;
    /** Relative branch target: displacement in {@link DecodedInstruction#imm} (sign-extended);
     *  target = address of next instruction + imm, truncated to the operand size. */
    public static final int REL = 6;
    /** Segment register: {@code opReg} is the {@link org.haxm.emulator.cpu.Segment} ordinal (ES=0..GS=5). */
    public static final int SREG = 7;
    /** Control register CR{@code opReg}. */
    public static final int CREG = 8;
    /** Debug register DR{@code opReg}. */
    public static final int DREG = 9;
    /** Far pointer ptr16:16/ptr16:32: offset in imm, selector in imm2. */
    public static final int FAR_PTR = 10;
    /** Implicit string source seg:[rSI] (segment in {@link DecodedInstruction#segment}). */
    public static final int STRING_SRC = 11;
    /** Implicit string destination ES:[rDI] (never overridable). */
    public static final int STRING_DST = 12;
    /** The constant 1 (shift/rotate by one forms D0/D1). */
    public static final int ONE = 13;
    /** x87/MMX/XMM/YMM register number in opReg (decoded for disassembly only). */
    public static final int VECTOR_REG = 14;
}
