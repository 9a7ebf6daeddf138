package org.haxm.vmx.controls;

/**
 * Bits of the VM-entry controls, field 0x4012 (SDM Vol. 3C §25.8.1, Table 25-15).
 */
public final class EntryControls {
    private EntryControls() {}

    /** Bit 2: load guest DR7 and IA32_DEBUGCTL on entry. */
    public static final int LOAD_DEBUG_CONTROLS = 1 << 2;
    /** Bit 9: IA-32e mode guest; the guest's EFER.LMA is 1 after entry. */
    public static final int IA32E_MODE_GUEST = 1 << 9;
    /** Bit 10: entry to SMM (dual-monitor treatment only; must be 0 outside SMM). */
    public static final int ENTRY_TO_SMM = 1 << 10;
    /** Bit 11: deactivate dual-monitor treatment (must be 0 outside SMM). */
    public static final int DEACTIVATE_DUAL_MONITOR = 1 << 11;
    /** Bit 13: load guest IA32_PERF_GLOBAL_CTRL. */
    public static final int LOAD_IA32_PERF_GLOBAL_CTRL = 1 << 13;
    /** Bit 14: load guest IA32_PAT. */
    public static final int LOAD_IA32_PAT = 1 << 14;
    /** Bit 15: load guest IA32_EFER. */
    public static final int LOAD_IA32_EFER = 1 << 15;
    /** Bit 16: load guest IA32_BNDCFGS. */
    public static final int LOAD_IA32_BNDCFGS = 1 << 16;
    /** Bit 17: conceal VM entries from Intel PT. */
    public static final int CONCEAL_VMX_FROM_PT = 1 << 17;
    /** Bit 18: load guest IA32_RTIT_CTL. */
    public static final int LOAD_IA32_RTIT_CTL = 1 << 18;
    /** Bit 19: load guest UINV. */
    public static final int LOAD_UINV = 1 << 19;
    /** Bit 20: load guest CET state. */
    public static final int LOAD_CET_STATE = 1 << 20;
    /** Bit 21: load guest IA32_LBR_CTL. */
    public static final int LOAD_IA32_LBR_CTL = 1 << 21;
    /** Bit 22: load guest IA32_PKRS. */
    public static final int LOAD_PKRS = 1 << 22;
    /** Bits 0-8, 12: default1 in IA32_VMX_ENTRY_CTLS (SDM Appendix A.5). */
    public static final int DEFAULT1 = 0x0000_11FF;
    /** Default1 bits that stay mandatory with the TRUE MSR (load debug controls becomes optional). */
    public static final int TRUE_DEFAULT1 = 0x0000_11FB;
}
