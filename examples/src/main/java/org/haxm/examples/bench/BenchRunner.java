package org.haxm.examples.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs workloads: per build, {@code warmup} untimed runs then {@code reps} timed runs, each in a
 * fresh VM, all in this JVM (so the JIT has compiled the engine by the timed runs). Every run's
 * checksum is checked, warm-ups included; a wrong checksum or a failed guest makes the result an
 * error, never a time. The reported run is the median by elapsed time (the lower middle one for
 * an even count).
 */
public final class BenchRunner {

    /** Hears about each result as soon as it is known (the command prints progress). */
    @FunctionalInterface
    public interface Progress {
        /** Called once per finished build. */
        void finished(BenchResult result);
    }

    private final WorkloadManifest manifest;
    private final long instructionLimit;

    /** @param manifest where the workloads and their images come from */
    public BenchRunner(WorkloadManifest manifest) {
        this(manifest, BenchMachine.INSTRUCTION_LIMIT);
    }

    /**
     * @param manifest where the workloads and their images come from
     * @param instructionLimit a run fails after this many instructions without an exit to the VMM
     */
    public BenchRunner(WorkloadManifest manifest, long instructionLimit) {
        this.manifest = manifest;
        this.instructionLimit = instructionLimit;
    }

    /** Runs the given workloads in the given modes (those a workload has), in manifest order. */
    public List<BenchResult> run(List<Workload> workloads, BenchOptions options, Progress progress) {
        List<BenchResult> results = new ArrayList<>();
        for (Workload w : workloads) {
            for (WorkloadMode mode : w.modes()) {
                if (options.modes().contains(mode)) {
                    BenchResult r = runOne(w, mode, options.warmup(), options.reps());
                    progress.finished(r);
                    results.add(r);
                }
            }
        }
        return results;
    }

    /** Benchmarks one build. */
    public BenchResult runOne(Workload w, WorkloadMode mode, int warmup, int reps) {
        byte[] image = manifest.images().image(w, mode);
        List<RunMeasurement> timed = new ArrayList<>();
        for (int i = 0; i < warmup + reps; i++) {
            RunMeasurement m;
            try (BenchMachine machine = new BenchMachine(w, mode, image, instructionLimit)) {
                m = machine.run();
            }
            String error = check(w, m);
            if (error != null) {
                return new BenchResult(w, mode, m, reps, error);
            }
            if (i >= warmup) {
                timed.add(m);
            }
        }
        return new BenchResult(w, mode, median(timed), reps, null);
    }

    /** The median run by elapsed time; for an even count the lower of the two middle ones. */
    static RunMeasurement median(List<RunMeasurement> runs) {
        List<RunMeasurement> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingLong(RunMeasurement::nanos));
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static String check(Workload w, RunMeasurement m) {
        if (!m.completed()) {
            return m.failure();
        }
        if (m.checksum() != w.checksum()) {
            return String.format("checksum mismatch: expected 0x%08x, got 0x%08x", w.checksum(), m.checksum());
        }
        return null;
    }
}
