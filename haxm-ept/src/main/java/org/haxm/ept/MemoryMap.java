package org.haxm.ept;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable guest-physical memory map: the sorted, non-overlapping slots of one moment, and
 * the distinct blocks they use sorted by host-physical base. {@link GuestPhysicalMemory} replaces
 * the whole map on every change, so readers holding an old map keep a consistent view.
 */
final class MemoryMap {

    static final MemoryMap EMPTY = new MemoryMap(new MemorySlot[0]);

    private final MemorySlot[] slots;
    private final long[] slotStarts;
    private final RamBlock[] blocksByHostPhysical;

    /** @param slots non-overlapping slots, sorted by {@code gpaStart} */
    private MemoryMap(MemorySlot[] slots) {
        this.slots = slots;
        this.slotStarts = new long[slots.length];
        for (int i = 0; i < slots.length; i++) {
            slotStarts[i] = slots[i].gpaStart();
        }
        this.blocksByHostPhysical = Arrays.stream(slots).map(MemorySlot::block).distinct()
                .sorted(Comparator.comparingLong(RamBlock::hostPhysicalBase)).toArray(RamBlock[]::new);
    }

    /** @return the slots, sorted by guest-physical address (a copy) */
    List<MemorySlot> slots() {
        return List.of(slots);
    }

    int slotCount() {
        return slots.length;
    }

    MemorySlot slot(int index) {
        return slots[index];
    }

    /** @return whether some slot maps a part of {@code block} */
    boolean uses(RamBlock block) {
        for (RamBlock used : blocksByHostPhysical) {
            if (used == block) {
                return true;
            }
        }
        return false;
    }

    /** @return the slot containing {@code gpa}, or {@code null} (MMIO). Allocation-free binary search. */
    MemorySlot slotAt(long gpa) {
        int i = Arrays.binarySearch(slotStarts, gpa);
        if (i < 0) {
            i = -i - 2; // the last slot starting below gpa
        }
        if (i < 0) {
            return null;
        }
        MemorySlot slot = slots[i];
        return slot.contains(gpa) ? slot : null;
    }

    /** @return the mapped block whose host-physical range contains {@code hostPhysical}, or {@code null} */
    RamBlock blockAtHostPhysical(long hostPhysical) {
        int low = 0;
        int high = blocksByHostPhysical.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            RamBlock block = blocksByHostPhysical[mid];
            if (hostPhysical < block.hostPhysicalBase()) {
                high = mid - 1;
            } else if (hostPhysical - block.hostPhysicalBase() >= block.size()) {
                low = mid + 1;
            } else {
                return block;
            }
        }
        return null;
    }

    /**
     * Returns the map with {@code [start, end)} unmapped and, if {@code added} is not null, that
     * slot inserted. Slots partly covered are split (HAXM splits memslots the same way); adjacent
     * slots that continue each other in the same block with the same permission are merged so the
     * table generator can use 2-MiB pages across former split points.
     */
    MemoryMap replace(long start, long end, MemorySlot added) {
        List<MemorySlot> result = new ArrayList<>(slots.length + 2);
        for (MemorySlot slot : slots) {
            if (slot.gpaEnd() <= start || slot.gpaStart() >= end) {
                result.add(slot);
                continue;
            }
            if (slot.gpaStart() < start) {
                result.add(new MemorySlot(slot.gpaStart(), start - slot.gpaStart(), slot.block(),
                        slot.blockOffset(), slot.readOnly()));
            }
            if (slot.gpaEnd() > end) {
                result.add(new MemorySlot(end, slot.gpaEnd() - end, slot.block(),
                        slot.blockOffsetOf(end), slot.readOnly()));
            }
        }
        if (added != null) {
            result.add(added);
        }
        result.sort(Comparator.comparingLong(MemorySlot::gpaStart));
        return new MemoryMap(merge(result).toArray(MemorySlot[]::new));
    }

    private static List<MemorySlot> merge(List<MemorySlot> sorted) {
        List<MemorySlot> merged = new ArrayList<>(sorted.size());
        for (MemorySlot slot : sorted) {
            int last = merged.size() - 1;
            if (last >= 0 && continues(merged.get(last), slot)) {
                MemorySlot previous = merged.get(last);
                merged.set(last, new MemorySlot(previous.gpaStart(), previous.size() + slot.size(),
                        previous.block(), previous.blockOffset(), previous.readOnly()));
            } else {
                merged.add(slot);
            }
        }
        return merged;
    }

    private static boolean continues(MemorySlot previous, MemorySlot next) {
        return previous.gpaEnd() == next.gpaStart()
                && previous.block() == next.block()
                && previous.blockOffset() + previous.size() == next.blockOffset()
                && previous.readOnly() == next.readOnly();
    }
}
