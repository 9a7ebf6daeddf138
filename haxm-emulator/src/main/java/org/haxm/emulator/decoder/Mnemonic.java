package org.haxm.emulator.decoder;

/**
 * Instruction mnemonics of the general-purpose instruction set (Intel SDM Vol. 2).
 *
 * <p>One constant per mnemonic, not per encoding: the operand forms live in
 * {@link DecodedInstruction}. Size-suffixed string and conversion forms that objdump prints under
 * different names (CBW/CWDE/CDQE, JCXZ/JECXZ/JRCXZ) are separate constants so the disassembler
 * can print them directly. {@link #INVALID} marks an encoding that raises #UD.
 */
public enum Mnemonic {
    INVALID,
    // Arithmetic and logic (SDM Vol. 1 §7.3.2, §7.3.4)
    ADD, OR, ADC, SBB, AND, SUB, XOR, CMP, INC, DEC, NEG, NOT, TEST,
    MUL, IMUL, DIV, IDIV,
    // Shifts and rotates
    ROL, ROR, RCL, RCR, SHL, SHR, SAL, SAR, SHLD, SHRD,
    // Bit operations
    BT, BTS, BTR, BTC, BSF, BSR, LZCNT, TZCNT, POPCNT,
    ANDN, BEXTR, BLSI, BLSMSK, BLSR, BZHI, MULX, PDEP, PEXT, RORX, SARX, SHLX, SHRX, ADCX, ADOX,
    // Data movement
    MOV, MOVZX, MOVSX, MOVSXD, MOVBE, BSWAP, MOVNTI, XCHG, CMPXCHG, CMPXCHG8B, CMPXCHG16B, XADD,
    LEA, PUSH, POP, PUSHA, PUSHAD, POPA, POPAD, PUSHF, PUSHFD, PUSHFQ, POPF, POPFD, POPFQ,
    ENTER, LEAVE, CBW, CWDE, CDQE, CWD, CDQ, CQO, XLAT,
    LDS, LES, LFS, LGS, LSS,
    CMOVO, CMOVNO, CMOVB, CMOVAE, CMOVE, CMOVNE, CMOVBE, CMOVA,
    CMOVS, CMOVNS, CMOVP, CMOVNP, CMOVL, CMOVGE, CMOVLE, CMOVG,
    SETO, SETNO, SETB, SETAE, SETE, SETNE, SETBE, SETA,
    SETS, SETNS, SETP, SETNP, SETL, SETGE, SETLE, SETG,
    // Flags
    LAHF, SAHF, CLC, STC, CMC, CLD, STD, CLI, STI,
    // Strings (operand size in DecodedInstruction.operandSize)
    MOVS, STOS, LODS, SCAS, CMPS, INS, OUTS,
    // Control transfer
    JO, JNO, JB, JAE, JE, JNE, JBE, JA, JS, JNS, JP, JNP, JL, JGE, JLE, JG,
    JMP, JMPF, CALL, CALLF, RET, RETF, IRET, IRETD, IRETQ, INT, INT3, INTO, INT1,
    LOOP, LOOPE, LOOPNE, JCXZ, JECXZ, JRCXZ,
    SYSCALL, SYSRET, SYSENTER, SYSEXIT,
    // BCD and legacy-only
    DAA, DAS, AAA, AAS, AAM, AAD, SALC, BOUND, ARPL,
    // Misc
    NOP, PAUSE, UD0, UD1, UD2, HLT, CPUID, RDTSC, RDTSCP, RDRAND, RDSEED, RDPMC, CRC32,
    IN, OUT, CLFLUSH, LFENCE, MFENCE, SFENCE, PREFETCH, ENDBR32, ENDBR64,
    // System
    RDMSR, WRMSR, LGDT, LIDT, SGDT, SIDT, LLDT, LTR, SLDT, STR, LMSW, SMSW, CLTS, INVLPG, INVD,
    WBINVD, SWAPGS, VERR, VERW, LAR, LSL, XGETBV, XSETBV, MONITOR, MWAIT, INVPCID,
    // VMX and SMX (always cause a VM exit in VMX non-root operation, SDM Vol. 3C §26.1.2)
    VMCALL, VMLAUNCH, VMRESUME, VMXOFF, VMCLEAR, VMPTRLD, VMPTRST, VMREAD, VMWRITE, VMXON,
    INVEPT, INVVPID, VMFUNC, GETSEC,
    // Further system and state-management instructions the decoder recognises (SDM Vol. 2)
    FWAIT, RSM, CLAC, STAC, XEND, XTEST, RDPID, RDPKRU, WRPKRU, CLFLUSHOPT, CLWB,
    FXSAVE, FXRSTOR, LDMXCSR, STMXCSR, XSAVE, XRSTOR, XSAVEOPT,
    RDFSBASE, RDGSBASE, WRFSBASE, WRGSBASE,
    // Encodings decoded for length and disassembly but not executed by the general-purpose core
    X87, SSE, MMX, AVX;

    private static final Mnemonic[] CMOV = {CMOVO, CMOVNO, CMOVB, CMOVAE, CMOVE, CMOVNE, CMOVBE, CMOVA,
        CMOVS, CMOVNS, CMOVP, CMOVNP, CMOVL, CMOVGE, CMOVLE, CMOVG};
    private static final Mnemonic[] SET = {SETO, SETNO, SETB, SETAE, SETE, SETNE, SETBE, SETA,
        SETS, SETNS, SETP, SETNP, SETL, SETGE, SETLE, SETG};
    private static final Mnemonic[] JCC = {JO, JNO, JB, JAE, JE, JNE, JBE, JA,
        JS, JNS, JP, JNP, JL, JGE, JLE, JG};

    /** CMOVcc for condition code {@code cc} (0..15, the low nibble of the opcode). */
    public static Mnemonic cmov(int cc) { return CMOV[cc & 15]; }
    /** SETcc for condition code {@code cc}. */
    public static Mnemonic set(int cc) { return SET[cc & 15]; }
    /** Jcc for condition code {@code cc}. */
    public static Mnemonic jcc(int cc) { return JCC[cc & 15]; }

    /** Condition code 0..15 of a Jcc/SETcc/CMOVcc mnemonic, or -1. */
    public int conditionCode() {
        int o = ordinal();
        if (o >= CMOVO.ordinal() && o <= CMOVG.ordinal()) return o - CMOVO.ordinal();
        if (o >= SETO.ordinal() && o <= SETG.ordinal()) return o - SETO.ordinal();
        if (o >= JO.ordinal() && o <= JG.ordinal()) return o - JO.ordinal();
        return -1;
    }
}
