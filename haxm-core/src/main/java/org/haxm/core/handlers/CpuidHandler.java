package org.haxm.core.handlers;

import org.haxm.core.VirtualCpu;
import org.haxm.core.tunnel.ExitStatus;

/** CPUID exits (reason 10): answered from the VM's CPU model, then the guest resumes past it. */
final class CpuidHandler {
    private CpuidHandler() {}

    static ExitStatus handle(VirtualCpu v) {
        long[] gpr = v.state().gpr;
        v.cpuid((int) gpr[0], (int) gpr[1]);
        v.advanceRip();
        return null;
    }
}
