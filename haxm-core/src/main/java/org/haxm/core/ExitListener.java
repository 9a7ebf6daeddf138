package org.haxm.core;

import org.haxm.core.tunnel.ExitStatus;

/**
 * Sees every VM exit of a VCPU, including the ones the hypervisor handles without returning to
 * the caller (CPUID, MSR accesses, ...): the teaching view of VMX. Called once per VM exit, after
 * its handler; the further FAST_MMIO returns that complete one emulated instruction are part of
 * that exit, not new ones.
 */
@FunctionalInterface
public interface ExitListener {
    /**
     * @param vcpuId            the VCPU
     * @param basicExitReason   SDM basic exit reason number
     * @param qualification     the exit qualification
     * @param guestRip          guest RIP as the VM exit stored it, before the handler ran: the exiting
     *                          instruction for fault-like exits, the next one for trap-like exits
     * @param instructionLength VM-exit instruction length (0 when not defined for the exit)
     * @param toUser            the status returned to the caller, or null if the guest was resumed
     */
    void onExit(int vcpuId, int basicExitReason, long qualification, long guestRip, int instructionLength, ExitStatus toUser);
}
