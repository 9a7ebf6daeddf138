package org.haxm.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.haxm.examples.cli.UsageException;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsAreOneWarmupThreeRepsBothModesAllWorkloads() throws UsageException {
        BenchOptions o = BenchOptions.parse(List.of());
        assertEquals(1, o.warmup());
        assertEquals(3, o.reps());
        assertEquals(EnumSet.allOf(WorkloadMode.class), o.modes());
        assertEquals(List.of(), o.names());
        assertEquals(Optional.empty(), o.json());
    }

    @Test
    void quickMeansOneRepNoWarmupWhateverTheOrder() throws UsageException {
        BenchOptions o = BenchOptions.parse(List.of("--quick", "--reps", "5", "--warmup", "2", "sieve"));
        assertEquals(0, o.warmup());
        assertEquals(1, o.reps());
        assertEquals(List.of("sieve"), o.names());
    }

    @Test
    void parsesEveryOption() throws UsageException {
        BenchOptions o = BenchOptions.parse(List.of("--json", "r.json", "--warmup", "0", "--reps", "7", "--mode", "prot", "a", "b"));
        assertEquals(Optional.of(Path.of("r.json")), o.json());
        assertEquals(0, o.warmup());
        assertEquals(7, o.reps());
        assertEquals(EnumSet.of(WorkloadMode.PROT), o.modes());
        assertEquals(List.of("a", "b"), o.names());
    }

    @Test
    void rejectsBadValues() {
        for (List<String> bad : List.of(List.of("--reps", "0"), List.of("--warmup", "-1"), List.of("--reps", "x"),
                List.of("--mode", "real"), List.of("--json"), List.of("--fast"))) {
            UsageException e = assertThrows(UsageException.class, () -> BenchOptions.parse(bad), bad.toString());
            assertTrue(e.getMessage().contains(bad.get(0)), e.getMessage());
        }
    }
}
