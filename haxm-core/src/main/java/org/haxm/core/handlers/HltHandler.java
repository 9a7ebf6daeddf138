package org.haxm.core.handlers;

import org.haxm.core.VirtualCpu;
import org.haxm.core.tunnel.ExitStatus;

/** HLT exits (reason 12): with an interrupt queued the guest resumes and gets it injected at
 *  entry; otherwise the caller is told the VCPU halted (HAXM's rule). RIP is past the HLT either
 *  way, as a halted CPU reports it. */
final class HltHandler {
    private HltHandler() {}

    static ExitStatus handle(VirtualCpu v) {
        v.advanceRip();
        return v.highestPending() >= 0 ? null : ExitStatus.HLT;
    }
}
