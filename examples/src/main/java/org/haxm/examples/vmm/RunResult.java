package org.haxm.examples.vmm;

/**
 * How a guest run ended.
 *
 * @param outcome the kind of ending
 * @param exitStatus the process exit status it maps to (0 for HLT, the device's for debug exit, 1 for failure)
 * @param message one line for humans ("guest halted", the failure reason...)
 */
public record RunResult(Outcome outcome, int exitStatus, String message) {

    /** The kinds of ending. */
    public enum Outcome {
        /** The guest executed HLT with interrupts off: the normal end of a demo guest. */
        HALTED,
        /** The guest wrote to the isa-debug-exit port. */
        DEBUG_EXIT,
        /** The guest could not continue: triple fault, invalid state, limit reached, unsupported exit. */
        FAILED
    }

    /** The process exit status used for failures. */
    public static final int FAILURE_STATUS = 1;

    static RunResult halted() {
        return new RunResult(Outcome.HALTED, 0, "guest halted");
    }

    static RunResult debugExit(int status) {
        return new RunResult(Outcome.DEBUG_EXIT, status, "guest requested exit status " + status + " via isa-debug-exit");
    }

    static RunResult failed(String reason) {
        return new RunResult(Outcome.FAILED, FAILURE_STATUS, reason);
    }

    /** Whether the guest ended on its own terms (HLT or debug exit). */
    public boolean guestEnded() {
        return outcome != Outcome.FAILED;
    }
}
