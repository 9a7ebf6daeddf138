package org.haxm.core.handlers;

import org.haxm.core.VirtualCpu;
import org.haxm.vmx.VmcsField;

/** Words for the caller when a guest triple-faults: where, and which exception started it. */
final class TripleFaultReport {
    private TripleFaultReport() {}

    static String describe(VirtualCpu v) {
        String first = v.hook().firstFaultDescription();
        return "triple fault at rip=0x" + Long.toHexString(v.vmcs().read(VmcsField.GUEST_RIP))
            + (first == null ? "" : " (" + first + " could not be delivered)");
    }
}
