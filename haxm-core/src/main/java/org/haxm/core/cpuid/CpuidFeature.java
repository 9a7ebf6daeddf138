package org.haxm.core.cpuid;

import org.haxm.emulator.decoder.Mnemonic;
import org.haxm.emulator.exec.Executor;

/**
 * The feature flags the engine can report, each named as in the CPUID tables of the Intel SDM
 * Vol. 2A ("CPUID—CPU Identification", Tables 3-8 ... 3-20), with its leaf, sub-leaf, register
 * and bit, and the instructions whose presence it announces.
 *
 * <p>The list is the engine's whole offer: a flag appears here only when the processor model
 * implements what it promises — the instructions execute ({@link #instructions()} are all in the
 * executor's table, checked by {@link #executable()}), or the paging / system behaviour exists
 * in {@code haxm-emulator}. Flags the engine does <em>not</em> report, and why:
 * <ul>
 *   <li>FPU, MMX, FXSR, SSE..SSE4.2, AVX*, FMA, F16C, AES, PCLMULQDQ: the core executes no x87 or
 *       vector instruction ({@code ProcessorOps.extension} raises #NM/#UD). CRC32 does execute,
 *       but it is enumerated by SSE4.2, which would promise the whole SSE family.</li>
 *   <li>XSAVE, OSXSAVE: XSAVE/XRSTOR/FXSAVE are not executed, so leaf 0xD reports no state
 *       components (SDM Vol. 1 §13.2).</li>
 *   <li>VME, DE, MCE, MCA, APIC, x2APIC, TSC-deadline: virtual-8086 extensions, machine checks
 *       and the local APIC are not modelled (the APIC is the caller's device, as with HAXM).</li>
 *   <li>MONITOR/MWAIT, VMX, SMX, PCID, INVPCID, SMAP, PKU: MONITOR/MWAIT raise #UD, CR4.PCIDE and
 *       CR4.PKE are reserved, INVPCID does not check its descriptor, and the MMU does not
 *       enforce SMAP even though CLAC/STAC execute.</li>
 *   <li>Invariant TSC (0x80000007 EDX[8]): the TSC counts retired instructions, not time.</li>
 * </ul>
 */
public enum CpuidFeature {
    // ---- Leaf 1 EDX (SDM Vol. 2A Table 3-11)
    /** Page Size Extension: 4-MiB pages with CR4.PSE in 32-bit paging. */
    PSE(1, CpuidRegister.EDX, 3),
    /** Time Stamp Counter: RDTSC and CR4.TSD. */
    TSC(1, CpuidRegister.EDX, 4, Mnemonic.RDTSC),
    /** Model Specific Registers: RDMSR/WRMSR. */
    MSR(1, CpuidRegister.EDX, 5, Mnemonic.RDMSR, Mnemonic.WRMSR),
    /** Physical Address Extension: PAE paging. */
    PAE(1, CpuidRegister.EDX, 6),
    /** CMPXCHG8B. */
    CX8(1, CpuidRegister.EDX, 8, Mnemonic.CMPXCHG8B),
    /** SYSENTER and SYSEXIT with the SYSENTER MSRs. */
    SEP(1, CpuidRegister.EDX, 11, Mnemonic.SYSENTER, Mnemonic.SYSEXIT),
    /** Memory Type Range Registers: IA32_MTRRCAP, the variable and fixed MTRR MSRs. */
    MTRR(1, CpuidRegister.EDX, 12),
    /** Page Global Enable: CR4.PGE and global translations. */
    PGE(1, CpuidRegister.EDX, 13),
    /** Conditional moves CMOVcc. */
    CMOV(1, CpuidRegister.EDX, 15, Mnemonic.CMOVE, Mnemonic.CMOVNE),
    /** Page Attribute Table: IA32_PAT (memory types have no effect here, the MSR does). */
    PAT(1, CpuidRegister.EDX, 16),
    /** CLFLUSH (line size in leaf 1 EBX[15:8]). */
    CLFSH(1, CpuidRegister.EDX, 19, Mnemonic.CLFLUSH),

    // ---- Leaf 1 ECX (SDM Vol. 2A Table 3-10)
    /** CMPXCHG16B. */
    CMPXCHG16B(1, CpuidRegister.ECX, 13, Mnemonic.CMPXCHG16B),
    /** MOVBE. */
    MOVBE(1, CpuidRegister.ECX, 22, Mnemonic.MOVBE),
    /** POPCNT. */
    POPCNT(1, CpuidRegister.ECX, 23, Mnemonic.POPCNT),
    /** RDRAND. */
    RDRAND(1, CpuidRegister.ECX, 30, Mnemonic.RDRAND),

    // ---- Leaf 7 sub-leaf 0 EBX/ECX (SDM Vol. 2A Table 3-8, leaf 07H)
    /** RDFSBASE/RDGSBASE/WRFSBASE/WRGSBASE with CR4.FSGSBASE. */
    FSGSBASE(7, CpuidRegister.EBX, 0, Mnemonic.RDFSBASE, Mnemonic.RDGSBASE, Mnemonic.WRFSBASE, Mnemonic.WRGSBASE),
    /** Bit Manipulation Instructions 1: ANDN, BEXTR, BLSI, BLSMSK, BLSR, TZCNT. */
    BMI1(7, CpuidRegister.EBX, 3, Mnemonic.ANDN, Mnemonic.BEXTR, Mnemonic.BLSI, Mnemonic.BLSMSK, Mnemonic.BLSR, Mnemonic.TZCNT),
    /** Supervisor-Mode Execution Prevention: CR4.SMEP, enforced by the MMU. */
    SMEP(7, CpuidRegister.EBX, 7),
    /** Bit Manipulation Instructions 2: BZHI, MULX, PDEP, PEXT, RORX, SARX, SHLX, SHRX. */
    BMI2(7, CpuidRegister.EBX, 8, Mnemonic.BZHI, Mnemonic.MULX, Mnemonic.PDEP, Mnemonic.PEXT, Mnemonic.RORX,
        Mnemonic.SARX, Mnemonic.SHLX, Mnemonic.SHRX),
    /** Enhanced REP MOVSB/STOSB: a performance hint; the string instructions execute. */
    ERMS(7, CpuidRegister.EBX, 9, Mnemonic.MOVS, Mnemonic.STOS),
    /** RDSEED. */
    RDSEED(7, CpuidRegister.EBX, 18, Mnemonic.RDSEED),
    /** ADCX and ADOX. */
    ADX(7, CpuidRegister.EBX, 19, Mnemonic.ADCX, Mnemonic.ADOX),
    /** CLFLUSHOPT. */
    CLFLUSHOPT(7, CpuidRegister.EBX, 23, Mnemonic.CLFLUSHOPT),
    /** CLWB. */
    CLWB(7, CpuidRegister.EBX, 24, Mnemonic.CLWB),
    /** User-Mode Instruction Prevention: CR4.UMIP makes SGDT/SIDT/SLDT/STR/SMSW #GP at CPL > 0. */
    UMIP(7, CpuidRegister.ECX, 2),
    /** RDPID. */
    RDPID(7, CpuidRegister.ECX, 22, Mnemonic.RDPID),

    // ---- Leaf 0x80000001 ECX/EDX (SDM Vol. 2A Table 3-8, leaf 80000001H)
    /** LAHF/SAHF available in 64-bit mode. */
    LAHF_SAHF(0x8000_0001, CpuidRegister.ECX, 0, Mnemonic.LAHF, Mnemonic.SAHF),
    /** LZCNT (AMD's "ABM"). */
    LZCNT(0x8000_0001, CpuidRegister.ECX, 5, Mnemonic.LZCNT),
    /** PREFETCHW (0F 0D /1, a hint the core executes as a no-op). */
    PREFETCHW(0x8000_0001, CpuidRegister.ECX, 8, Mnemonic.PREFETCH),
    /** SYSCALL/SYSRET in 64-bit mode. */
    SYSCALL(0x8000_0001, CpuidRegister.EDX, 11, Mnemonic.SYSCALL, Mnemonic.SYSRET),
    /** Execute Disable bit (EFER.NXE, page-table bit 63). */
    NX(0x8000_0001, CpuidRegister.EDX, 20),
    /** 1-GiB pages in 4-level paging (PDPTE.PS). */
    PAGE1GB(0x8000_0001, CpuidRegister.EDX, 26),
    /** RDTSCP and IA32_TSC_AUX. */
    RDTSCP(0x8000_0001, CpuidRegister.EDX, 27, Mnemonic.RDTSCP),
    /** Intel 64 architecture (long mode). */
    LM(0x8000_0001, CpuidRegister.EDX, 29);

    private final int leaf;
    private final CpuidRegister register;
    private final int bit;
    private final Mnemonic[] instructions;

    CpuidFeature(int leaf, CpuidRegister register, int bit, Mnemonic... instructions) {
        this.leaf = leaf;
        this.register = register;
        this.bit = bit;
        this.instructions = instructions;
    }

    /** The CPUID leaf (EAX input); leaf 7 flags are in sub-leaf 0. */
    public int leaf() { return leaf; }
    /** The output register that holds the flag. */
    public CpuidRegister register() { return register; }
    /** Bit number in {@link #register()}. */
    public int bit() { return bit; }
    /** The flag as a mask of its register. */
    public int mask() { return 1 << bit; }
    /** The instructions this flag announces (empty for paging/system features). */
    public Mnemonic[] instructions() { return instructions.clone(); }

    /** True when every instruction the flag announces is in the executor's table. */
    public boolean executable() {
        for (Mnemonic m : instructions) if (!Executor.implemented(m)) return false;
        return true;
    }

    /** The OR of the masks of {@code features} that live in {@code leaf}'s {@code register}. */
    static int maskOf(Iterable<CpuidFeature> features, int leaf, CpuidRegister register) {
        int m = 0;
        for (CpuidFeature f : features) if (f.leaf == leaf && f.register == register) m |= f.mask();
        return m;
    }
}
