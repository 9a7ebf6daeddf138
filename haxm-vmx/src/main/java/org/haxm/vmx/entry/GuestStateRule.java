package org.haxm.vmx.entry;

/**
 * The checks on the guest-state area made by VM entry, in SDM order (SDM Vol. 3C §27.3.1).
 * Violating one makes VM entry fail with exit reason 33 ("VM-entry failure due to invalid guest
 * state", bit 31 set) and the listed exit qualification (0 by default, 2 for PDPTEs, 4 for the
 * VMCS link pointer; §27.8).
 */
public enum GuestStateRule {
    // §27.3.1.1 control registers, debug registers and MSRs
    CR0_FIXED_BITS("§27.3.1.1", "CR0 must have the bits IA32_VMX_CR0_FIXED0 sets and no bits IA32_VMX_CR0_FIXED1 clears; "
        + "with \"unrestricted guest\" PE and PG are exempt", RegisterChecks::cr0Fixed),
    CR0_PG_REQUIRES_PE("§27.3.1.1", "If CR0.PG is 1, CR0.PE must be 1", RegisterChecks::cr0PagingNeedsProtection),
    CR4_FIXED_BITS("§27.3.1.1", "CR4 must have the bits IA32_VMX_CR4_FIXED0 sets and no bits IA32_VMX_CR4_FIXED1 clears",
        RegisterChecks::cr4Fixed),
    CR3_PHYSICAL_WIDTH("§27.3.1.1", "CR3 bits beyond the processor's physical-address width must be 0", RegisterChecks::cr3Width),
    DEBUG_CONTROLS("§27.3.1.1", "With \"load debug controls\", IA32_DEBUGCTL reserved bits and DR7 bits 63:32 must be 0",
        RegisterChecks::debugControls),
    IA32E_REQUIRES_PAGING("§27.3.1.1", "An IA-32e mode guest must have CR0.PG = 1", RegisterChecks::ia32eNeedsPaging),
    IA32E_REQUIRES_PAE("§27.3.1.1", "An IA-32e mode guest must have CR4.PAE = 1", RegisterChecks::ia32eNeedsPae),
    PCIDE_REQUIRES_IA32E("§27.3.1.1", "Outside IA-32e mode, CR4.PCIDE must be 0", RegisterChecks::pcideNeedsIa32e),
    SYSENTER_CANONICAL("§27.3.1.1", "IA32_SYSENTER_ESP and IA32_SYSENTER_EIP must be canonical", RegisterChecks::sysenterCanonical),
    PAT_VALID("§27.3.1.1", "With \"load IA32_PAT\", every PAT entry must be a valid memory type (0, 1, 4, 5, 6, 7)",
        RegisterChecks::pat),
    EFER_VALID("§27.3.1.1", "With \"load IA32_EFER\", reserved bits must be 0, LMA must equal \"IA-32e mode guest\", "
        + "and LME must equal LMA when CR0.PG = 1", RegisterChecks::efer),
    // §27.3.1.2 segment registers
    TR_TI_FLAG("§27.3.1.2", "TR's selector must have TI = 0", SegmentChecks::trTableIndicator),
    LDTR_TI_FLAG("§27.3.1.2", "A usable LDTR's selector must have TI = 0", SegmentChecks::ldtrTableIndicator),
    SS_RPL_EQUALS_CS_RPL("§27.3.1.2", "Outside virtual-8086 mode and without unrestricted guest, SS.RPL must equal CS.RPL",
        SegmentChecks::ssRplEqualsCsRpl),
    V8086_SEGMENTS("§27.3.1.2", "In virtual-8086 mode CS, SS, DS, ES, FS, GS have base = selector << 4, limit FFFFH, AR F3H",
        SegmentChecks::v8086Segments),
    SEGMENT_BASES("§27.3.1.2", "TR, FS, GS (and a usable LDTR) bases must be canonical; CS and usable SS/DS/ES bases "
        + "must have bits 63:32 zero", SegmentChecks::bases),
    CS_TYPE("§27.3.1.2", "CS must be an accessed code segment (type 9, 11, 13, 15), or type 3 with unrestricted guest",
        SegmentChecks::csType),
    SS_TYPE("§27.3.1.2", "A usable SS must be a read/write accessed data segment (type 3 or 7)", SegmentChecks::ssType),
    DATA_SEGMENT_TYPES("§27.3.1.2", "Usable DS, ES, FS, GS must be accessed, and readable if code", SegmentChecks::dataSegmentTypes),
    CODE_DATA_S_FLAG("§27.3.1.2", "CS and usable SS, DS, ES, FS, GS must have S = 1", SegmentChecks::descriptorTypeS),
    CS_DPL("§27.3.1.2", "CS.DPL is 0 for type 3, equals SS.DPL if non-conforming, is at most SS.DPL if conforming",
        SegmentChecks::csDpl),
    SS_DPL("§27.3.1.2", "SS.DPL equals SS.RPL without unrestricted guest, and is 0 when CR0.PE = 0 or CS type is 3",
        SegmentChecks::ssDpl),
    DATA_SEGMENT_DPL("§27.3.1.2", "Without unrestricted guest, usable DS-GS of type 0-11 must have DPL >= RPL",
        SegmentChecks::dataDpl),
    SEGMENT_PRESENT("§27.3.1.2", "CS and usable SS, DS, ES, FS, GS must be present (P = 1)", SegmentChecks::present),
    ACCESS_RIGHTS_RESERVED("§27.3.1.2", "Access-rights bits 11:8 and 31:17 must be 0 for CS, TR and usable segments",
        SegmentChecks::accessRightsReserved),
    LIMIT_GRANULARITY("§27.3.1.2", "If any of limit bits 11:0 is 0, G must be 0; if any of limit bits 31:20 is 1, G must be 1",
        SegmentChecks::limitGranularity),
    CS_L_AND_D("§27.3.1.2", "In an IA-32e mode guest, a CS with L = 1 must have D/B = 0", SegmentChecks::csLongModeSize),
    TR_TYPE("§27.3.1.2", "TR type must be 11 (busy 32/64-bit TSS), or 3 (busy 16-bit TSS) outside IA-32e mode",
        SegmentChecks::trType),
    TR_DESCRIPTOR("§27.3.1.2", "TR must be usable, a system descriptor (S = 0) and present", SegmentChecks::trDescriptor),
    LDTR_DESCRIPTOR("§27.3.1.2", "A usable LDTR must be type 2, a system descriptor (S = 0) and present",
        SegmentChecks::ldtrDescriptor),
    // §27.3.1.3 descriptor-table registers, §27.3.1.4 RIP and RFLAGS
    DESCRIPTOR_TABLE_REGISTERS("§27.3.1.3", "GDTR and IDTR bases must be canonical and their limits' bits 31:16 zero",
        RegisterChecks::descriptorTables),
    RIP_VALID("§27.3.1.4", "RIP bits 63:32 must be 0 unless CS.L = 1 in an IA-32e guest, where RIP must be canonical",
        RegisterChecks::rip),
    RFLAGS_RESERVED("§27.3.1.4", "RFLAGS bits 63:22, 15, 5 and 3 must be 0", RegisterChecks::rflagsReserved),
    RFLAGS_BIT1("§27.3.1.4", "RFLAGS bit 1 must be 1", RegisterChecks::rflagsBit1),
    RFLAGS_VM("§27.3.1.4", "RFLAGS.VM must be 0 in an IA-32e guest or when CR0.PE = 0", RegisterChecks::rflagsVm),
    RFLAGS_IF_FOR_INTERRUPT("§27.3.1.4", "Injecting an external interrupt requires RFLAGS.IF = 1",
        RegisterChecks::rflagsIfForInterrupt),
    // §27.3.1.5 non-register state
    ACTIVITY_STATE_SUPPORTED("§27.3.1.5", "The activity state must be 0-3 and supported per IA32_VMX_MISC",
        NonRegisterChecks::activityStateSupported),
    HLT_REQUIRES_SS_DPL0("§27.3.1.5", "The HLT activity state requires SS.DPL = 0", NonRegisterChecks::hltNeedsCpl0),
    BLOCKING_REQUIRES_ACTIVE("§27.3.1.5", "Blocking by STI or MOV SS requires the active state",
        NonRegisterChecks::blockingNeedsActive),
    INJECTION_IN_ACTIVITY_STATE("§27.3.1.5", "An injected event must be one the activity state can receive",
        NonRegisterChecks::injectionAllowedInActivityState),
    INTERRUPTIBILITY_RESERVED("§27.3.1.5", "Interruptibility-state bits 31:5 must be 0", NonRegisterChecks::interruptibilityReserved),
    STI_AND_MOV_SS("§27.3.1.5", "Blocking by STI and blocking by MOV SS must not both be set", NonRegisterChecks::stiAndMovSs),
    STI_REQUIRES_IF("§27.3.1.5", "Blocking by STI requires RFLAGS.IF = 1", NonRegisterChecks::stiNeedsIf),
    SMI_BLOCKING("§27.3.1.5", "Blocking by SMI must be 0 outside SMM", NonRegisterChecks::smiBlocking),
    INJECTION_BLOCKED("§27.3.1.5", "An injected external interrupt needs no STI/MOV-SS blocking; an injected NMI no MOV-SS "
        + "blocking (nor virtual-NMI blocking)", NonRegisterChecks::injectionBlocked),
    PENDING_DEBUG_RESERVED("§27.3.1.5", "Pending-debug-exception bits 11:4, 13, 15 and 63:17 must be 0",
        NonRegisterChecks::pendingDebugReserved),
    PENDING_SINGLE_STEP("§27.3.1.5", "With STI/MOV-SS blocking or HLT, pending BS must be 1 exactly when RFLAGS.TF = 1 "
        + "and DEBUGCTL.BTF = 0", NonRegisterChecks::pendingSingleStep),
    VMCS_LINK_POINTER("§27.3.1.5", "The VMCS link pointer must be FFFFFFFF_FFFFFFFFH", NonRegisterChecks::vmcsLinkPointer, 4),
    // §27.3.1.6 PDPTEs
    PDPTE_VALID("§27.3.1.6", "With EPT and PAE paging outside IA-32e mode, present PDPTEs must have no reserved bits set",
        NonRegisterChecks::pdptes, 2);

    private final String section;
    private final String statement;
    private final Check check;
    private final int qualification;

    GuestStateRule(String section, String statement, Check check) {
        this(section, statement, check, 0);
    }

    GuestStateRule(String section, String statement, Check check, int qualification) {
        this.section = section;
        this.statement = statement;
        this.check = check;
        this.qualification = qualification;
    }

    /** The SDM section, e.g. "SDM Vol. 3C §27.3.1.2". */
    public String citation() { return "SDM Vol. 3C " + section; }

    /** The rule in one sentence. */
    public String statement() { return statement; }

    /** The exit qualification of the failed entry (SDM §27.8): 0, 2 (PDPTE) or 4 (link pointer). */
    public int qualification() { return qualification; }

    String violation(EntryContext c) { return check.violation(c); }
}
