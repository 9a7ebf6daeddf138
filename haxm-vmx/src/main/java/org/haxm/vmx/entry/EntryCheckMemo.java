package org.haxm.vmx.entry;

import java.util.Arrays;
import java.util.Optional;

import org.haxm.vmx.Vmcs;
import org.haxm.vmx.VmxCapabilities;

/**
 * The VM-entry checks of {@link VmEntryChecks}, remembered between entries of one VMCS so that a
 * rule runs again only when a field it read last time changed value.
 *
 * <p>Why this is exact: every rule is a pure function of the VMCS fields it reads through
 * {@link EntryContext#read} and of the (immutable) capability MSRs. While recording, the context
 * notes each field a rule reads; if none of those fields changed value since the rule last
 * passed, running it again would read the same values, take the same path and pass again. So
 * the first rule found violated is the same one the full check would find (SDM Vol. 3C §27.2,
 * §27.3.1 give the checks; their order is kept). A VM exit changes only a handful of guest fields
 * (RIP, RSP, RFLAGS, interruptibility, exit information), so most rules are skipped on the next
 * entry — the checks were a third of an exit round trip.
 *
 * <p>Use one memo per VMCS, from the thread that enters it; call {@link #entered()} after both
 * phases passed, which starts a new round of change tracking in the VMCS.
 */
public final class EntryCheckMemo {
    private static final ControlRule[] CONTROL_RULES = ControlRule.values();
    private static final GuestStateRule[] GUEST_RULES = GuestStateRule.values();

    private final long[][] controlInputs = new long[CONTROL_RULES.length][Vmcs.FIELD_MASK_WORDS];
    private final boolean[] controlPassed = new boolean[CONTROL_RULES.length];
    private final long[][] guestInputs = new long[GUEST_RULES.length][Vmcs.FIELD_MASK_WORDS];
    private final boolean[] guestPassed = new boolean[GUEST_RULES.length];
    private Vmcs vmcs;
    private VmxCapabilities caps;
    private EntryContext context;

    /** As {@link VmEntryChecks#findControlViolation}, skipping rules whose inputs are unchanged. */
    public Optional<ControlCheckFailure> findControlViolation(Vmcs vmcs, VmxCapabilities caps) {
        bind(vmcs, caps);
        for (int i = 0; i < CONTROL_RULES.length; i++) {
            if (controlPassed[i] && !vmcs.changedAny(controlInputs[i])) continue;
            startRecording(controlInputs[i]);
            String detail = CONTROL_RULES[i].violation(context);
            context.recordInto(null);
            controlPassed[i] = detail == null;
            if (detail != null) return Optional.of(VmEntryChecks.controlFailure(CONTROL_RULES[i], detail));
        }
        return Optional.empty();
    }

    /** As {@link VmEntryChecks#checkGuestState}, skipping rules whose inputs are unchanged. */
    public GuestStateCheck checkGuestState(Vmcs vmcs, VmxCapabilities caps) {
        bind(vmcs, caps);
        for (int i = 0; i < GUEST_RULES.length; i++) {
            if (guestPassed[i] && !vmcs.changedAny(guestInputs[i])) continue;
            startRecording(guestInputs[i]);
            String detail = GUEST_RULES[i].violation(context);
            context.recordInto(null);
            guestPassed[i] = detail == null;
            if (detail != null) return VmEntryChecks.guestFailure(GUEST_RULES[i], detail);
        }
        return GuestStateCheck.PASSED;
    }

    /** Both phases passed and the entry goes ahead: changes from now on count for the next one. */
    public void entered() {
        if (vmcs != null) vmcs.clearChanges();
    }

    /** The rule about to run records the fields it reads into {@code inputs} (a thrown rule
     *  leaves recording on, which only adds inputs: harmless). */
    private void startRecording(long[] inputs) {
        Arrays.fill(inputs, 0);
        context.recordInto(inputs);
    }

    /** A different VMCS or capability set invalidates everything remembered. */
    private void bind(Vmcs vmcs, VmxCapabilities caps) {
        if (vmcs == null) throw new IllegalArgumentException("vmcs must not be null");
        if (caps == null) throw new IllegalArgumentException("caps must not be null");
        if (vmcs == this.vmcs && caps == this.caps) return;
        this.vmcs = vmcs;
        this.caps = caps;
        this.context = new EntryContext(vmcs, caps);
        Arrays.fill(controlPassed, false);
        Arrays.fill(guestPassed, false);
    }
}
