package org.haxm.vmx.entry;

import java.util.Optional;
import org.haxm.vmx.VmInstructionError;
import org.haxm.vmx.Vmcs;
import org.haxm.vmx.VmxCapabilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks VMLAUNCH/VMRESUME make before entering the guest (SDM Vol. 3C §27.2-27.3), in the
 * order the SDM gives: first the VMX controls (failure = VMfailValid(7), the instruction fails
 * and nothing changes), then the guest-state area (failure = a VM exit with reason 33 and bit 31
 * set, after which the processor is back in root operation). Each failure names the first rule
 * violated. Stateless; the methods only read the VMCS.
 */
public final class VmEntryChecks {
    private static final Logger LOG = LoggerFactory.getLogger(VmEntryChecks.class);
    private static final ControlRule[] CONTROL_RULES = ControlRule.values();
    private static final GuestStateRule[] GUEST_RULES = GuestStateRule.values();

    private VmEntryChecks() {}

    /**
     * Checks the VM-execution, VM-exit and VM-entry control fields (§27.2.1).
     *
     * @return the VM-instruction error (always 7) if a control is invalid, else empty
     */
    public static Optional<VmInstructionError> checkControls(Vmcs vmcs, VmxCapabilities caps) {
        return findControlViolation(vmcs, caps).map(ControlCheckFailure::error);
    }

    /** Like {@link #checkControls} but says which rule failed and why. */
    public static Optional<ControlCheckFailure> findControlViolation(Vmcs vmcs, VmxCapabilities caps) {
        EntryContext c = new EntryContext(requireVmcs(vmcs), requireCaps(caps));
        for (ControlRule rule : CONTROL_RULES) {
            String detail = rule.violation(c);
            if (detail != null) return Optional.of(controlFailure(rule, detail));
        }
        return Optional.empty();
    }

    static ControlCheckFailure controlFailure(ControlRule rule, String detail) {
        ControlCheckFailure f = new ControlCheckFailure(rule, detail);
        LOG.debug("{}", f.message());
        return f;
    }

    static GuestStateCheck guestFailure(GuestStateRule rule, String detail) {
        GuestStateCheck result = new GuestStateCheck(rule, detail);
        LOG.debug("{}", result.message());
        return result;
    }

    /**
     * Checks the guest-state area (§27.3.1). Assumes the controls already passed
     * {@link #checkControls}, as on a real processor.
     *
     * @return {@link GuestStateCheck#PASSED} or the first violated rule with its detail
     */
    public static GuestStateCheck checkGuestState(Vmcs vmcs, VmxCapabilities caps) {
        EntryContext c = new EntryContext(requireVmcs(vmcs), requireCaps(caps));
        for (GuestStateRule rule : GUEST_RULES) {
            String detail = rule.violation(c);
            if (detail != null) return guestFailure(rule, detail);
        }
        return GuestStateCheck.PASSED;
    }

    /**
     * Why {@code eptp} is not a valid EPT pointer for {@code caps}, or empty if it is valid
     * (SDM Vol. 3C §25.6.11; also the INVEPT single-context operand check).
     */
    public static Optional<String> eptPointerProblem(long eptp, VmxCapabilities caps) {
        return Optional.ofNullable(ControlChecks.eptPointerProblem(eptp, requireCaps(caps)));
    }

    private static Vmcs requireVmcs(Vmcs vmcs) {
        if (vmcs == null) {
            throw new IllegalArgumentException("vmcs must not be null");
        }
        return vmcs;
    }

    private static VmxCapabilities requireCaps(VmxCapabilities caps) {
        if (caps == null) {
            throw new IllegalArgumentException("caps must not be null");
        }
        return caps;
    }
}
