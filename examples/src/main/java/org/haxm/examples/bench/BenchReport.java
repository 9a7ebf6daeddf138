package org.haxm.examples.bench;

import java.util.List;
import java.util.Locale;

/** Renders results as the human table and as JSON (numbers as JSON numbers, one object per build). */
public final class BenchReport {

    private static final String ROW = "%-10s %-4s %13s %9s %8s %9s %11s %9s  %s%n";

    private BenchReport() {
    }

    /** The header line of {@link #row}. */
    public static String header() {
        return String.format(Locale.ROOT, ROW, "workload", "mode", "instructions", "seconds", "MIPS", "exits",
                "exits/s", "ns/exit", "checksum");
    }

    /** One table row; an error row shows no time. */
    public static String row(BenchResult r) {
        RunMeasurement m = r.median();
        if (!r.ok()) {
            return String.format(Locale.ROOT, ROW, r.workload().name(), r.mode().shortName(), "-", "-", "-", "-", "-", "-",
                    "ERROR " + r.error());
        }
        boolean exitHeavy = r.workload().kind().exitHeavy();
        return String.format(Locale.ROOT, ROW, r.workload().name(), r.mode().shortName(), m.instructions(),
                String.format(Locale.ROOT, "%.3f", m.seconds()), String.format(Locale.ROOT, "%.1f", r.mips()),
                m.exits(), String.format(Locale.ROOT, "%.0f", r.exitsPerSecond()),
                exitHeavy ? String.format(Locale.ROOT, "%.0f", r.nsPerExit()) : "-",
                String.format("0x%08x ok", m.checksum()));
    }

    /** The whole table. */
    public static String table(List<BenchResult> results) {
        StringBuilder sb = new StringBuilder(header());
        results.forEach(r -> sb.append(row(r)));
        return sb.toString();
    }

    /**
     * The JSON document: run parameters and one object per build with name, mode, kind,
     * instructions, seconds, mips, exits, exitsPerSecond, nsPerExit (null for CPU workloads),
     * exitKinds {io, mmio, hlt, other}, checksum, expected, checksumOk and error.
     */
    public static String json(List<BenchResult> results, BenchOptions options) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"tool\": \"haxm bench\",\n  \"statistic\": \"median\",\n");
        sb.append("  \"warmup\": ").append(options.warmup()).append(",\n");
        sb.append("  \"reps\": ").append(options.reps()).append(",\n");
        sb.append("  \"results\": [");
        for (int i = 0; i < results.size(); i++) {
            sb.append(i == 0 ? "\n" : ",\n");
            result(sb, results.get(i));
        }
        sb.append(results.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
        return sb.toString();
    }

    private static void result(StringBuilder sb, BenchResult r) {
        RunMeasurement m = r.median();
        boolean timed = r.ok();
        sb.append("    {\"name\": \"").append(r.workload().name())
                .append("\", \"mode\": \"").append(r.mode().shortName())
                .append("\", \"kind\": \"").append(r.workload().kind().manifestName())
                .append("\", \"instructions\": ").append(m.instructions())
                .append(", \"seconds\": ").append(timed ? number(m.seconds()) : "null")
                .append(", \"mips\": ").append(timed ? number(r.mips()) : "null")
                .append(", \"exits\": ").append(m.exits())
                .append(", \"exitsPerSecond\": ").append(timed ? number(r.exitsPerSecond()) : "null")
                .append(", \"nsPerExit\": ").append(timed && r.workload().kind().exitHeavy() ? number(r.nsPerExit()) : "null")
                .append(", \"exitKinds\": {\"io\": ").append(m.ioExits())
                .append(", \"mmio\": ").append(m.mmioExits())
                .append(", \"hlt\": ").append(m.hltExits())
                .append(", \"other\": ").append(m.otherExits())
                .append("}, \"checksum\": \"").append(String.format("0x%08x", m.checksum()))
                .append("\", \"expected\": \"").append(String.format("0x%08x", r.workload().checksum()))
                .append("\", \"checksumOk\": ").append(m.completed() && m.checksum() == r.workload().checksum())
                .append(", \"error\": ");
        if (r.error() == null) {
            sb.append("null");
        } else {
            quote(sb, r.error());
        }
        sb.append('}');
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
