package org.haxm.emulator;

/**
 * An architectural exception raised while executing an instruction (a fault or trap the CPU
 * delivers to the guest through the IVT/IDT, SDM Vol. 3A ch. 6). One preallocated instance per
 * {@link Cpu}, refilled by {@link Cpu#fault(int, int)} and thrown: {@code throw cpu.fault(13, 0)}.
 * It has no stack trace, so raising a guest fault allocates nothing.
 */
public final class CpuException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exception vector 0..31. */
    public int vector;
    /** Error code pushed with the exception, or -1 when the exception has none. */
    public int errorCode = -1;
    /** For #PF the faulting linear address (becomes CR2 on delivery); 0 otherwise. */
    public long qualification;

    public CpuException() {
        super("guest CPU exception", null, false, false);
    }

    /** Refills this instance and returns it, ready to be thrown. */
    public CpuException set(int vector, int errorCode, long qualification) {
        this.vector = vector;
        this.errorCode = errorCode;
        this.qualification = qualification;
        return this;
    }

    @Override public String getMessage() {
        return "vector " + vector + (errorCode >= 0 ? " error code 0x" + Integer.toHexString(errorCode) : "");
    }
}
