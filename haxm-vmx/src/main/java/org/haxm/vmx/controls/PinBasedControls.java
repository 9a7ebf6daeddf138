package org.haxm.vmx.controls;

/**
 * Bits of the pin-based VM-execution controls, field 0x4000 (SDM Vol. 3C §25.6.1, Table 25-5).
 * They govern asynchronous events: interrupts, NMIs and the preemption timer.
 */
public final class PinBasedControls {
    private PinBasedControls() {}

    /** Bit 0: external interrupts cause VM exits (reason 1) instead of going through the guest IDT. */
    public static final int EXTERNAL_INTERRUPT_EXITING = 1;
    /** Bit 3: NMIs cause VM exits (reason 0 with NMI type) instead of guest delivery. */
    public static final int NMI_EXITING = 1 << 3;
    /** Bit 5: virtual NMIs; NMI blocking is tracked virtually. Requires {@link #NMI_EXITING}. */
    public static final int VIRTUAL_NMIS = 1 << 5;
    /** Bit 6: the VMX-preemption timer counts down in non-root operation and exits (reason 52) at 0. */
    public static final int ACTIVATE_PREEMPTION_TIMER = 1 << 6;
    /** Bit 7: process posted interrupts. Requires virtual-interrupt delivery and ack-interrupt-on-exit. */
    public static final int PROCESS_POSTED_INTERRUPTS = 1 << 7;
    /** Bits 1, 2, 4: reserved, "default1" in IA32_VMX_PINBASED_CTLS (SDM Appendix A.3.1). */
    public static final int DEFAULT1 = 0x16;
}
