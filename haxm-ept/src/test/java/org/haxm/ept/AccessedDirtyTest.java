package org.haxm.ept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** EPT accessed/dirty flags, SDM Vol. 3C §29.3.5. */
class AccessedDirtyTest {

    private static final int PAGE = RamBlock.PAGE_SIZE;

    @Test
    void readSetsAccessedOnEveryLevelAndWriteSetsDirtyOnTheLeafOnly() {
        GuestPhysicalMemory memory = new GuestPhysicalMemory(true);
        RamBlock block = memory.allocateRamBlock(2 * PAGE);
        memory.map(0x3000, block, 0, 2 * PAGE, false);
        assertTrue(Eptp.decode(memory.eptp()).accessedDirtyEnabled());
        EptPageTables tables = memory.eptPageTables();
        EptWalkResult result = new EptWalkResult();

        memory.walk(0x3010, EptAccess.READ, result);
        for (int level = EptEntry.LEVEL_PML4; level >= EptEntry.LEVEL_PT; level--) {
            assertTrue(EptEntry.isAccessed(tables.entry(0x3010, level)), "level " + level);
        }
        assertFalse(EptEntry.isDirty(tables.entry(0x3010, EptEntry.LEVEL_PT)));
        assertFalse(EptEntry.isAccessed(tables.entry(0x4000, EptEntry.LEVEL_PT)), "the other page was not used");

        memory.walk(0x4000, EptAccess.PAGING_STRUCTURE_WRITE, result);
        assertTrue(EptEntry.isDirty(tables.entry(0x4000, EptEntry.LEVEL_PT)));
        assertFalse(EptEntry.isDirty(tables.entry(0x4000, EptEntry.LEVEL_PD)), "dirty is a leaf flag");
        assertEquals(EptWalkResult.Status.TRANSLATED, result.status, "set flags do not disturb the walk");
    }

    @Test
    void failedWalksSetNothing() {
        GuestPhysicalMemory memory = new GuestPhysicalMemory(true);
        RamBlock block = memory.allocateRamBlock(PAGE);
        memory.map(0, block, 0, PAGE, true);
        EptWalkResult result = new EptWalkResult();
        memory.walk(0, EptAccess.WRITE, result);
        assertEquals(EptWalkResult.Status.VIOLATION, result.status);
        assertFalse(EptEntry.isAccessed(memory.eptPageTables().entry(0, EptEntry.LEVEL_PML4)));
        assertFalse(EptEntry.isAccessed(memory.eptPageTables().entry(0, EptEntry.LEVEL_PT)));
    }

    @Test
    void flagsAreNotTouchedWhenTheEptpDisablesThem() {
        GuestPhysicalMemory memory = new GuestPhysicalMemory();
        RamBlock block = memory.allocateRamBlock(PAGE);
        memory.map(0, block, 0, PAGE, false);
        memory.walk(0, EptAccess.WRITE, new EptWalkResult());
        long leaf = memory.eptPageTables().entry(0, EptEntry.LEVEL_PT);
        assertFalse(EptEntry.isAccessed(leaf) || EptEntry.isDirty(leaf));
    }
}
