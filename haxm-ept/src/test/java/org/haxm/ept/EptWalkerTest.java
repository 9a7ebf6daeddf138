package org.haxm.ept;

import static org.haxm.ept.EptWalkResult.Status.MISCONFIGURATION;
import static org.haxm.ept.EptWalkResult.Status.TRANSLATED;
import static org.haxm.ept.EptWalkResult.Status.VIOLATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EptWalkerTest {

    private static final int PAGE = RamBlock.PAGE_SIZE;
    private static final int MB2 = RamBlock.CHUNK_SIZE;

    private final GuestPhysicalMemory memory = new GuestPhysicalMemory();
    private final ByteBuffer callerBuffer = ByteBuffer.allocate(4 * MB2);
    private final RamBlock ram = memory.addRamBlock(callerBuffer);
    private final EptWalkResult result = new EptWalkResult();

    @Test
    void ramReadTranslatesToTheBackingByte() {
        memory.map(0x100000, ram, 0x5000, 0x4000, false);
        callerBuffer.put(0x6123, (byte) 0x77);
        memory.walk(0x101123, EptAccess.READ, result);
        assertEquals(TRANSLATED, result.status);
        assertEquals(0x77, result.buffer.get(result.offset));
        assertEquals(ram.hostPhysicalBase() + 0x6123, result.hostPhysical);
        assertEquals(EptEntry.RWX, result.permissions);
        assertTrue(result.mapped);
    }

    @Test
    void writingThroughTheWalkResultIsVisibleInTheBlockAndTheCallerBuffer() {
        memory.map(0, ram, MB2, 2 * MB2, false); // gpa 0 -> second chunk of the block
        memory.walk(0x3FF8, EptAccess.WRITE, result);
        assertEquals(TRANSLATED, result.status);
        result.buffer.putLong(result.offset, 0x1122334455667788L);

        assertEquals(0x88, ram.chunk(1).get(0x3FF8) & 0xFF, "little-endian: low byte first");
        assertEquals(0x1122334455667788L, callerBuffer.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getLong(MB2 + 0x3FF8));
        byte[] viaHost = new byte[8];
        memory.readBytes(0x3FF8, viaHost, 0, 8);
        assertEquals(0x11, viaHost[7]);
    }

    @Test
    void writesThroughTheWalkAllocateLazyChunksOnceAndShareThem() {
        RamBlock lazy = memory.allocateRamBlock(8L * MB2);
        memory.map(0x4000_0000L, lazy, 0, lazy.size(), false);
        assertEquals(0, lazy.allocatedChunkCount());
        memory.walk(0x4000_0000L + 3L * MB2 + 12, EptAccess.WRITE, result);
        result.buffer.put(result.offset, (byte) 9);
        assertEquals(1, lazy.allocatedChunkCount());
        byte[] read = new byte[1];
        lazy.read(3L * MB2 + 12, read, 0, 1);
        assertEquals(9, read[0]);
    }

    @Test
    void unmappedAddressIsAViolationWithNoPermissionBitsAndNoMapping() {
        memory.map(0, ram, 0, MB2, false);
        int[][] accessAndBits = {
            {EptAccess.READ, 0b001}, {EptAccess.WRITE, 0b010}, {EptAccess.EXECUTE, 0b100},
            {EptAccess.PAGING_STRUCTURE_READ, 0b001}, {EptAccess.PAGING_STRUCTURE_WRITE, 0b011},
        };
        for (long gpa : new long[] {MB2, 0x8000_0000L, GuestPhysicalMemory.GPA_LIMIT - 1, 1L << 40}) {
            for (int[] pair : accessAndBits) {
                memory.walk(gpa, pair[0], result);
                assertEquals(VIOLATION, result.status);
                assertEquals(pair[1], result.qualification, () -> EptAccess.name(pair[0]) + " at " + gpa);
                assertFalse(result.mapped);
            }
        }
    }

    @Test
    void addressesBeyondTheWalkNeverAliasOrThrow() {
        memory.map(0, ram, 0, PAGE, false);
        for (long gpa : new long[] {1L << 48, -1L, Long.MIN_VALUE, (1L << 48) | 0x10}) {
            memory.walk(gpa, EptAccess.READ, result);
            assertEquals(VIOLATION, result.status, Long.toHexString(gpa));
            assertEquals(0b001, result.qualification);
            assertFalse(result.mapped);
        }
    }

    @Test
    void permissionsAreTheAndOverAllLevels() {
        memory.map(0, ram, 0, PAGE, false);
        EptPageTables tables = memory.eptPageTables();
        long pde = tables.entry(0, EptEntry.LEVEL_PD);
        tables.setEntry(0, EptEntry.LEVEL_PD, pde & ~EptEntry.WRITE); // PDE allows R+X only

        memory.walk(0x10, EptAccess.READ, result);
        assertEquals(TRANSLATED, result.status);
        assertEquals(EptEntry.RX, result.permissions);
        memory.walk(0x10, EptAccess.WRITE, result);
        assertEquals(VIOLATION, result.status);
        assertEquals(0b101_010, result.qualification);
        assertTrue(result.mapped);
        memory.walk(0x10, EptAccess.PAGING_STRUCTURE_WRITE, result);
        assertEquals(0b101_011, result.qualification, "paging-structure writes report read and write");
    }

    @Test
    void notPresentEntryHidesMisconfigurationsBelowIt() {
        memory.map(0, ram, 0, PAGE, false);
        EptPageTables tables = memory.eptPageTables();
        tables.setEntry(0, EptEntry.LEVEL_PT, EptEntry.WRITE); // W without R: misconfigured...
        memory.walk(0, EptAccess.READ, result);
        assertEquals(MISCONFIGURATION, result.status);
        assertTrue(result.mapped);
        tables.setEntry(0, EptEntry.LEVEL_PD, 0); // ...but a not-present PDE above stops the walk first
        memory.walk(0, EptAccess.READ, result);
        assertEquals(VIOLATION, result.status);
        assertEquals(0b001, result.qualification);
    }

    @Test
    void corruptedEntriesAreMisconfigurations() {
        long[][] corruptions = {
            // level, value XORed into the generated entry
            {EptEntry.LEVEL_PML4, 1L << 3},              // reserved bit 3 in a non-leaf
            {EptEntry.LEVEL_PDPT, EptEntry.LARGE_PAGE},  // 1-GiB page: not supported
            {EptEntry.LEVEL_PD, 1L << 5},                // reserved bit in a non-leaf PDE
            {EptEntry.LEVEL_PT, EptEntry.READ},          // RWX -> WX: write without read
            {EptEntry.LEVEL_PT, 4L << 3},                // memory type WB(6) -> 2 (reserved)
            {EptEntry.LEVEL_PT, 1L << 47},               // address bit above host MAXPHYADDR 46
        };
        for (long[] corruption : corruptions) {
            GuestPhysicalMemory fresh = new GuestPhysicalMemory();
            RamBlock block = fresh.allocateRamBlock(PAGE);
            fresh.map(0x5000, block, 0, PAGE, false);
            EptPageTables tables = fresh.eptPageTables();
            int level = (int) corruption[0];
            tables.setEntry(0x5000, level, tables.entry(0x5000, level) ^ corruption[1]);
            fresh.walk(0x5000, EptAccess.READ, result);
            assertEquals(MISCONFIGURATION, result.status, () -> "level " + level + " xor 0x" + Long.toHexString(corruption[1]));
            assertEquals(0, result.qualification);
        }
    }

    @Test
    void entriesPointingAtNoTableOrNoRamAreReportedAsMisconfigurationsNotExceptions() {
        memory.map(0, ram, 0, PAGE, false);
        EptPageTables tables = memory.eptPageTables();
        tables.setEntry(0, EptEntry.LEVEL_PT, EptEntry.pte(0x2000_0000_0000L, EptEntry.RWX, EptMemoryType.WB));
        memory.walk(0, EptAccess.READ, result);
        assertEquals(MISCONFIGURATION, result.status);
        tables.setEntry(0, EptEntry.LEVEL_PD, EptEntry.nonLeaf(0x1000));
        memory.walk(0, EptAccess.READ, result);
        assertEquals(MISCONFIGURATION, result.status);
    }

    @Test
    void alignedTwoMegabyteRangesUseLargePagesAndOthersUsePageTables() {
        memory.map(0x20_0000L, ram, 0, 2 * MB2, false);   // aligned: two 2-MiB leaves
        memory.map(0x100_0000L, ram, PAGE, MB2, false);    // host side not 2-MiB aligned: 4-KiB leaves
        EptPageTables tables = memory.eptPageTables();
        assertTrue(EptEntry.isLargePage(tables.entry(0x20_0000L, EptEntry.LEVEL_PD)));
        assertTrue(EptEntry.isLargePage(tables.entry(0x40_0000L, EptEntry.LEVEL_PD)));
        assertFalse(EptEntry.isLargePage(tables.entry(0x100_0000L, EptEntry.LEVEL_PD)));

        callerBuffer.put(MB2 + 0x1234, (byte) 0x3C);
        memory.walk(0x40_1234L, EptAccess.EXECUTE, result);
        assertEquals(TRANSLATED, result.status);
        assertEquals(0x3C, result.buffer.get(result.offset));
        assertEquals(ram.hostPhysicalBase() + MB2 + 0x1234, result.hostPhysical);
        memory.walk(0x100_0000L + MB2 - PAGE, EptAccess.READ, result);
        assertEquals(ram.hostPhysicalBase() + MB2, result.hostPhysical);
    }

    @Test
    void tablesAreRegeneratedAndOldSnapshotsStayConsistent() {
        memory.map(0, ram, 0, PAGE, false);
        EptPageTables before = memory.eptPageTables();
        memory.unmap(0, PAGE);
        before.walk(0, EptAccess.READ, result);
        assertEquals(TRANSLATED, result.status, "a VCPU still holding the old tables sees the old map");
        memory.walk(0, EptAccess.READ, result);
        assertEquals(VIOLATION, result.status);
        assertEquals(before.eptp(), memory.eptp(), "the PML4 keeps its synthetic address");
    }

    @Test
    void eptpNamesTheGeneratedPml4() {
        Eptp eptp = Eptp.decode(memory.eptp());
        assertEquals(EptMemoryType.WB, eptp.memoryType());
        assertEquals(4, eptp.walkLength());
        assertFalse(eptp.accessedDirtyEnabled());
        assertEquals(GuestPhysicalMemory.TABLE_HPA_BASE, eptp.pml4Address());
    }

    @Test
    void badAccessKindIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> memory.walk(0, 5, result));
        assertTrue(e.getMessage().contains("access must be 0..4"), e.getMessage());
    }

    @Test
    void describeShowsEveryLevelVisited() {
        memory.map(0x1000, ram, 0, PAGE, true);
        String text = memory.eptPageTables().describe(0x1008);
        assertTrue(text.contains("PML4E") && text.contains("PDPTE") && text.contains("PDE") && text.contains("PTE"), text);
        assertTrue(text.contains("R-X WB"), text);
        assertTrue(text.contains("hpa 0x" + Long.toHexString(ram.hostPhysicalBase() + 8)), text);
        String mmio = memory.eptPageTables().describe(0x8000_0000L);
        assertTrue(mmio.contains("not present") && mmio.contains("(MMIO)"), mmio);
    }

    @Test
    void walkingAllocatesNothing() {
        memory.map(0, ram, 0, 4 * MB2, false);
        memory.map(0x1000_0000L, ram, PAGE, PAGE, true);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) {
            walkMix(i);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            walkMix(i);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 16_000, "100,000 walks allocated " + allocated + " bytes");
    }

    private void walkMix(int i) {
        memory.walk((i * 4099L) & (4L * MB2 - 1), i % 5, result);
        memory.walk(0x1000_0000L + (i & 0xFFF), EptAccess.WRITE, result);
        memory.walk(0x2000_0000L, EptAccess.READ, result);
    }
}
