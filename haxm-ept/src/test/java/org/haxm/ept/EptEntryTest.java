package org.haxm.ept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EptEntryTest {

    @Test
    void fieldsAreReadFromTheirSdmBits() {
        long entry = 0x0000_1234_5678_9000L | (1 << 10) | (1 << 9) | (1 << 8) | (1 << 7) | (1 << 6) | (6 << 3) | 0b101;
        assertEquals(0b101, EptEntry.permissions(entry));
        assertTrue(EptEntry.isReadable(entry));
        assertFalse(EptEntry.isWritable(entry));
        assertTrue(EptEntry.isExecutable(entry));
        assertEquals(6, EptEntry.memoryType(entry));
        assertTrue(EptEntry.ignorePat(entry));
        assertTrue(EptEntry.isLargePage(entry));
        assertTrue(EptEntry.isAccessed(entry));
        assertTrue(EptEntry.isDirty(entry));
        assertTrue(EptEntry.isUserExecutable(entry));
        assertEquals(0x0000_1234_5678_9000L, EptEntry.address(entry));
        assertFalse(EptEntry.isPresent(entry & ~7L));
    }

    @Test
    void indexesFollowTheGpaBitRanges() {
        long gpa = (5L << 39) | (6L << 30) | (7L << 21) | (8L << 12) | 0x123;
        assertEquals(5, EptEntry.index(gpa, EptEntry.LEVEL_PML4));
        assertEquals(6, EptEntry.index(gpa, EptEntry.LEVEL_PDPT));
        assertEquals(7, EptEntry.index(gpa, EptEntry.LEVEL_PD));
        assertEquals(8, EptEntry.index(gpa, EptEntry.LEVEL_PT));
        assertEquals(1L << 21, EptEntry.regionSize(EptEntry.LEVEL_PD));
    }

    @Test
    void builtEntriesAreWellFormed() {
        long pte = EptEntry.pte(0x7000, EptEntry.RX, EptMemoryType.WB);
        assertEquals(0x7000 | (6 << 3) | 5, pte);
        assertFalse(EptEntry.isMisconfigured(pte, EptEntry.LEVEL_PT));
        long pde = EptEntry.pde2M(0x4020_0000L, EptEntry.RWX, EptMemoryType.WB);
        assertTrue(EptEntry.isLeaf(pde, EptEntry.LEVEL_PD));
        assertFalse(EptEntry.isMisconfigured(pde, EptEntry.LEVEL_PD));
        long table = EptEntry.nonLeaf(0x3F00_0000_1000L);
        for (int level = 2; level <= 4; level++) {
            assertFalse(EptEntry.isLeaf(table, level));
            assertFalse(EptEntry.isMisconfigured(table, level));
        }
    }

    @Test
    void permissionCombinationsWithoutReadAreMisconfiguredAtEveryLevel() {
        for (int level = 1; level <= 4; level++) {
            long base = level == 1 ? EptEntry.pte(0x1000, 0, EptMemoryType.WB) : EptEntry.nonLeaf(0x1000) & ~7L;
            for (int permissions = 1; permissions <= 7; permissions++) {
                boolean expected = (permissions & 1) == 0; // 010 W, 100 X-only, 110 WX
                assertEquals(expected, EptEntry.isMisconfigured(base | permissions, level),
                        "level " + level + " permissions " + permissions);
            }
        }
    }

    @Test
    void reservedMemoryTypesAreMisconfiguredOnlyInLeaves() {
        for (int type = 0; type < 8; type++) {
            boolean reserved = type == 2 || type == 3 || type == 7;
            long pte = 0x1000 | ((long) type << 3) | 7;
            assertEquals(reserved, EptEntry.isMisconfigured(pte, EptEntry.LEVEL_PT), "type " + type);
            long pde = 0x20_0000L | EptEntry.LARGE_PAGE | ((long) type << 3) | 7;
            assertEquals(reserved, EptEntry.isMisconfigured(pde, EptEntry.LEVEL_PD), "2-MiB type " + type);
            assertEquals(type != 0, EptEntry.isMisconfigured(pte, EptEntry.LEVEL_PML4), "bits 5:3 reserved in a PML4E");
        }
    }

    @Test
    void largePageAddressBits20To12AreReserved() {
        long pde = EptEntry.pde2M(0x20_0000L, EptEntry.RWX, EptMemoryType.WB);
        assertTrue(EptEntry.isMisconfigured(pde | 0x1000, EptEntry.LEVEL_PD));
        assertTrue(EptEntry.isMisconfigured(pde | 0x10_0000L, EptEntry.LEVEL_PD));
        assertFalse(EptEntry.isMisconfigured(pde | 0x20_0000L, EptEntry.LEVEL_PD), "bit 21 is an address bit");
        // In a 4-KiB PTE the same bits are address bits.
        assertFalse(EptEntry.isMisconfigured(EptEntry.pte(0x1000, EptEntry.RWX, EptMemoryType.WB), EptEntry.LEVEL_PT));
    }

    @Test
    void describeDecodesTheEntry() {
        String text = EptEntry.describe(EptEntry.pte(0x5000, EptEntry.RX, EptMemoryType.WB), EptEntry.LEVEL_PT);
        assertTrue(text.contains("R-X WB") && text.contains("-> 0x5000"), text);
        assertTrue(EptEntry.describe(0, EptEntry.LEVEL_PD).contains("not present"));
        assertTrue(EptEntry.describe(EptEntry.WRITE, EptEntry.LEVEL_PD).contains("MISCONFIGURED"));
    }
}
