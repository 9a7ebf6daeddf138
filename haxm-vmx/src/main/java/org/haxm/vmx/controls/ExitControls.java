package org.haxm.vmx.controls;

/**
 * Bits of the primary VM-exit controls, field 0x400C (SDM Vol. 3C §25.7.1, Table 25-13).
 */
public final class ExitControls {
    private ExitControls() {}

    /** Bit 2: save guest DR7 and IA32_DEBUGCTL on exit. */
    public static final int SAVE_DEBUG_CONTROLS = 1 << 2;
    /** Bit 9: host address-space size; the host runs in 64-bit mode after the exit. */
    public static final int HOST_ADDRESS_SPACE_SIZE = 1 << 9;
    /** Bit 12: load host IA32_PERF_GLOBAL_CTRL. */
    public static final int LOAD_IA32_PERF_GLOBAL_CTRL = 1 << 12;
    /** Bit 15: acknowledge the interrupt controller on an external-interrupt exit and store the vector. */
    public static final int ACKNOWLEDGE_INTERRUPT_ON_EXIT = 1 << 15;
    /** Bit 18: save guest IA32_PAT. */
    public static final int SAVE_IA32_PAT = 1 << 18;
    /** Bit 19: load host IA32_PAT. */
    public static final int LOAD_IA32_PAT = 1 << 19;
    /** Bit 20: save guest IA32_EFER. */
    public static final int SAVE_IA32_EFER = 1 << 20;
    /** Bit 21: load host IA32_EFER. */
    public static final int LOAD_IA32_EFER = 1 << 21;
    /** Bit 22: save the VMX-preemption timer value. Requires the pin-based timer control. */
    public static final int SAVE_PREEMPTION_TIMER = 1 << 22;
    /** Bit 23: clear IA32_BNDCFGS. */
    public static final int CLEAR_IA32_BNDCFGS = 1 << 23;
    /** Bit 24: conceal VM exits from Intel PT. */
    public static final int CONCEAL_VMX_FROM_PT = 1 << 24;
    /** Bit 25: clear IA32_RTIT_CTL. */
    public static final int CLEAR_IA32_RTIT_CTL = 1 << 25;
    /** Bit 26: clear IA32_LBR_CTL. */
    public static final int CLEAR_IA32_LBR_CTL = 1 << 26;
    /** Bit 27: clear UINV. */
    public static final int CLEAR_UINV = 1 << 27;
    /** Bit 28: load host CET state. */
    public static final int LOAD_CET_STATE = 1 << 28;
    /** Bit 29: load host IA32_PKRS. */
    public static final int LOAD_PKRS = 1 << 29;
    /** Bit 30: save guest IA32_PERF_GLOBAL_CTRL. */
    public static final int SAVE_IA32_PERF_GLOBAL_CTRL = 1 << 30;
    /** Bit 31: the secondary VM-exit controls are used. */
    public static final int ACTIVATE_SECONDARY_CONTROLS = 1 << 31;
    /** Bits 0-8, 10, 11, 13, 14, 16, 17: default1 in IA32_VMX_EXIT_CTLS (SDM Appendix A.4). */
    public static final int DEFAULT1 = 0x0003_6DFF;
    /** Default1 bits that stay mandatory with the TRUE MSR (save debug controls becomes optional). */
    public static final int TRUE_DEFAULT1 = 0x0003_6DFB;
}
