package org.haxm.emulator.decoder;

/**
 * One decoded instruction, filled in place by the decoder so that decoding allocates nothing.
 *
 * <p>The fields are public and primitive on purpose: the execution core reads them on every
 * instruction. Register numbers follow the x86 encoding (0 = RAX/AL .. 15 = R15), with REX
 * extensions already applied. Memory operands are described once (an instruction has at most
 * one ModRM memory operand); {@link #opKind} says which operand slot refers to it.
 */
public final class DecodedInstruction {
    /** Prefix bits in {@link #prefixes}. */
    public static final int PREFIX_LOCK = 1, PREFIX_REP = 2 /* F3 */, PREFIX_REPNE = 4 /* F2 */,
        PREFIX_OPSIZE = 8 /* 66 */, PREFIX_ADDRSIZE = 16 /* 67 */, PREFIX_VEX = 32, PREFIX_SEG = 64;

    /** Fault the decoder detected: none, #UD (invalid/undefined encoding, LOCK where not
     *  allowed) or #GP(0) (instruction longer than 15 bytes, SDM Vol. 2 §2.3.11). */
    public static final int FAULT_NONE = 0, FAULT_UD = 6, FAULT_GP = 13;

    public Mnemonic mnemonic = Mnemonic.INVALID;
    /** Decoder-detected fault (FAULT_*); when not FAULT_NONE, mnemonic is INVALID. */
    public int fault;
    /** The code size the instruction was decoded for: 16, 32 or 64 (64-bit mode). */
    public int codeSize;
    /** Length in bytes, 1..15. */
    public int length;
    /** Opcode map in bits 9:8 (0 = one-byte, 1 = 0F, 2 = 0F38, 3 = 0F3A) and opcode byte in 7:0. */
    public int opcode;
    /** PREFIX_* bits. */
    public int prefixes;
    /** Segment of the memory operand (a {@link org.haxm.emulator.cpu.Segment} ordinal, 0..5)
     *  after defaults (SS for rBP/rSP bases, DS otherwise) and overrides. */
    public int segment;
    /** The segment named by the last segment-override prefix (a Segment ordinal), or -1 if none.
     *  Recorded even where 64-bit mode ignores it (ES/CS/SS/DS); {@link #segment} is what applies. */
    public int segmentOverride = -1;
    /** Operand size in bytes of the instruction's "v" operands: 2, 4 or 8 (1 for byte forms). */
    public int operandSize;
    /** Address size in bytes: 2, 4 or 8. */
    public int addressSize;
    /** The REX byte (0x40..0x4F), or 0 if none. */
    public int rex;
    /** The ModRM byte, or -1 if the instruction has none. */
    public int modrm;
    /** ModRM.reg extended by REX.R (0..15); for group opcodes the /digit is {@code modrm >> 3 & 7}. */
    public int reg;
    /** VEX.vvvv register (0..15), or -1 without VEX. */
    public int vexReg;
    /** VEX.L (0/1) when PREFIX_VEX. */
    public int vexL;

    // ----- memory operand (valid when some opKind[i] == MEM) -----
    /** Base register 0..15, or -1. */
    public int base;
    /** Index register 0..15, or -1 (RSP as index means none). */
    public int index;
    /** Scale factor 1, 2, 4 or 8. */
    public int scale;
    /** Displacement, sign-extended to 64 bits (moffs: zero-extended offset). */
    public long disp;
    /** True for [RIP + disp32] (64-bit mode, mod=00 rm=101): the address is relative to the
     *  address of the next instruction. */
    public boolean ripRelative;

    /** First immediate (see {@link OperandKind#IMM}, {@link OperandKind#REL}, {@link OperandKind#FAR_PTR}). */
    public long imm;
    /** Second immediate (see {@link OperandKind#IMM2}). */
    public long imm2;

    /** Number of explicit operands (0..3), destination first (Intel order). */
    public int operandCount;
    /** OperandKind of each operand. */
    public final int[] opKind = new int[4];
    /** Register number for register operand kinds. */
    public final int[] opReg = new int[4];
    /** Operand width in bytes (1, 2, 4, 8; 6/10 for far pointers and descriptor-table operands). */
    public final int[] opSize = new int[4];

    /** The raw instruction bytes (first {@link #length} are valid). */
    public final byte[] bytes = new byte[15];

    /** Resets every field to the state "nothing decoded yet". */
    public void clear() {
        mnemonic = Mnemonic.INVALID;
        fault = FAULT_NONE;
        codeSize = 0; length = 0; opcode = 0; prefixes = 0; segment = 3 /* DS */; segmentOverride = -1; operandSize = 0; addressSize = 0;
        rex = 0; modrm = -1; reg = 0; vexReg = -1; vexL = 0;
        base = -1; index = -1; scale = 1; disp = 0; ripRelative = false; imm = 0; imm2 = 0;
        operandCount = 0;
        for (int i = 0; i < 4; i++) { opKind[i] = OperandKind.NONE; opReg[i] = 0; opSize[i] = 0; }
    }

    /** Copies all fields from {@code o} (used by decoded-instruction caches). */
    public void copyFrom(DecodedInstruction o) {
        mnemonic = o.mnemonic; fault = o.fault; codeSize = o.codeSize; length = o.length; opcode = o.opcode; prefixes = o.prefixes;
        segment = o.segment; segmentOverride = o.segmentOverride; operandSize = o.operandSize; addressSize = o.addressSize; rex = o.rex;
        modrm = o.modrm; reg = o.reg; vexReg = o.vexReg; vexL = o.vexL; base = o.base; index = o.index;
        scale = o.scale; disp = o.disp; ripRelative = o.ripRelative; imm = o.imm; imm2 = o.imm2;
        operandCount = o.operandCount;
        System.arraycopy(o.opKind, 0, opKind, 0, 4);
        System.arraycopy(o.opReg, 0, opReg, 0, 4);
        System.arraycopy(o.opSize, 0, opSize, 0, 4);
        System.arraycopy(o.bytes, 0, bytes, 0, 15);
    }

    public boolean hasPrefix(int bit) { return (prefixes & bit) != 0; }
    /** Index of the operand that is a memory reference, or -1. */
    public int memoryOperand() {
        for (int i = 0; i < operandCount; i++) if (opKind[i] == OperandKind.MEM) return i;
        return -1;
    }
}
