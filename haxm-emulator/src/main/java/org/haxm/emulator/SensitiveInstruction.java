package org.haxm.emulator;

/**
 * Instructions the CPU reports to its {@link InterceptHook} before executing them: those that a
 * VMM may intercept (SDM Vol. 3C §26.1 "Instructions that cause VM exits").
 */
public enum SensitiveInstruction {
    /** Always exits in VMX non-root operation. */
    CPUID, GETSEC, INVD, XSETBV,
    /** VMCALL, VMLAUNCH, ... INVEPT, INVVPID, VMFUNC: always exit; {@link InterceptInfo#mnemonic} says which. */
    VMX,
    HLT, INVLPG, INVPCID, RDPMC, RDTSC, RDTSCP, RDMSR, WRMSR,
    /** MOV to CR0/3/4/8 (value in {@link InterceptInfo#value}). */
    MOV_TO_CR,
    /** MOV from CR3/CR8. */
    MOV_FROM_CR,
    CLTS, LMSW, MOV_DR,
    /** IN, OUT, INS, OUTS. */
    IO,
    PAUSE, MWAIT, MONITOR, WBINVD, RDRAND, RDSEED,
    /** LGDT, LIDT, SGDT, SIDT. */
    DESCRIPTOR_TABLE,
    /** LLDT, LTR, SLDT, STR. */
    LDTR_TR
}
