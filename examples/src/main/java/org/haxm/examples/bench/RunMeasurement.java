package org.haxm.examples.bench;

/**
 * What one run of one workload build did: the guest's answer, how long the exit loop took, and
 * how often {@code HaxVcpu.run()} returned to the VMM, by exit status. Each return is one exit
 * round trip (VM exit, handler, return to the VMM, device, VM entry); exits the engine completes
 * by itself (CPUID, RDMSR...) never reach the VMM and are not counted.
 *
 * @param instructions guest instructions retired during the run
 * @param nanos wall-clock time of the exit loop (VM creation and image loading excluded)
 * @param ioExits returns with status IO
 * @param mmioExits returns with status FAST_MMIO
 * @param hltExits returns with status HLT (including the final one that ends the run)
 * @param otherExits any other returns (INTERRUPT)
 * @param checksum the 32-bit value at guest-physical 0x500 after the run
 * @param failure why the guest did not end normally, or null if it did
 */
public record RunMeasurement(long instructions, long nanos, long ioExits, long mmioExits, long hltExits,
                             long otherExits, int checksum, String failure) {

    /** All returns to the VMM. */
    public long exits() {
        return ioExits + mmioExits + hltExits + otherExits;
    }

    /** Whether the guest reached its final HLT. */
    public boolean completed() {
        return failure == null;
    }

    /** Elapsed seconds. */
    public double seconds() {
        return nanos / 1e9;
    }
}
