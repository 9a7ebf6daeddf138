package org.haxm.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Guests that do not end properly are errors with a reason, never times. */
class BenchRunnerTest {

    private static WorkloadManifest oneImage(String name, byte[] image) {
        Workload w = new Workload(name, WorkloadKind.CPU, 0, List.of(WorkloadMode.LONG, WorkloadMode.PROT));
        return new WorkloadManifest(List.of(w), (wl, mode) -> image);
    }

    @Test
    void aGuestThatTripleFaultsIsAnErrorInBothModes() {
        // UD2 with no IDT: #UD cannot be delivered -> #DF -> triple fault (SDM Vol. 3A §6.15).
        WorkloadManifest m = oneImage("broken", new byte[] {0x0F, 0x0B});
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = BenchCommand.execute(List.of("--quick"), m, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, status);
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("broken/long: guest stopped") && e.contains("broken/prot: guest stopped"), e);
        assertFalse(out.toString(StandardCharsets.UTF_8).contains(" ok"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aGuestThatNeverEndsFailsAtTheInstructionLimit() {
        WorkloadManifest m = oneImage("spin", new byte[] {(byte) 0xEB, (byte) 0xFE}); // jmp $
        Workload w = m.workloads().get(0);
        BenchResult r = new BenchRunner(m, 50_000).runOne(w, WorkloadMode.LONG, 0, 1);
        assertFalse(r.ok());
        assertTrue(r.error().contains("50000 instructions"), r.error());
        assertTrue(r.median().instructions() >= 50_000, "ran up to the limit: " + r.median());
    }

    private static RunMeasurement run(long nanos) {
        return new RunMeasurement(100, nanos, 0, 0, 1, 0, 0, null);
    }

    @Test
    void medianIsTheMiddleRunByTimeAndTheLowerMiddleForAnEvenCount() {
        assertEquals(20, BenchRunner.median(List.of(run(30), run(10), run(20))).nanos());
        assertEquals(20, BenchRunner.median(List.of(run(40), run(10), run(30), run(20))).nanos());
        assertEquals(7, BenchRunner.median(List.of(run(7))).nanos());
    }

    @Test
    void warmupAndTimedRunsOfACpuWorkloadAllReachTheExpectedChecksum() {
        WorkloadManifest small = BenchCommandTest.SMALL;
        Workload interp = small.find("interp").orElseThrow();
        BenchResult r = new BenchRunner(small).runOne(interp, WorkloadMode.PROT, 1, 3);
        assertTrue(r.ok(), r.error());
        assertEquals(3, r.reps());
        assertEquals(interp.checksum(), r.median().checksum());
        assertEquals(1, r.median().exits(), "a CPU workload leaves the guest once, at its final HLT");
    }
}
