package org.haxm.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class WorkloadManifestTest {

    /** The names and kinds the shared contract fixes (the comparison script relies on them). */
    static final List<String> CONTRACT = List.of("coremark:cpu", "sieve:cpu", "qsort:cpu", "interp:cpu", "memops:cpu",
            "sha256:cpu", "exit-io:exit-io", "exit-mmio:exit-mmio", "exit-hlt:exit-hlt");

    @Test
    void bundledManifestHasTheContractWorkloadsWithBothImagesInsideTheGuestArea() {
        WorkloadManifest m = WorkloadManifest.loadBundled();
        assertEquals(CONTRACT, m.workloads().stream().map(w -> w.name() + ":" + w.kind().manifestName()).toList());
        for (Workload w : m.workloads()) {
            assertEquals(List.of(WorkloadMode.LONG, WorkloadMode.PROT), w.modes());
            for (WorkloadMode mode : w.modes()) {
                byte[] image = m.images().image(w, mode);
                // Code + data end below 0x700000 (bss too: the linker script asserts it).
                assertTrue(image.length > 16 && image.length < 0x600000, w.name() + "-" + mode.shortName());
            }
        }
    }

    @Test
    void smallManifestHasTheSameWorkloadsWithOtherChecksums() {
        WorkloadManifest big = WorkloadManifest.loadBundled();
        WorkloadManifest small = WorkloadManifest.load("/workloads-small/");
        assertEquals(big.workloads().stream().map(Workload::name).toList(), small.workloads().stream().map(Workload::name).toList());
        // Different sizes, so different answers: the small manifest really describes the small builds.
        for (Workload w : small.workloads()) {
            assertTrue(w.checksum() != big.find(w.name()).orElseThrow().checksum(), w.name());
        }
    }

    @Test
    void parseReadsKindChecksumAndModes() {
        Properties p = new Properties();
        p.setProperty("workloads", "a, b");
        p.setProperty("a.kind", "cpu");
        p.setProperty("a.checksum", "0xFFFFFFFF");
        p.setProperty("a.modes", "long,prot");
        p.setProperty("b.kind", "exit-hlt");
        p.setProperty("b.checksum", "0x00000010");
        p.setProperty("b.modes", "prot");
        List<Workload> list = WorkloadManifest.parse(p);
        assertEquals(new Workload("a", WorkloadKind.CPU, -1, List.of(WorkloadMode.LONG, WorkloadMode.PROT)), list.get(0));
        assertEquals(new Workload("b", WorkloadKind.EXIT_HLT, 16, List.of(WorkloadMode.PROT)), list.get(1));
    }

    @Test
    void parseNamesTheMissingOrBadKey() {
        Properties p = new Properties();
        p.setProperty("workloads", "a");
        p.setProperty("a.kind", "cpu");
        p.setProperty("a.modes", "long");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkloadManifest.parse(p)).getMessage().contains("a.checksum"));
        p.setProperty("a.checksum", "12");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkloadManifest.parse(p)).getMessage().contains("0x"));
        p.setProperty("a.checksum", "0x12");
        p.setProperty("a.kind", "gpu");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkloadManifest.parse(p)).getMessage().contains("gpu"));
    }
}
