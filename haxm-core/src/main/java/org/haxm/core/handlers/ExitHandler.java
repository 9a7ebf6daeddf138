package org.haxm.core.handlers;

import org.haxm.core.VirtualCpu;
import org.haxm.core.tunnel.ExitStatus;

/** The hypervisor's handling of one basic exit reason (KVM's {@code kvm_vmx_exit_handlers[]}). */
@FunctionalInterface
public interface ExitHandler {
    /** Handles the exit described in the VCPU's VMCS; returns null to resume the guest, or the
     *  status to return to the caller. */
    ExitStatus handle(VirtualCpu vcpu);
}
