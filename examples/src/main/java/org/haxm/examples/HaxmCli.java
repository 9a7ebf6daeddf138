package org.haxm.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.haxm.examples.bench.BenchCommand;
import org.haxm.examples.cli.RunCommand;
import org.haxm.examples.demo.Demo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code haxm} command-line tool: {@code run} a flat binary in a chosen CPU mode,
 * {@code demo} the bundled guests, {@code bench} the benchmark workloads, or {@code help}.
 */
public final class HaxmCli {

    private static final Logger LOG = LoggerFactory.getLogger(HaxmCli.class);

    /** The usage text. */
    public static final String USAGE = String.join(System.lineSeparator(),
            "usage: haxm <command> [options]",
            "",
            "commands:",
            "  run    --mode real|protected|paged32|long --ram SIZE --load ADDR=FILE [--load ...] --entry ADDR",
            "         [--dump-mem ADDR:LEN=FILE ...] [--dump-regs FILE.json] [--max-insns N]",
            "         Runs flat binaries until the first HLT (status 0) or an isa-debug-exit write to port 0xF4",
            "         (status (v << 1) | 1), then writes the dumps. Guest output (port 0xE9, COM1) goes to stdout.",
            "         Numbers are decimal or 0x hex; SIZE and LEN take K/M/G; SIZE must be a multiple of 4K (max 16G).",
            "         The GDT and page tables live in guest-physical 0x1000..0xffff (protected: 0x1000..0x1fff,",
            "         paged32: 0x1000..0x3fff, long: 0x1000..0xffff; real mode uses none).",
            "         A triple fault or the instruction limit ends with status 1; usage errors with status 2.",
            "  demo   Runs every bundled demo guest and prints its output, memory check and VM-exit counts.",
            "  bench  [--json FILE] [--warmup N] [--reps N] [--mode long|prot|all] [--quick] [WORKLOAD...]",
            "         Runs the bundled benchmark workloads (default: all, both modes) in 64 MiB VMs, each build",
            "         --warmup times (default 1) untimed, then --reps times (default 3) timed; prints the median run's",
            "         guest instructions, seconds, MIPS, VM exits, exits/s and ns per exit round trip. --quick = one",
            "         timed run, no warm-up. --json writes the results. A wrong checksum is an error (status 1);",
            "         an unknown workload a usage error (status 2).",
            "  help   Prints this text.",
            "");

    private HaxmCli() {
    }

    /** Entry point. */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs a command in-process.
     *
     * @return the process exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            out.print(USAGE);
            return 0;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "run":
                return RunCommand.execute(rest, out, err);
            case "demo":
                if (!rest.isEmpty()) {
                    err.println("haxm demo: takes no arguments");
                    return RunCommand.USAGE_STATUS;
                }
                try {
                    return Demo.run(out);
                } catch (RuntimeException e) {
                    // A bug in the engine or the tool, not in a guest: one line, the stack trace in the log.
                    LOG.error("internal error", e);
                    err.println("haxm demo: internal error: " + e);
                    return 1;
                }
            case "bench":
                return BenchCommand.execute(rest, out, err);
            case "help":
            case "--help":
            case "-h":
                out.print(USAGE);
                return 0;
            default:
                err.println("haxm: unknown command '" + args[0] + "'");
                err.print(USAGE);
                return RunCommand.USAGE_STATUS;
        }
    }
}
