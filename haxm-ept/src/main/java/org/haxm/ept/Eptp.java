package org.haxm.ept;

/**
 * The extended-page-table pointer, VMCS field 0x201A (SDM Vol. 3C §25.6.11, Table 25-9; facts §6.1).
 *
 * <p>Layout: bits 2:0 memory type used to read the EPT paging structures (UC = 0 or WB = 6),
 * bits 5:3 page-walk length minus one (3 = 4-level), bit 6 enables accessed/dirty flags, bit 7
 * supervisor shadow-stack control (not modelled, must be 0), bits 11:8 reserved, bits N-1:12 the
 * host-physical address of the PML4 table, bits 63:N reserved (N = {@link EptEntry#HOST_PHYS_ADDR_BITS}).
 *
 * @param memoryType memory type for paging-structure accesses: {@link EptMemoryType#UC} or {@link EptMemoryType#WB}
 * @param walkLength number of levels, 4 (5-level EPT is not modelled)
 * @param accessedDirtyEnabled EPTP[6]: the processor sets accessed/dirty flags (SDM §29.3.5)
 * @param pml4Address 4-KiB-aligned host-physical address of the PML4 table
 */
public record Eptp(EptMemoryType memoryType, int walkLength, boolean accessedDirtyEnabled, long pml4Address) {

    /** The only supported walk length. */
    public static final int WALK_LENGTH_4 = 4;

    private static final int WALK_LENGTH_SHIFT = 3;
    private static final long ACCESSED_DIRTY_BIT = 1L << 6;
    private static final long RESERVED_LOW_MASK = 0xF80L; // bit 7 (SSS, not modelled) and bits 11:8

    /** Validates every field; throws IllegalArgumentException naming the bad one. */
    public Eptp {
        if (memoryType != EptMemoryType.UC && memoryType != EptMemoryType.WB) {
            throw new IllegalArgumentException("memoryType must be UC or WB for EPT paging structures, was " + memoryType);
        }
        if (walkLength != WALK_LENGTH_4) {
            throw new IllegalArgumentException("walkLength must be 4 (5-level EPT is not modelled), was " + walkLength);
        }
        if ((pml4Address & ~EptEntry.ADDRESS_MASK) != 0) {
            throw new IllegalArgumentException(String.format(
                    "pml4Address must be 4-KiB aligned and below 2^%d, was 0x%x",
                    EptEntry.HOST_PHYS_ADDR_BITS, pml4Address));
        }
    }

    /** @return the 64-bit VMCS field value */
    public long encode() {
        return memoryType.code()
                | ((long) (walkLength - 1) << WALK_LENGTH_SHIFT)
                | (accessedDirtyEnabled ? ACCESSED_DIRTY_BIT : 0)
                | pml4Address;
    }

    /**
     * Decodes a VMCS EPTP value.
     *
     * @throws IllegalArgumentException when a reserved bit is set or a field holds an unsupported
     *         value (the conditions under which VM entry fails, SDM Vol. 3C §27.2.1.1)
     */
    public static Eptp decode(long value) {
        if ((value & RESERVED_LOW_MASK) != 0 || (value >>> EptEntry.HOST_PHYS_ADDR_BITS) != 0) {
            throw new IllegalArgumentException(String.format(
                    "eptp has reserved bits set (bits 11:7 and 63:%d must be 0), was 0x%x",
                    EptEntry.HOST_PHYS_ADDR_BITS, value));
        }
        EptMemoryType type = EptMemoryType.fromCode((int) (value & 7));
        if (type == null) {
            throw new IllegalArgumentException(String.format("eptp memory type (bits 2:0) %d is reserved", value & 7));
        }
        int walkLength = (int) ((value >>> WALK_LENGTH_SHIFT) & 7) + 1;
        return new Eptp(type, walkLength, (value & ACCESSED_DIRTY_BIT) != 0, value & EptEntry.ADDRESS_MASK);
    }
}
