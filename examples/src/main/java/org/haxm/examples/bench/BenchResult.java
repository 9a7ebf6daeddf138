package org.haxm.examples.bench;

/**
 * The outcome of benchmarking one build of one workload.
 *
 * @param workload the workload
 * @param mode the build
 * @param median the median timed run (by elapsed time), or the failing run if {@link #ok()} is false
 * @param reps how many timed runs the median is taken over
 * @param error why there is no time (wrong checksum, guest failure), or null
 */
public record BenchResult(Workload workload, WorkloadMode mode, RunMeasurement median, int reps, String error) {

    /** Whether every run ended with the expected checksum. */
    public boolean ok() {
        return error == null;
    }

    /** Guest instructions per microsecond. */
    public double mips() {
        return median.instructions() / (median.nanos() / 1e3);
    }

    /** VM exits (returns to the VMM) per second. */
    public double exitsPerSecond() {
        return median.exits() / median.seconds();
    }

    /** Wall-clock nanoseconds per exit round trip, including the guest's work between two exits. */
    public double nsPerExit() {
        return median.exits() == 0 ? 0 : (double) median.nanos() / median.exits();
    }

    /** {@code name/mode}, as the messages name a result. */
    public String label() {
        return workload.name() + "/" + mode.shortName();
    }
}
