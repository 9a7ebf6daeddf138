package org.haxm.examples.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.haxm.examples.cli.UsageException;

/**
 * The options of {@code haxm bench}.
 *
 * @param json where to write the machine-readable results, if anywhere
 * @param warmup untimed runs before the timed ones (their checksums are still checked)
 * @param reps timed runs; the table reports the median
 * @param modes which builds to run
 * @param names the workloads to run, empty = all in manifest order
 */
public record BenchOptions(Optional<Path> json, int warmup, int reps, Set<WorkloadMode> modes, List<String> names) {

    /** Default warm-up runs. */
    public static final int DEFAULT_WARMUP = 1;
    /** Default timed runs. */
    public static final int DEFAULT_REPS = 3;

    /** Validates and copies. */
    public BenchOptions {
        if (warmup < 0 || reps < 1 || modes.isEmpty()) {
            throw new IllegalArgumentException("warmup >= 0, reps >= 1 and at least one mode required");
        }
        modes = Set.copyOf(modes);
        names = List.copyOf(names);
    }

    /**
     * Parses the arguments after {@code bench}.
     *
     * @throws UsageException naming the bad option
     */
    public static BenchOptions parse(List<String> args) throws UsageException {
        Optional<Path> json = Optional.empty();
        int warmup = DEFAULT_WARMUP, reps = DEFAULT_REPS;
        boolean quick = false;
        Set<WorkloadMode> modes = EnumSet.allOf(WorkloadMode.class);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--json" -> json = Optional.of(Path.of(value(args, ++i, a)));
                case "--warmup" -> warmup = count(a, value(args, ++i, a), 0);
                case "--reps" -> reps = count(a, value(args, ++i, a), 1);
                case "--quick" -> quick = true;
                case "--mode" -> modes = modes(value(args, ++i, a));
                default -> {
                    if (a.startsWith("-")) {
                        throw new UsageException("unknown option '" + a + "'");
                    }
                    names.add(a);
                }
            }
        }
        if (quick) {
            warmup = 0;
            reps = 1;
        }
        return new BenchOptions(json, warmup, reps, modes, names);
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int count(String option, String text, int min) throws UsageException {
        try {
            int n = Integer.parseInt(text);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " '" + text + "' must be an integer >= " + min);
    }

    private static Set<WorkloadMode> modes(String text) throws UsageException {
        return switch (text) {
            case "all" -> EnumSet.allOf(WorkloadMode.class);
            case "long" -> EnumSet.of(WorkloadMode.LONG);
            case "prot" -> EnumSet.of(WorkloadMode.PROT);
            default -> throw new UsageException("--mode '" + text + "': expected long, prot or all");
        };
    }
}
