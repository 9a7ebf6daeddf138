package org.haxm.core.handlers;

import org.haxm.core.VirtualCpu;
import org.haxm.core.tunnel.ExitStatus;

/** RDMSR (31) and WRMSR (32) exits: the MSR in ECX, data in EDX:EAX; a refused MSR injects
 *  #GP(0) without advancing RIP (SDM Vol. 2B RDMSR/WRMSR). */
final class MsrExitHandler {
    private MsrExitHandler() {}

    static ExitStatus rdmsr(VirtualCpu v) {
        long[] gpr = v.state().gpr;
        if (!v.msrs().read((int) gpr[1])) { v.injectException(13, 0); return null; }
        long value = v.msrs().value();
        gpr[0] = value & 0xFFFF_FFFFL;
        gpr[2] = value >>> 32;
        v.advanceRip();
        return null;
    }

    static ExitStatus wrmsr(VirtualCpu v) {
        long[] gpr = v.state().gpr;
        long value = (gpr[2] << 32) | (gpr[0] & 0xFFFF_FFFFL);
        if (!v.msrs().write((int) gpr[1], value, true)) { v.injectException(13, 0); return null; }
        v.advanceRip();
        return null;
    }
}
