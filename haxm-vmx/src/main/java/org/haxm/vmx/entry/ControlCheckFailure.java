package org.haxm.vmx.entry;

import org.haxm.vmx.VmInstructionError;

/**
 * The first VMX-control rule a VMCS breaks: VM entry fails with VMfailValid(7).
 *
 * @param rule   the violated rule
 * @param detail what in this VMCS breaks it
 */
public record ControlCheckFailure(ControlRule rule, String detail) {

    /** The VM-instruction error to report: always {@link VmInstructionError#ENTRY_INVALID_CONTROL_FIELDS}. */
    public VmInstructionError error() { return VmInstructionError.ENTRY_INVALID_CONTROL_FIELDS; }

    /** A teaching message: the error, the rule with its SDM citation, and the detail. */
    public String message() {
        return "VM entry failed with VMfailValid(7): " + rule.statement() + " (" + rule.citation() + "): " + detail;
    }
}
