package org.haxm.examples.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.haxm.api.HaxException;
import org.haxm.examples.cli.UsageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code haxm bench [--json FILE] [--warmup N] [--reps N] [--mode long|prot|all] [--quick] [WORKLOAD...]}:
 * runs the benchmark workloads and prints the table. Exit status 0 if every checksum matched,
 * 1 if any build failed or returned a wrong checksum, 2 for usage errors (unknown workload...).
 */
public final class BenchCommand {

    private static final Logger LOG = LoggerFactory.getLogger(BenchCommand.class);

    /** Exit status for usage errors. */
    public static final int USAGE_STATUS = 2;
    /** Exit status when a build failed or had a wrong checksum. */
    public static final int FAILURE_STATUS = 1;

    private BenchCommand() {
    }

    /** Runs the command with the bundled workloads. */
    public static int execute(List<String> args, PrintStream out, PrintStream err) {
        return execute(args, WorkloadManifest.loadBundled(), out, err);
    }

    /**
     * Runs the command with the given manifest (tests pass a small one).
     *
     * @return the process exit status
     */
    public static int execute(List<String> args, WorkloadManifest manifest, PrintStream out, PrintStream err) {
        BenchOptions options;
        List<Workload> selected;
        try {
            options = BenchOptions.parse(args);
            selected = select(manifest, options.names());
        } catch (UsageException e) {
            err.println("haxm bench: " + e.getMessage());
            return USAGE_STATUS;
        }
        out.printf("haxm bench: %d warm-up + %d timed run(s) per build, median reported%n", options.warmup(), options.reps());
        out.print(BenchReport.header());
        List<BenchResult> results;
        try {
            results = new BenchRunner(manifest).run(selected, options, r -> {
                out.print(BenchReport.row(r));
                out.flush();
            });
        } catch (HaxException | IllegalArgumentException e) {
            err.println("haxm bench: " + e.getMessage());
            return FAILURE_STATUS;
        } catch (RuntimeException e) {
            LOG.error("internal error", e);
            err.println("haxm bench: internal error: " + e);
            return FAILURE_STATUS;
        }
        int status = 0;
        for (BenchResult r : results) {
            if (!r.ok()) {
                err.println("haxm bench: " + r.label() + ": " + r.error());
                status = FAILURE_STATUS;
            }
        }
        Optional<Path> json = options.json();
        if (json.isPresent()) {
            try {
                Files.writeString(json.get(), BenchReport.json(results, options), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("haxm bench: cannot write " + json.get() + ": " + e.getMessage());
                return FAILURE_STATUS;
            }
        }
        return status;
    }

    private static List<Workload> select(WorkloadManifest manifest, List<String> names) throws UsageException {
        if (names.isEmpty()) {
            return manifest.workloads();
        }
        List<Workload> list = new ArrayList<>();
        for (String n : names) {
            Workload w = manifest.find(n).orElseThrow(() -> new UsageException("unknown workload '" + n + "'; known: "
                    + String.join(", ", manifest.workloads().stream().map(Workload::name).toList())));
            list.add(w);
        }
        return list;
    }
}
