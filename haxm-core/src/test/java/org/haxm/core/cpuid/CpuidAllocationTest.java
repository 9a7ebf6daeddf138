package org.haxm.core.cpuid;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A CPUID exit is answered without allocating (project rule for the guest path). */
class CpuidAllocationTest {
    private static final int[] LEAVES = {0, 1, 2, 3, 4, 5, 7, 0xB, 0xD, 0x14, 0x4000_0000, 0x4000_0001,
        0x8000_0000, 0x8000_0001, 0x8000_0002, 0x8000_0006, 0x8000_0008, 0x8000_0009, -1};

    @Test
    void queryAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "per-thread allocation counters not available");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        CpuidModel m = new CpuidModel(Topology.of(5), CpuidNarrowing.NONE)
            .narrowedBy(List.of(new CpuidEntry(7, 0, 0, 0, 0, -1, -1)));
        int[] out = new int[4];
        long sum = run(m, out);                                  // warm-up
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 200; i++) sum += run(m, out);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(sum != 0);
        // 200 rounds x 19 leaves x 4 sub-leaves: one allocation per query would be far above 1 KB.
        assertTrue(allocated < 1024, "CPUID queries allocated " + allocated + " bytes");
    }

    private static long run(CpuidModel m, int[] out) {
        long sum = 0;
        for (int leaf : LEAVES) {
            for (int sub = 0; sub < 4; sub++) {
                m.query(leaf, sub, sub, out);
                sum += out[0] + out[1] + out[2] + out[3];
            }
        }
        return sum;
    }
}
