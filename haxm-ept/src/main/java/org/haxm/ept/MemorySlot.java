package org.haxm.ept;

import java.util.Objects;

/**
 * One guest-physical range mapped onto part of a {@link RamBlock} (HAXM's "memslot",
 * haxm-api.md §9.1). A guest-physical page covered by no slot is MMIO.
 *
 * @param gpaStart first guest-physical address, 4-KiB aligned
 * @param size length in bytes, a non-zero multiple of 4096
 * @param block the host memory behind the range
 * @param blockOffset offset in {@code block} of the byte at {@code gpaStart}, 4-KiB aligned
 * @param readOnly whether guest writes are refused (ROM: EPT permissions R+X)
 */
public record MemorySlot(long gpaStart, long size, RamBlock block, long blockOffset, boolean readOnly) {

    /** Checks the invariants; slots are built by {@link GuestPhysicalMemory}, which validated its input. */
    public MemorySlot {
        Objects.requireNonNull(block, "block");
        if (size <= 0 || blockOffset < 0 || blockOffset > block.size() - size) {
            throw new IllegalArgumentException(String.format(
                    "slot [block offset 0x%x, size 0x%x] does not fit in %s", blockOffset, size, block));
        }
    }

    /** @return the first guest-physical address after the slot */
    public long gpaEnd() {
        return gpaStart + size;
    }

    /** @return whether {@code gpa} lies in the slot */
    public boolean contains(long gpa) {
        return gpa >= gpaStart && gpa - gpaStart < size;
    }

    /** @return the offset in {@link #block()} of the byte at {@code gpa} (which must be in the slot) */
    public long blockOffsetOf(long gpa) {
        return blockOffset + (gpa - gpaStart);
    }

    /** @return the synthetic host-physical address of the byte at {@code gpa} (which must be in the slot) */
    public long hostPhysicalOf(long gpa) {
        return block.hostPhysicalBase() + blockOffsetOf(gpa);
    }

    /** @return EPT permission bits for the slot's pages: 7 (RWX) for RAM, 5 (R+X) for ROM */
    public int eptPermissions() {
        return readOnly ? EptEntry.RX : EptEntry.RWX;
    }

    @Override
    public String toString() {
        return String.format("MemorySlot[gpa 0x%x-0x%x -> block va 0x%x + 0x%x%s]",
                gpaStart, gpaEnd() - 1, block.va(), blockOffset, readOnly ? ", ROM" : "");
    }
}
