package org.haxm.ept;

import java.util.ArrayList;
import java.util.List;

/**
 * Generates the EPT paging structures for a {@link MemoryMap} (SDM Vol. 3C §29.3.2).
 *
 * <p>Unlike HAXM, which fills leaf entries lazily on EPT violations (haxm-api.md §9.3), this
 * model builds the whole tree eagerly on every map change: changes are rare, and a complete tree
 * keeps the walk simple (a not-present entry then always means MMIO). Every slot page gets a leaf
 * with R/W/X = 7 (RAM) or 5 (ROM) and memory type WB. Where a slot covers a whole 2-MiB-aligned
 * GPA range whose host-physical address is 2-MiB aligned too, one 2-MiB PDE leaf replaces a page
 * table (SDM Table 29-4). Non-leaf entries allow R/W/X so that the leaf alone decides.
 *
 * <p>Table {@code i} lives at synthetic host-physical address
 * {@code GuestPhysicalMemory.TABLE_HPA_BASE + i * 4096}; table 0 is the PML4.
 */
final class EptTableBuilder {

    private static final long LARGE_PAGE_SIZE = EptEntry.regionSize(EptEntry.LEVEL_PD);

    private final List<long[]> tables = new ArrayList<>();

    private EptTableBuilder() {
        tables.add(new long[EptEntry.ENTRIES_PER_TABLE]);
    }

    /** @return the tables for {@code map}, indexed as described in the class comment */
    static long[][] build(MemoryMap map) {
        EptTableBuilder builder = new EptTableBuilder();
        for (int i = 0; i < map.slotCount(); i++) {
            builder.addSlot(map.slot(i));
        }
        return builder.tables.toArray(long[][]::new);
    }

    /** @return the synthetic host-physical address of table {@code index} */
    static long tableAddress(int index) {
        return GuestPhysicalMemory.TABLE_HPA_BASE + ((long) index << 12);
    }

    private void addSlot(MemorySlot slot) {
        int permissions = slot.eptPermissions();
        long gpa = slot.gpaStart();
        long hostPhysical = slot.hostPhysicalOf(gpa);
        long end = slot.gpaEnd();
        while (gpa < end) {
            long step;
            if (((gpa | hostPhysical) & (LARGE_PAGE_SIZE - 1)) == 0 && end - gpa >= LARGE_PAGE_SIZE) {
                tableFor(gpa, EptEntry.LEVEL_PD)[EptEntry.index(gpa, EptEntry.LEVEL_PD)] =
                        EptEntry.pde2M(hostPhysical, permissions, EptMemoryType.WB);
                step = LARGE_PAGE_SIZE;
            } else {
                tableFor(gpa, EptEntry.LEVEL_PT)[EptEntry.index(gpa, EptEntry.LEVEL_PT)] =
                        EptEntry.pte(hostPhysical, permissions, EptMemoryType.WB);
                step = RamBlock.PAGE_SIZE;
            }
            gpa += step;
            hostPhysical += step;
        }
    }

    /** @return the table of {@code level} on the path of {@code gpa}, creating missing tables above it */
    private long[] tableFor(long gpa, int level) {
        long[] table = tables.get(0);
        for (int current = EptEntry.LEVEL_PML4; current > level; current--) {
            int index = EptEntry.index(gpa, current);
            if (table[index] == 0) {
                tables.add(new long[EptEntry.ENTRIES_PER_TABLE]);
                table[index] = EptEntry.nonLeaf(tableAddress(tables.size() - 1));
            }
            table = tables.get(tableIndex(EptEntry.address(table[index])));
        }
        return table;
    }

    static int tableIndex(long tableAddress) {
        return (int) ((tableAddress - GuestPhysicalMemory.TABLE_HPA_BASE) >>> 12);
    }
}
