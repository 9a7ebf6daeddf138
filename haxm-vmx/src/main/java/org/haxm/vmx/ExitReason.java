package org.haxm.vmx;

/**
 * Basic VM-exit reasons: bits 15:0 of the exit-reason field (SDM Vol. 3C Appendix C,
 * "VMX Basic Exit Reasons"). Numbers 35, 38, 42, 71, 82 and 83 are not defined.
 */
public enum ExitReason {
    EXCEPTION_NMI(0, "Exception or non-maskable interrupt (NMI)"),
    EXTERNAL_INTERRUPT(1, "External interrupt"),
    TRIPLE_FAULT(2, "Triple fault"),
    INIT_SIGNAL(3, "INIT signal"),
    SIPI(4, "Start-up IPI (SIPI)"),
    IO_SMI(5, "I/O system-management interrupt (SMI)"),
    OTHER_SMI(6, "Other SMI"),
    INTERRUPT_WINDOW(7, "Interrupt window"),
    NMI_WINDOW(8, "NMI window"),
    TASK_SWITCH(9, "Task switch"),
    CPUID(10, "CPUID"),
    GETSEC(11, "GETSEC"),
    HLT(12, "HLT"),
    INVD(13, "INVD"),
    INVLPG(14, "INVLPG"),
    RDPMC(15, "RDPMC"),
    RDTSC(16, "RDTSC"),
    RSM(17, "RSM in SMM"),
    VMCALL(18, "VMCALL"),
    VMCLEAR(19, "VMCLEAR"),
    VMLAUNCH(20, "VMLAUNCH"),
    VMPTRLD(21, "VMPTRLD"),
    VMPTRST(22, "VMPTRST"),
    VMREAD(23, "VMREAD"),
    VMRESUME(24, "VMRESUME"),
    VMWRITE(25, "VMWRITE"),
    VMXOFF(26, "VMXOFF"),
    VMXON(27, "VMXON"),
    CR_ACCESS(28, "Control-register accesses"),
    DR_ACCESS(29, "MOV DR"),
    IO_INSTRUCTION(30, "I/O instruction"),
    RDMSR(31, "RDMSR"),
    WRMSR(32, "WRMSR"),
    ENTRY_FAILURE_GUEST_STATE(33, "VM-entry failure due to invalid guest state"),
    ENTRY_FAILURE_MSR_LOADING(34, "VM-entry failure due to MSR loading"),
    MWAIT(36, "MWAIT"),
    MONITOR_TRAP_FLAG(37, "Monitor trap flag"),
    MONITOR(39, "MONITOR"),
    PAUSE(40, "PAUSE"),
    ENTRY_FAILURE_MACHINE_CHECK(41, "VM-entry failure due to machine-check event"),
    TPR_BELOW_THRESHOLD(43, "TPR below threshold"),
    APIC_ACCESS(44, "APIC access"),
    VIRTUALIZED_EOI(45, "Virtualized EOI"),
    GDTR_IDTR_ACCESS(46, "Access to GDTR or IDTR"),
    LDTR_TR_ACCESS(47, "Access to LDTR or TR"),
    EPT_VIOLATION(48, "EPT violation"),
    EPT_MISCONFIG(49, "EPT misconfiguration"),
    INVEPT(50, "INVEPT"),
    RDTSCP(51, "RDTSCP"),
    PREEMPTION_TIMER(52, "VMX-preemption timer expired"),
    INVVPID(53, "INVVPID"),
    WBINVD(54, "WBINVD or WBNOINVD"),
    XSETBV(55, "XSETBV"),
    APIC_WRITE(56, "APIC write"),
    RDRAND(57, "RDRAND"),
    INVPCID(58, "INVPCID"),
    VMFUNC(59, "VMFUNC"),
    ENCLS(60, "ENCLS"),
    RDSEED(61, "RDSEED"),
    PML_FULL(62, "Page-modification log full"),
    XSAVES(63, "XSAVES"),
    XRSTORS(64, "XRSTORS"),
    PCONFIG(65, "PCONFIG"),
    SPP_EVENT(66, "SPP-related event"),
    UMWAIT(67, "UMWAIT"),
    TPAUSE(68, "TPAUSE"),
    LOADIWKEY(69, "LOADIWKEY"),
    ENCLV(70, "ENCLV"),
    ENQCMD_PASID_FAILURE(72, "ENQCMD PASID translation failure"),
    ENQCMDS_PASID_FAILURE(73, "ENQCMDS PASID translation failure"),
    BUS_LOCK(74, "Bus lock"),
    INSTRUCTION_TIMEOUT(75, "Instruction timeout"),
    SEAMCALL(76, "SEAMCALL"),
    TDCALL(77, "TDCALL"),
    RDMSRLIST(78, "RDMSRLIST"),
    WRMSRLIST(79, "WRMSRLIST"),
    URDMSR(80, "URDMSR"),
    UWRMSR(81, "UWRMSR"),
    RDMSR_IMM(84, "RDMSR with immediate operand"),
    WRMSRNS_IMM(85, "WRMSRNS with immediate operand");

    private static final ExitReason[] BY_NUMBER = new ExitReason[86];

    static {
        for (ExitReason r : values()) {
            if (BY_NUMBER[r.number] != null) {
                throw new IllegalStateException("duplicate exit reason number " + r.number);
            }
            BY_NUMBER[r.number] = r;
        }
    }

    private final int number;
    private final String description;

    ExitReason(int number, String description) {
        this.number = number;
        this.description = description;
    }

    /** The basic exit reason number (exit-reason field bits 15:0). */
    public int number() { return number; }

    /** The SDM's name for this exit. */
    public String description() { return description; }

    /**
     * True for exits that happen <em>after</em> the instruction completed, so the saved RIP
     * already points to the next instruction (SDM Vol. 3C §28.1, §30.1.2): TPR below threshold,
     * virtualized EOI, APIC write, bus lock, and monitor trap flag (which fires between
     * instructions). All other instruction-caused exits are fault-like.
     */
    public boolean isTrapLike() {
        return this == TPR_BELOW_THRESHOLD || this == VIRTUALIZED_EOI || this == APIC_WRITE
            || this == BUS_LOCK || this == MONITOR_TRAP_FLAG;
    }

    /** True for the three reasons reported with bit 31 set when VM entry itself fails (SDM §27.8). */
    public boolean isEntryFailure() {
        return this == ENTRY_FAILURE_GUEST_STATE || this == ENTRY_FAILURE_MSR_LOADING
            || this == ENTRY_FAILURE_MACHINE_CHECK;
    }

    /** The exit reason with this basic number, or {@code null} if the number is not defined. */
    public static ExitReason fromNumber(int number) {
        return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }

    @Override public String toString() { return name() + "(" + number + ")"; }
}
