package org.haxm.core.transition;

import org.haxm.vmx.Vmcs;
import org.haxm.vmx.VmxCapabilities;

/** The checks VM entry performs before loading guest state (SDM Vol. 3C §27.2-27.3). */
public final class EntryValidation {
    private EntryValidation() {}

    /** Returns null if VM entry may proceed, else the first failed check in words. */
    public static String check(Vmcs vmcs, VmxCapabilities caps) {
        return null; // wired to org.haxm.vmx.entry once that module's checks land
    }
}
