package org.haxm.examples.vmm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.haxm.api.HaxExitStatus;
import org.haxm.api.VmExitEvent;
import org.haxm.api.VmExitListener;

/**
 * Counts VM exits by basic exit reason, separating the ones the engine handled itself (CPUID,
 * RDMSR, CR accesses...) from the ones returned to the VMM (I/O, MMIO, HLT...). This is the
 * teaching view of VT-x: every guest action the VMM must see is a VM exit (SDM Vol. 3C §26).
 *
 * <p>Separately it counts what {@code HaxVcpu.run()} returned to the VMM, by exit status. The two
 * differ: one VM exit can need several trips to the VMM (an ADD to MMIO is one EPT violation
 * but a FAST_MMIO read and then a FAST_MMIO write, as in HAXM's instruction emulator).
 *
 * <p>Optionally keeps the first {@code traceCapacity} exits in order, for tests and demos.
 */
public final class ExitStatistics implements VmExitListener {

    /** Per-reason totals. */
    public record Count(String reasonName, long total, long toCaller) {
    }

    /** One traced exit: its reason name and what the caller saw (null if handled in the engine). */
    public record TracedExit(String reasonName, String toCaller) {
    }

    private final Map<String, long[]> counts = new LinkedHashMap<>(); // name -> {total, toCaller}
    private final List<TracedExit> trace = new ArrayList<>();
    private final int traceCapacity;
    private final long[] returns = new long[HaxExitStatus.values().length];
    private long totalExits;

    /** @param traceCapacity how many exits to keep in order (0 = none) */
    public ExitStatistics(int traceCapacity) {
        if (traceCapacity < 0) {
            throw new IllegalArgumentException("traceCapacity " + traceCapacity + " must be >= 0");
        }
        this.traceCapacity = traceCapacity;
    }

    @Override
    public void onExit(VmExitEvent e) {
        long[] c = counts.computeIfAbsent(e.exitReasonName(), k -> new long[2]);
        c[0]++;
        if (e.toUser() != null) {
            c[1]++;
        }
        totalExits++;
        if (trace.size() < traceCapacity) {
            trace.add(new TracedExit(e.exitReasonName(), e.toUser() == null ? null : e.toUser().name()));
        }
    }

    /** Records one return of {@code HaxVcpu.run()} to the VMM (called by the exit loop). */
    public void recordReturn(HaxExitStatus status) {
        returns[status.ordinal()]++;
    }

    /** How many times {@code run()} returned {@code status}. */
    public long returns(HaxExitStatus status) {
        return returns[status.ordinal()];
    }

    /** Totals per reason, in order of first occurrence. */
    public List<Count> counts() {
        List<Count> list = new ArrayList<>();
        counts.forEach((name, c) -> list.add(new Count(name, c[0], c[1])));
        return list;
    }

    /** Number of exits of the named reason (e.g. {@code "IO_INSTRUCTION"}). */
    public long count(String reasonName) {
        long[] c = counts.get(reasonName);
        return c == null ? 0 : c[0];
    }

    /** All exits seen. */
    public long totalExits() {
        return totalExits;
    }

    /** The first exits, in order (up to the trace capacity). */
    public List<TracedExit> trace() {
        return Collections.unmodifiableList(trace);
    }

    /** Renders the table the demo prints. */
    public String table() {
        StringBuilder sb = new StringBuilder(String.format("  %-24s %8s %10s%n", "exit reason", "count", "to caller"));
        long total = 0, toCaller = 0;
        for (Count c : counts()) {
            sb.append(String.format("  %-24s %8d %10d%n", c.reasonName(), c.total(), c.toCaller()));
            total += c.total();
            toCaller += c.toCaller();
        }
        sb.append(String.format("  %-24s %8d %10d%n", "(all)", total, toCaller));
        sb.append("  returns to the VMM by exit status:");
        for (HaxExitStatus st : HaxExitStatus.values()) {
            if (returns[st.ordinal()] > 0) {
                sb.append(' ').append(st.name()).append(" x").append(returns[st.ordinal()]);
            }
        }
        return sb.append(System.lineSeparator()).toString();
    }
}
