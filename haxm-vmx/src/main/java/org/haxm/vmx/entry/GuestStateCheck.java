package org.haxm.vmx.entry;

import org.haxm.vmx.ExitReason;
import org.haxm.vmx.ExitReasonField;

/**
 * Result of the guest-state checks: either passed, or the first violated rule, which turns the
 * VM entry into a VM exit with reason 33 (bit 31 set) and {@link #qualification()}.
 *
 * @param rule   the first violated rule, or {@code null} if all passed
 * @param detail what in the VMCS breaks the rule, or {@code null} if all passed
 */
public record GuestStateCheck(GuestStateRule rule, String detail) {

    /** The result when every rule holds. */
    public static final GuestStateCheck PASSED = new GuestStateCheck(null, null);

    /** True if no rule was violated. */
    public boolean passed() { return rule == null; }

    /** True if VM entry must fail. */
    public boolean failed() { return rule != null; }

    /** The exit qualification for the failed entry (0 if passed). */
    public long qualification() { return rule == null ? 0 : rule.qualification(); }

    /** The full exit-reason field value for the failed entry: 33 with bit 31 set. */
    public long exitReasonValue() { return ExitReasonField.encode(ExitReason.ENTRY_FAILURE_GUEST_STATE); }

    /** A teaching message naming the rule, its SDM citation and the offending value. */
    public String message() {
        if (rule == null) {
            return "guest state is valid";
        }
        return "VM entry failed, invalid guest state (exit reason 33, qualification " + qualification() + "): "
            + rule.statement() + " (" + rule.citation() + "): " + detail;
    }
}
