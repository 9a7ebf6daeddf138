package org.haxm.api;

/**
 * One VM exit, for teaching and tracing.
 *
 * @param vcpuId            the VCPU
 * @param exitReason        SDM basic exit reason number
 * @param exitReasonName    its name, e.g. "IO_INSTRUCTION"
 * @param qualification     the exit qualification
 * @param guestRip          guest RIP as the VM exit stored it (before the handler advanced it)
 * @param instructionLength the VM-exit instruction length
 * @param toUser            the status returned to the caller, or null if the engine resumed the guest
 */
public record VmExitEvent(int vcpuId, int exitReason, String exitReasonName, long qualification, long guestRip,
                          int instructionLength, HaxExitStatus toUser) {}
