package org.haxm.examples.demo;

import java.util.List;
import org.haxm.examples.vmm.ExitStatistics;
import org.haxm.examples.vmm.RunResult;

/**
 * What running one bundled guest produced, and whether it matches the manifest.
 *
 * @param guest the guest
 * @param output the console output it produced
 * @param result how the run ended
 * @param checkActual the value read at the check address after the run
 * @param exits exit statistics of the run
 * @param instructions instructions retired
 * @param mmioWrites writes recorded by the demo MMIO device ("mmio[+8] <- N"), empty without one
 */
public record GuestRunReport(GuestSpec guest, String output, RunResult result, long checkActual,
                             ExitStatistics exits, long instructions, List<String> mmioWrites) {

    /** The output is exactly the expected one. */
    public boolean outputOk() {
        return output.equals(guest.expectedOutput());
    }

    /** The memory check value matches. */
    public boolean memoryOk() {
        return checkActual == guest.checkValue();
    }

    /** The guest ended the expected way: debug exit with the expected status, or HLT. */
    public boolean endingOk() {
        if (guest.expectedExitStatus().isPresent()) {
            return result.outcome() == RunResult.Outcome.DEBUG_EXIT
                    && result.exitStatus() == guest.expectedExitStatus().getAsInt();
        }
        return result.outcome() == RunResult.Outcome.HALTED;
    }

    /** Everything matches. */
    public boolean ok() {
        return outputOk() && memoryOk() && endingOk();
    }
}
