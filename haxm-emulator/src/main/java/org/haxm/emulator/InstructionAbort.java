package org.haxm.emulator;

/**
 * Thrown through the emulator when something outside the CPU takes the current instruction away:
 * in the engine, a VM exit (SDM Vol. 3C §28.1: a fault-like exit leaves the instruction without
 * effect). The thrower has already recorded why; the emulator never catches this exception and
 * guarantees that an aborted instruction changed no architectural state (registers are committed
 * only after every memory access of the instruction, or of the string iteration, succeeded).
 *
 * <p>It is a preallocated singleton without a stack trace, so aborting costs no allocation.
 */
public final class InstructionAbort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The only instance. */
    public static final InstructionAbort INSTANCE = new InstructionAbort();

    private InstructionAbort() {
        super("instruction aborted by a VM exit", null, false, false);
    }
}
