package org.haxm.ept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of map / ROM map / unmap over an 8-MiB guest-physical space, checked against a
 * plain page-number → (block, block page, read-only) model: for random addresses and access
 * kinds, the EPT walk must translate to the right byte or report the violation the SDM prescribes.
 */
class EptWalkProperties {

    private static final int PAGE = RamBlock.PAGE_SIZE;
    private static final int GPA_PAGES = 2048;   // 8 MiB: four 2-MiB regions, so large pages occur
    private static final int BLOCK_PAGES = 1024; // two 4-MiB blocks
    private static final int BLOCKS = 2;
    /** Caller buffers filled once with a position-dependent pattern and shared (read-only use) by all tries. */
    private static final ByteBuffer[] BACKING = new ByteBuffer[BLOCKS];

    static {
        for (int b = 0; b < BLOCKS; b++) {
            BACKING[b] = ByteBuffer.allocate(BLOCK_PAGES * PAGE);
            for (int offset = 0; offset < BLOCK_PAGES * PAGE; offset++) {
                BACKING[b].put(offset, pattern(b, offset));
            }
        }
    }

    /** Different for every (block, offset) that matters: mixes both into one byte. */
    private static byte pattern(int block, long offset) {
        long x = (block + 1) * 0x9E3779B97F4A7C15L ^ offset * 0xC2B2AE3D27D4EB4FL;
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        return (byte) (x ^ (x >>> 32));
    }

    sealed interface Op permits MapOp, UnmapOp {
    }

    record MapOp(int gpaPage, int block, int blockPage, int pages, boolean readOnly) implements Op {
    }

    record UnmapOp(int gpaPage, int pages) implements Op {
    }

    record Probe(int page, int offset, int access) {
    }

    record Backing(int block, int blockPage, boolean readOnly) {
    }

    /** Exit-qualification bits 2:0 per access kind (SDM Vol. 3C Table 28-7). */
    private static final int[] ACCESS_BITS = {0b001, 0b010, 0b100, 0b001, 0b011};

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> gpaPage = pageNumber(GPA_PAGES);
        Arbitrary<Integer> blockPage = pageNumber(BLOCK_PAGES);
        Arbitrary<Integer> pages = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 64)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(512, 1024)));
        Arbitrary<Op> map = Combinators.combine(gpaPage, Arbitraries.integers().between(0, BLOCKS - 1), blockPage, pages,
                Arbitraries.integers().between(0, 3)).as((g, b, o, n, rom) ->
                new MapOp(g, b, o, Math.min(n, Math.min(GPA_PAGES - g, BLOCK_PAGES - o)), rom == 0));
        Arbitrary<Op> unmap = Combinators.combine(gpaPage, pages).as((g, n) -> new UnmapOp(g, Math.min(n, GPA_PAGES - g)));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, map), net.jqwik.api.Tuple.of(1, unmap))
                .list().ofMinSize(1).ofMaxSize(12);
    }

    /** Page numbers, one in four 2-MiB aligned so that large pages get built and split. */
    private static Arbitrary<Integer> pageNumber(int limit) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, limit - 1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, limit / 512 - 1).map(i -> i * 512)));
    }

    @Provide
    Arbitrary<List<Probe>> probes() {
        return Combinators.combine(
                Arbitraries.integers().between(0, GPA_PAGES + 8),
                Arbitraries.integers().between(0, PAGE - 1),
                Arbitraries.integers().between(EptAccess.READ, EptAccess.PAGING_STRUCTURE_WRITE))
                .as(Probe::new).list().ofSize(40);
    }

    @Property(tries = 300)
    void walkAgreesWithAPageMapModel(@ForAll("operations") List<Op> operations, @ForAll("probes") List<Probe> probes) {
        GuestPhysicalMemory memory = new GuestPhysicalMemory();
        RamBlock[] blocks = new RamBlock[BLOCKS];
        for (int b = 0; b < BLOCKS; b++) {
            blocks[b] = memory.addRamBlock(BACKING[b].duplicate());
        }
        Map<Integer, Backing> model = new HashMap<>();
        for (Op op : operations) {
            apply(op, memory, blocks, model);
        }

        EptWalkResult result = new EptWalkResult();
        for (Probe probe : probes) {
            long gpa = (long) probe.page() * PAGE + probe.offset();
            memory.walk(gpa, probe.access(), result);
            Backing expected = model.get(probe.page());
            String where = String.format("%s at gpa 0x%x after %s", EptAccess.name(probe.access()), gpa, operations);
            if (expected == null) {
                assertEquals(EptWalkResult.Status.VIOLATION, result.status, where);
                assertEquals(ACCESS_BITS[probe.access()], result.qualification, where);
                assertEquals(false, result.mapped, where);
                assertNull(memory.slotAt(gpa), where);
                continue;
            }
            int permissions = expected.readOnly() ? EptEntry.RX : EptEntry.RWX;
            long blockOffset = (long) expected.blockPage() * PAGE + probe.offset();
            RamBlock block = blocks[expected.block()];
            assertSame(block, memory.slotAt(gpa).block(), where);
            assertEquals(true, result.mapped, where);
            boolean needsWrite = probe.access() == EptAccess.WRITE || probe.access() == EptAccess.PAGING_STRUCTURE_WRITE;
            if (needsWrite && expected.readOnly()) {
                assertEquals(EptWalkResult.Status.VIOLATION, result.status, where);
                assertEquals(ACCESS_BITS[probe.access()] | (permissions << 3), result.qualification, where);
            } else {
                assertEquals(EptWalkResult.Status.TRANSLATED, result.status, where);
                assertEquals(pattern(expected.block(), blockOffset), result.buffer.get(result.offset), where);
                assertEquals(block.hostPhysicalBase() + blockOffset, result.hostPhysical, where);
                assertEquals(permissions, result.permissions, where);
            }
            byte[] viaHost = new byte[1];
            memory.readBytes(gpa, viaHost, 0, 1);
            assertEquals(pattern(expected.block(), blockOffset), viaHost[0], where);
        }
    }

    private static void apply(Op op, GuestPhysicalMemory memory, RamBlock[] blocks, Map<Integer, Backing> model) {
        if (op instanceof MapOp map) {
            memory.map((long) map.gpaPage() * PAGE, blocks[map.block()], (long) map.blockPage() * PAGE,
                    (long) map.pages() * PAGE, map.readOnly());
            for (int i = 0; i < map.pages(); i++) {
                model.put(map.gpaPage() + i, new Backing(map.block(), map.blockPage() + i, map.readOnly()));
            }
        } else if (op instanceof UnmapOp unmap) {
            memory.unmap((long) unmap.gpaPage() * PAGE, (long) unmap.pages() * PAGE);
            for (int i = 0; i < unmap.pages(); i++) {
                model.remove(unmap.gpaPage() + i);
            }
        }
    }
}
