package org.haxm.vmx.controls;

/**
 * Bits of the secondary processor-based VM-execution controls, field 0x401E (SDM Vol. 3C
 * §25.6.2, Table 25-7). Used only when primary bit 31 is set; no default1 bits.
 */
public final class SecondaryProcBasedControls {
    private SecondaryProcBasedControls() {}

    /** Bit 0: accesses to the APIC-access page are virtualised (exit reason 44). */
    public static final int VIRTUALIZE_APIC_ACCESSES = 1;
    /** Bit 1: enable EPT; guest-physical addresses are translated through the EPT paging structures. */
    public static final int ENABLE_EPT = 1 << 1;
    /** Bit 2: LGDT/LIDT/LLDT/LTR/SGDT/SIDT/SLDT/STR exit (reasons 46, 47). */
    public static final int DESCRIPTOR_TABLE_EXITING = 1 << 2;
    /** Bit 3: RDTSCP is available (otherwise #UD). */
    public static final int ENABLE_RDTSCP = 1 << 3;
    /** Bit 4: RDMSR/WRMSR of x2APIC MSRs are virtualised. */
    public static final int VIRTUALIZE_X2APIC_MODE = 1 << 4;
    /** Bit 5: linear translations are tagged with the VPID field. */
    public static final int ENABLE_VPID = 1 << 5;
    /** Bit 6: WBINVD/WBNOINVD exit (reason 54). */
    public static final int WBINVD_EXITING = 1 << 6;
    /** Bit 7: unrestricted guest; the guest may run unpaged or in real mode. Requires {@link #ENABLE_EPT}. */
    public static final int UNRESTRICTED_GUEST = 1 << 7;
    /** Bit 8: APIC-register virtualisation. */
    public static final int APIC_REGISTER_VIRTUALIZATION = 1 << 8;
    /** Bit 9: virtual-interrupt delivery. */
    public static final int VIRTUAL_INTERRUPT_DELIVERY = 1 << 9;
    /** Bit 10: PAUSE-loop exiting. */
    public static final int PAUSE_LOOP_EXITING = 1 << 10;
    /** Bit 11: RDRAND exits (reason 57). */
    public static final int RDRAND_EXITING = 1 << 11;
    /** Bit 12: INVPCID is available (otherwise #UD). */
    public static final int ENABLE_INVPCID = 1 << 12;
    /** Bit 13: VMFUNC is available. */
    public static final int ENABLE_VM_FUNCTIONS = 1 << 13;
    /** Bit 14: VMCS shadowing for guest VMREAD/VMWRITE. */
    public static final int VMCS_SHADOWING = 1 << 14;
    /** Bit 15: ENCLS exiting. */
    public static final int ENABLE_ENCLS_EXITING = 1 << 15;
    /** Bit 16: RDSEED exits (reason 61). */
    public static final int RDSEED_EXITING = 1 << 16;
    /** Bit 17: page-modification logging. Requires EPT. */
    public static final int ENABLE_PML = 1 << 17;
    /** Bit 18: EPT violations may become #VE in the guest. */
    public static final int EPT_VIOLATION_VE = 1 << 18;
    /** Bit 19: conceal VMX from Intel Processor Trace. */
    public static final int CONCEAL_VMX_FROM_PT = 1 << 19;
    /** Bit 20: XSAVES/XRSTORS are available. */
    public static final int ENABLE_XSAVES_XRSTORS = 1 << 20;
    /** Bit 21: PASID translation for ENQCMD/ENQCMDS. */
    public static final int PASID_TRANSLATION = 1 << 21;
    /** Bit 22: mode-based execute control for EPT. Requires EPT. */
    public static final int MODE_BASED_EXECUTE_CONTROL = 1 << 22;
    /** Bit 23: sub-page write permissions for EPT. Requires EPT. */
    public static final int SUB_PAGE_WRITE_PERMISSIONS = 1 << 23;
    /** Bit 24: Intel PT uses guest-physical addresses. */
    public static final int PT_USES_GUEST_PHYSICAL = 1 << 24;
    /** Bit 25: TSC scaling by the TSC-multiplier field. */
    public static final int USE_TSC_SCALING = 1 << 25;
    /** Bit 26: UMWAIT/TPAUSE are available. */
    public static final int ENABLE_USER_WAIT_PAUSE = 1 << 26;
    /** Bit 27: PCONFIG is available. */
    public static final int ENABLE_PCONFIG = 1 << 27;
    /** Bit 28: ENCLV exiting. */
    public static final int ENABLE_ENCLV_EXITING = 1 << 28;
    /** Bit 30: VMM bus-lock detection (exit reason 74). */
    public static final int VMM_BUS_LOCK_DETECTION = 1 << 30;
    /** Bit 31: instruction timeout (exit reason 75). */
    public static final int INSTRUCTION_TIMEOUT = 1 << 31;
}
