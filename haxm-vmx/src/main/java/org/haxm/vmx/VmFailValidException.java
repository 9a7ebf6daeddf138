package org.haxm.vmx;

/**
 * The outcome "VMfailValid(n)" of a VMX instruction (SDM Vol. 3C §31.2): the instruction failed
 * with a current VMCS, so the error number goes into the VM-instruction error field. Raised by
 * {@link Vmcs#vmread(long)} and {@link Vmcs#vmwrite(long, long)}; an emulator of the VMREAD /
 * VMWRITE instructions catches it and sets RFLAGS.ZF and the error field.
 */
public class VmFailValidException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient VmInstructionError error;

    /**
     * @param error  the VM-instruction error number
     * @param detail what failed, for diagnostics
     */
    public VmFailValidException(VmInstructionError error, String detail) {
        super("VMfailValid(" + error.number() + ") " + error.description() + ": " + detail);
        this.error = error;
    }

    /** The error number to store in the VM-instruction error field. */
    public VmInstructionError error() { return error; }
}
