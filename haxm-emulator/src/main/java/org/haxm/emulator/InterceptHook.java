package org.haxm.emulator;

/**
 * How the CPU asks the outside world (in the engine: the VMX non-root logic of haxm-core) before
 * sensitive instructions and events. This is the emulator's only window on virtualization; it
 * knows nothing of the VMCS.
 *
 * <p>Each method either returns, and the CPU then carries the instruction or event out itself as
 * bare hardware would, or throws {@link InstructionAbort} after recording a VM exit, in which
 * case the instruction or event has no effect.
 */
public interface InterceptHook {
    /**
     * Before a sensitive instruction executes, after its operands were checked for faults that
     * take priority over a VM exit (SDM Vol. 3C §26.1.1).
     *
     * @return true when the hook recorded a VM exit for the instruction: it then does not execute
     *         and {@link Cpu#run} returns (the cheap way to exit; throwing {@link InstructionAbort}
     *         works too, as for every other hook method)
     */
    boolean instruction(InterceptInfo info);

    /**
     * Before an exception is delivered through the IDT (SDM Vol. 3C §26.2: the exception bitmap).
     *
     * @param vector        exception vector 0..31
     * @param errorCode     the error code, or -1 when the exception has none
     * @param qualification CR2 value for #PF, DR6-style bits for #DB, else 0
     * @param softwareType  0 for a hardware exception, 5 (privileged software exception, INT1),
     *                      6 (software exception, INT3/INTO); the VMX interruption type
     */
    void exception(int vector, int errorCode, long qualification, int softwareType);

    /** A triple fault occurred (SDM Vol. 3A §6.15, #DF during #DF delivery). In VMX non-root
     *  operation this always exits; if the hook returns, the CPU enters the shutdown state. */
    void tripleFault();

    /** After every instruction while {@link Cpu#requestEventCheck(boolean)} is on: the moment to
     *  notice an open interrupt window or a pending event. */
    void afterInstruction();

    /** A hook that intercepts nothing: the CPU behaves as bare hardware. */
    InterceptHook NONE = new InterceptHook() {
        @Override public boolean instruction(InterceptInfo info) { return false; }
        @Override public void exception(int vector, int errorCode, long qualification, int softwareType) {}
        @Override public void tripleFault() {}
        @Override public void afterInstruction() {}
    };
}
