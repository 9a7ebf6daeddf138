package org.haxm.core.handlers;

import org.haxm.core.VirtualCpu;
import org.haxm.core.tunnel.ExitStatus;
import org.haxm.vmx.VmcsField;
import org.haxm.vmx.qualification.InterruptionInfo;

/**
 * Exception exits (reason 0). The engine intercepts only #MC (HAXM's exception bitmap), which
 * the model CPU never raises; any intercepted exception stops the VCPU, as in HAXM.
 */
final class ExceptionExitHandler {
    private ExceptionExitHandler() {}

    static ExitStatus handle(VirtualCpu v) {
        InterruptionInfo info = InterruptionInfo.decode(v.vmcs().read(VmcsField.VM_EXIT_INTERRUPTION_INFO));
        return v.panic("intercepted exception vector " + info.vector() + " at rip=0x"
            + Long.toHexString(v.vmcs().read(VmcsField.GUEST_RIP)));
    }
}
