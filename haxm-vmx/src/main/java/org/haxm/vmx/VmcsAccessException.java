package org.haxm.vmx;

/**
 * Thrown when host software (the engine itself, not guest code) uses the {@link Vmcs} API in a
 * way the VMCS forbids, such as writing a read-only VM-exit information field through
 * {@link Vmcs#write(VmcsField, long)}. It signals a bug in the caller, never guest behaviour.
 */
public class VmcsAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was attempted and why it is not allowed */
    public VmcsAccessException(String message) { super(message); }
}
