package org.haxm.core.transition;

import java.util.Optional;

import org.haxm.vmx.Vmcs;
import org.haxm.vmx.VmxCapabilities;
import org.haxm.vmx.entry.ControlCheckFailure;
import org.haxm.vmx.entry.EntryCheckMemo;
import org.haxm.vmx.entry.GuestStateCheck;
import org.haxm.vmx.entry.VmEntryChecks;

/**
 * The checks VM entry performs before loading guest state: VMX controls (SDM Vol. 3C §27.2.1,
 * failing as VMfailValid with VM-instruction error 7) and guest state (§27.3.1, failing as a VM
 * exit with reason 33 and bit 31 set).
 */
public final class EntryValidation {
    private EntryValidation() {}

    /** Returns null if VM entry may proceed, else the first failed check in words. */
    public static String check(Vmcs vmcs, VmxCapabilities caps) {
        Optional<ControlCheckFailure> control = VmEntryChecks.findControlViolation(vmcs, caps);
        if (control.isPresent()) return "VM-instruction error " + control.get().error() + ": " + control.get().message();
        GuestStateCheck guest = VmEntryChecks.checkGuestState(vmcs, caps);
        if (guest.failed()) return "invalid guest state: " + guest.message();
        return null;
    }

    /**
     * As {@link #check(Vmcs, VmxCapabilities)}, through {@code memo}: only the rules whose input
     * fields changed since they last passed run again (exact; see {@link EntryCheckMemo}).
     */
    public static String check(Vmcs vmcs, VmxCapabilities caps, EntryCheckMemo memo) {
        Optional<ControlCheckFailure> control = memo.findControlViolation(vmcs, caps);
        if (control.isPresent()) return "VM-instruction error " + control.get().error() + ": " + control.get().message();
        GuestStateCheck guest = memo.checkGuestState(vmcs, caps);
        if (guest.failed()) return "invalid guest state: " + guest.message();
        memo.entered();
        return null;
    }
}
