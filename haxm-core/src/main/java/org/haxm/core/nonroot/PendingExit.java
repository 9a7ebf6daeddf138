package org.haxm.core.nonroot;

/**
 * The exit information the processor gathers at the moment a VM exit is triggered, before it
 * stores guest state and writes the VMCS exit-information fields (SDM Vol. 3C §28.2). Reused for
 * every exit: recording an exit allocates nothing.
 */
public final class PendingExit {
    /** Basic exit reason number, or -1 when no exit is pending. */
    public int reason = -1;
    public long qualification;
    /** VM-exit instruction length, for exits caused by an instruction (SDM Vol. 3C §28.2.5). */
    public int instructionLength;
    /** Guest-physical address for EPT violations and misconfigurations. */
    public long guestPhysical;
    /** Guest-linear address, or -1 when not valid. */
    public long guestLinear = -1;
    /** VM-exit interruption information (exits caused by exceptions), 0 if not valid. */
    public int interruptionInfo;
    public int interruptionErrorCode;
    /** The instruction information field for exits that define it. */
    public int instructionInfo;

    /** Starts recording a new exit, clearing fields left from the previous one. */
    public PendingExit begin(int basicReason) {
        reason = basicReason;
        qualification = 0; instructionLength = 0; guestPhysical = 0; guestLinear = -1;
        interruptionInfo = 0; interruptionErrorCode = 0; instructionInfo = 0;
        return this;
    }

    public boolean pending() { return reason >= 0; }
    public void clear() { reason = -1; }
}
