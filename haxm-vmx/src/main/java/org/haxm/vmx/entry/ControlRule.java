package org.haxm.vmx.entry;

/**
 * The checks on VMX controls made by VMLAUNCH/VMRESUME, in SDM order (SDM Vol. 3C §27.2.1).
 * Violating any of them makes the instruction fail with VMfailValid(7), "VM entry with invalid
 * control field(s)", before any guest state is looked at.
 */
public enum ControlRule {
    PIN_BASED_RESERVED_BITS("§27.2.1.1",
        "Reserved bits in the pin-based VM-execution controls must be set as IA32_VMX_(TRUE_)PINBASED_CTLS requires",
        ControlChecks::pinBased),
    PRIMARY_PROC_BASED_RESERVED_BITS("§27.2.1.1",
        "Reserved bits in the primary processor-based controls must be set as IA32_VMX_(TRUE_)PROCBASED_CTLS requires",
        ControlChecks::primaryProcBased),
    SECONDARY_PROC_BASED_RESERVED_BITS("§27.2.1.1",
        "If activated, the secondary processor-based controls may only set bits IA32_VMX_PROCBASED_CTLS2 allows",
        ControlChecks::secondaryProcBased),
    CR3_TARGET_COUNT("§27.2.1.1",
        "The CR3-target count must not exceed the number of CR3-target values the CPU supports",
        ControlChecks::cr3TargetCount),
    IO_BITMAP_ADDRESSES("§27.2.1.1",
        "With \"use I/O bitmaps\", both I/O-bitmap addresses must be 4-KByte aligned and within MAXPHYADDR",
        ControlChecks::ioBitmaps),
    MSR_BITMAP_ADDRESS("§27.2.1.1",
        "With \"use MSR bitmaps\", the MSR-bitmap address must be 4-KByte aligned and within MAXPHYADDR",
        ControlChecks::msrBitmap),
    TPR_SHADOW_DEPENDENTS("§27.2.1.1",
        "Without \"use TPR shadow\", x2APIC virtualization, APIC-register virtualization and virtual-interrupt delivery must be 0",
        ControlChecks::tprShadowDependents),
    VIRTUAL_NMIS_REQUIRE_NMI_EXITING("§27.2.1.1",
        "If \"NMI exiting\" is 0, \"virtual NMIs\" must be 0",
        ControlChecks::virtualNmisNeedNmiExiting),
    NMI_WINDOW_REQUIRES_VIRTUAL_NMIS("§27.2.1.1",
        "If \"virtual NMIs\" is 0, \"NMI-window exiting\" must be 0",
        ControlChecks::nmiWindowNeedsVirtualNmis),
    VPID_NON_ZERO("§27.2.1.1",
        "If \"enable VPID\" is 1, the VPID must not be 0000H",
        ControlChecks::vpidNonZero),
    EPT_POINTER_VALID("§27.2.1.1",
        "If \"enable EPT\" is 1, the EPTP must name a supported memory type and walk length, set A/D only if "
            + "supported, keep bits 11:7 zero and stay within MAXPHYADDR",
        ControlChecks::eptPointer),
    UNRESTRICTED_GUEST_REQUIRES_EPT("§27.2.1.1",
        "If \"unrestricted guest\" is 1, \"enable EPT\" must be 1",
        ControlChecks::unrestrictedGuestNeedsEpt),
    EXIT_CONTROLS_RESERVED_BITS("§27.2.1.2",
        "Reserved bits in the VM-exit controls must be set as IA32_VMX_(TRUE_)EXIT_CTLS requires",
        ControlChecks::exitControls),
    SAVE_PREEMPTION_TIMER_REQUIRES_TIMER("§27.2.1.2",
        "If \"activate VMX-preemption timer\" is 0, \"save VMX-preemption-timer value\" must be 0",
        ControlChecks::savePreemptionTimer),
    EXIT_MSR_STORE_LIST("§27.2.1.2",
        "A non-empty VM-exit MSR-store list must be 16-byte aligned and lie within MAXPHYADDR",
        ControlChecks::exitMsrStore),
    EXIT_MSR_LOAD_LIST("§27.2.1.2",
        "A non-empty VM-exit MSR-load list must be 16-byte aligned and lie within MAXPHYADDR",
        ControlChecks::exitMsrLoad),
    ENTRY_CONTROLS_RESERVED_BITS("§27.2.1.3",
        "Reserved bits in the VM-entry controls must be set as IA32_VMX_(TRUE_)ENTRY_CTLS requires",
        ControlChecks::entryControls),
    ENTRY_SMM_CONTROLS("§27.2.1.3",
        "Outside SMM, \"entry to SMM\" and \"deactivate dual-monitor treatment\" must be 0",
        ControlChecks::smmControls),
    ENTRY_MSR_LOAD_LIST("§27.2.1.3",
        "A non-empty VM-entry MSR-load list must be 16-byte aligned and lie within MAXPHYADDR",
        ControlChecks::entryMsrLoad),
    INJECTION_TYPE("§27.2.1.3",
        "An injected event must not use the reserved type 1; type 7 needs monitor-trap-flag support",
        InjectionChecks::type),
    INJECTION_VECTOR("§27.2.1.3",
        "An injected NMI uses vector 2, a hardware exception a vector 0-31, type 7 vector 0",
        InjectionChecks::vector),
    INJECTION_ERROR_CODE_CONSISTENCY("§27.2.1.3",
        "\"Deliver error code\" must be 1 exactly for hardware exceptions 8, 10-14, 17 when the guest is in protected mode",
        InjectionChecks::errorCodeConsistency),
    INJECTION_RESERVED_BITS("§27.2.1.3",
        "Bits 30:12 of the VM-entry interruption-information field must be 0",
        InjectionChecks::reservedBits),
    INJECTION_ERROR_CODE_RESERVED("§27.2.1.3",
        "When an error code is delivered, bits 31:16 of the VM-entry exception error code must be 0",
        InjectionChecks::errorCodeReserved),
    INJECTION_INSTRUCTION_LENGTH("§27.2.1.3",
        "Injecting a software interrupt or software exception needs a VM-entry instruction length of 1-15",
        InjectionChecks::instructionLength);

    private final String section;
    private final String statement;
    private final Check check;

    ControlRule(String section, String statement, Check check) {
        this.section = section;
        this.statement = statement;
        this.check = check;
    }

    /** The SDM section, e.g. "SDM Vol. 3C §27.2.1.1". */
    public String citation() { return "SDM Vol. 3C " + section; }

    /** The rule in one sentence. */
    public String statement() { return statement; }

    String violation(EntryContext c) { return check.violation(c); }
}
