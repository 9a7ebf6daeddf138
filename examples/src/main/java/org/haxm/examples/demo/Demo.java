package org.haxm.examples.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.haxm.examples.cli.Numbers;

/**
 * {@code haxm demo}: runs every bundled guest and prints, per guest, its output, the memory
 * check, how it ended and a table of VM exits by reason.
 */
public final class Demo {

    private Demo() {
    }

    /**
     * Runs the demo.
     *
     * @return 0 if every guest produced the expected output, memory value and ending, else 1
     */
    public static int run(PrintStream out) {
        List<GuestSpec> guests = GuestManifest.loadBundled();
        List<String> failed = new ArrayList<>();
        long totalInstructions = 0;
        for (GuestSpec g : guests) {
            out.printf("=== %s: %s mode, loaded at %s, entry %s ===%n", g.name(), g.mode().cliName(),
                    Numbers.hex(g.load()), Numbers.hex(g.entry()));
            if (!g.description().isEmpty()) {
                out.println(g.description());
            }
            GuestRunReport r = DemoRunner.run(g);
            totalInstructions += r.instructions();
            print(out, r);
            if (!r.ok()) {
                failed.add(g.name());
            }
        }
        out.printf("total guest instructions retired: %d%n", totalInstructions);
        if (failed.isEmpty()) {
            out.printf("all %d guests OK%n", guests.size());
            return 0;
        }
        out.printf("FAILED: %s%n", String.join(", ", failed));
        return 1;
    }

    private static void print(PrintStream out, GuestRunReport r) {
        GuestSpec g = r.guest();
        out.println("--- guest output ---");
        out.print(r.output());
        if (!r.output().isEmpty() && !r.output().endsWith("\n")) {
            out.println();
        }
        out.println("--------------------");
        for (String w : r.mmioWrites()) {
            out.println("host saw: " + w);
        }
        out.printf("output:       %s%n", r.outputOk() ? "OK" : "WRONG, expected " + escape(g.expectedOutput()));
        out.printf("memory check: [%s] (%d bytes) expected %s, actual %s  %s%n", Numbers.hex(g.checkAddress()),
                g.checkSize(), Numbers.hex(g.checkValue()), Numbers.hex(r.checkActual()), r.memoryOk() ? "OK" : "WRONG");
        String expectedEnd = g.expectedExitStatus().isPresent()
                ? "debug exit with status " + Numbers.hex(g.expectedExitStatus().getAsInt()) : "HLT";
        out.printf("ended:        %s (status %s) after %d instructions  %s%n", r.result().message(),
                Numbers.hex(r.result().exitStatus()), r.instructions(), r.endingOk() ? "OK" : "WRONG, expected " + expectedEnd);
        out.println("VM exits:");
        out.print(r.exits().table());
        out.println();
    }

    private static String escape(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }
}
