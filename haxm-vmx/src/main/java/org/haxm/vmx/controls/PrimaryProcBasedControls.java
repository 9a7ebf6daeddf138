package org.haxm.vmx.controls;

/**
 * Bits of the primary processor-based VM-execution controls, field 0x4002 (SDM Vol. 3C §25.6.2,
 * Table 25-6). They govern synchronous events, mostly which instructions exit.
 */
public final class PrimaryProcBasedControls {
    private PrimaryProcBasedControls() {}

    /** Bit 2: exit (reason 7) at the start of any instruction when RFLAGS.IF = 1 and no STI/MOV-SS blocking. */
    public static final int INTERRUPT_WINDOW_EXITING = 1 << 2;
    /** Bit 3: RDTSC/RDTSCP/RDMSR(TSC) add the TSC-offset field. */
    public static final int USE_TSC_OFFSETTING = 1 << 3;
    /** Bit 7: HLT exits (reason 12). */
    public static final int HLT_EXITING = 1 << 7;
    /** Bit 9: INVLPG exits (reason 14). */
    public static final int INVLPG_EXITING = 1 << 9;
    /** Bit 10: MWAIT exits (reason 36). */
    public static final int MWAIT_EXITING = 1 << 10;
    /** Bit 11: RDPMC exits (reason 15). */
    public static final int RDPMC_EXITING = 1 << 11;
    /** Bit 12: RDTSC (reason 16) and RDTSCP (reason 51) exit. */
    public static final int RDTSC_EXITING = 1 << 12;
    /** Bit 15: MOV to CR3 exits unless the value is one of the CR3-target values. */
    public static final int CR3_LOAD_EXITING = 1 << 15;
    /** Bit 16: MOV from CR3 exits. */
    public static final int CR3_STORE_EXITING = 1 << 16;
    /** Bit 17: the tertiary processor-based controls are used. */
    public static final int ACTIVATE_TERTIARY_CONTROLS = 1 << 17;
    /** Bit 19: MOV to CR8 exits. */
    public static final int CR8_LOAD_EXITING = 1 << 19;
    /** Bit 20: MOV from CR8 exits. */
    public static final int CR8_STORE_EXITING = 1 << 20;
    /** Bit 21: TPR virtualisation through the virtual-APIC page. */
    public static final int USE_TPR_SHADOW = 1 << 21;
    /** Bit 22: exit (reason 8) when there is no virtual-NMI blocking. Requires virtual NMIs. */
    public static final int NMI_WINDOW_EXITING = 1 << 22;
    /** Bit 23: MOV DR exits (reason 29). */
    public static final int MOV_DR_EXITING = 1 << 23;
    /** Bit 24: every I/O instruction exits (ignored when {@link #USE_IO_BITMAPS} is set). */
    public static final int UNCONDITIONAL_IO_EXITING = 1 << 24;
    /** Bit 25: the I/O bitmaps decide which ports exit. */
    public static final int USE_IO_BITMAPS = 1 << 25;
    /** Bit 27: monitor trap flag; exit (reason 37) after each instruction. */
    public static final int MONITOR_TRAP_FLAG = 1 << 27;
    /** Bit 28: the MSR bitmap decides which RDMSR/WRMSR exit (otherwise all do). */
    public static final int USE_MSR_BITMAPS = 1 << 28;
    /** Bit 29: MONITOR exits (reason 39). */
    public static final int MONITOR_EXITING = 1 << 29;
    /** Bit 30: PAUSE exits (reason 40). */
    public static final int PAUSE_EXITING = 1 << 30;
    /** Bit 31: the secondary processor-based controls are used. */
    public static final int ACTIVATE_SECONDARY_CONTROLS = 1 << 31;
    /** Bits 1, 4-6, 8, 13-16, 26: default1 in IA32_VMX_PROCBASED_CTLS (SDM Appendix A.3.2). */
    public static final int DEFAULT1 = 0x0401_E172;
    /** Default1 bits that stay mandatory with the TRUE MSR (CR3-load/store exiting become optional). */
    public static final int TRUE_DEFAULT1 = 0x0400_6172;
}
