package org.haxm.ept;

/**
 * Static helpers over one 64-bit EPT paging-structure entry (SDM Vol. 3C §29.3.2, Tables 29-1 to
 * 29-6; facts sheet §6.3).
 *
 * <p>Bit layout common to every level: bit 0 read, bit 1 write, bit 2 execute, bit 8 accessed
 * (only when EPTP[6] enables A/D flags), bit 10 user-execute (only with mode-based execute
 * control, which this engine does not offer, so it is ignored), bits N-1:12 the host-physical
 * address of the next table or of the page, bits 51:N reserved. Leaf entries add bits 5:3 memory
 * type, bit 6 ignore-PAT and bit 9 dirty; a PDE with bit 7 set maps a 2-MiB page, a PDPTE with
 * bit 7 set would map a 1-GiB page (not supported here, hence a misconfiguration).
 *
 * <p>Levels are numbered as the walk meets them: {@link #LEVEL_PML4} = 4 down to {@link #LEVEL_PT}
 * = 1. An entry is <em>present</em> iff any of bits 2:0 is set.
 */
public final class EptEntry {

    /** Width N of the synthetic host-physical addresses held in EPT entries (MAXPHYADDR of the model host). */
    public static final int HOST_PHYS_ADDR_BITS = 46;

    /** Bit 0: reads allowed. */
    public static final long READ = 1L;
    /** Bit 1: writes allowed. */
    public static final long WRITE = 1L << 1;
    /** Bit 2: instruction fetches allowed. */
    public static final long EXECUTE = 1L << 2;
    /** Bits 2:0 all set: what non-leaf entries and RAM leaves carry. */
    public static final int RWX = 7;
    /** Bits 2:0 = R+X: what ROM leaves carry (HAXM maps ROM slots read-only and executable). */
    public static final int RX = 5;
    /** Bits 5:3 of a leaf: EPT memory type. */
    public static final int MEMORY_TYPE_SHIFT = 3;
    /** Mask of the memory-type field (bits 5:3). */
    public static final long MEMORY_TYPE_MASK = 7L << MEMORY_TYPE_SHIFT;
    /** Bit 6 of a leaf: ignore the guest PAT memory type. */
    public static final long IGNORE_PAT = 1L << 6;
    /** Bit 7: in a PDE (or PDPTE) this entry maps a large page instead of pointing at a table. */
    public static final long LARGE_PAGE = 1L << 7;
    /** Bit 8: accessed flag (SDM §29.3.5), meaningful only when EPTP[6] = 1. */
    public static final long ACCESSED = 1L << 8;
    /** Bit 9 of a leaf: dirty flag (SDM §29.3.5), meaningful only when EPTP[6] = 1. */
    public static final long DIRTY = 1L << 9;
    /** Bit 10: user-mode execute (mode-based execute control only; ignored by this engine). */
    public static final long USER_EXECUTE = 1L << 10;
    /** Bits N-1:12: physical address of the next table or of a 4-KiB page. */
    public static final long ADDRESS_MASK = ((1L << HOST_PHYS_ADDR_BITS) - 1) & ~0xFFFL;
    /** Bits 51:N: reserved in every entry at every level. */
    public static final long RESERVED_HIGH_ADDRESS_MASK = ((1L << 52) - 1) & ~((1L << HOST_PHYS_ADDR_BITS) - 1);
    /** Bits 7:3 of a non-leaf entry: reserved (SDM Tables 29-1, 29-3, 29-5). */
    public static final long NON_LEAF_RESERVED_MASK = 0xF8L;
    /** Bits 20:12 of a PDE mapping a 2-MiB page: reserved (SDM Table 29-4). */
    public static final long LARGE_2M_RESERVED_MASK = 0x1FF000L;

    /** Level of the page-map level-4 table (GPA bits 47:39 index it). */
    public static final int LEVEL_PML4 = 4;
    /** Level of the page-directory-pointer table (GPA bits 38:30). */
    public static final int LEVEL_PDPT = 3;
    /** Level of the page directory (GPA bits 29:21). */
    public static final int LEVEL_PD = 2;
    /** Level of the page table (GPA bits 20:12). */
    public static final int LEVEL_PT = 1;

    /** Entries per table: a table is one 4-KiB page of 8-byte entries. */
    public static final int ENTRIES_PER_TABLE = 512;

    private static final String[] LEVEL_NAMES = {"?", "PTE", "PDE", "PDPTE", "PML4E"};

    private EptEntry() {
    }

    /** @return bits 2:0 (R=1, W=2, X=4) */
    public static int permissions(long entry) {
        return (int) (entry & 7);
    }

    /** @return whether the entry is present (any of bits 2:0 set; SDM §29.3.2) */
    public static boolean isPresent(long entry) {
        return (entry & 7) != 0;
    }

    /** @return bit 0 */
    public static boolean isReadable(long entry) {
        return (entry & READ) != 0;
    }

    /** @return bit 1 */
    public static boolean isWritable(long entry) {
        return (entry & WRITE) != 0;
    }

    /** @return bit 2 */
    public static boolean isExecutable(long entry) {
        return (entry & EXECUTE) != 0;
    }

    /** @return the memory-type field, bits 5:3 (meaningful in leaf entries only) */
    public static int memoryType(long entry) {
        return (int) ((entry & MEMORY_TYPE_MASK) >>> MEMORY_TYPE_SHIFT);
    }

    /** @return bit 6 (meaningful in leaf entries only) */
    public static boolean ignorePat(long entry) {
        return (entry & IGNORE_PAT) != 0;
    }

    /** @return bit 7 */
    public static boolean isLargePage(long entry) {
        return (entry & LARGE_PAGE) != 0;
    }

    /** @return bit 8 */
    public static boolean isAccessed(long entry) {
        return (entry & ACCESSED) != 0;
    }

    /** @return bit 9 */
    public static boolean isDirty(long entry) {
        return (entry & DIRTY) != 0;
    }

    /** @return bit 10 */
    public static boolean isUserExecutable(long entry) {
        return (entry & USER_EXECUTE) != 0;
    }

    /** @return bits N-1:12, the host-physical address the entry points at */
    public static long address(long entry) {
        return entry & ADDRESS_MASK;
    }

    /**
     * @param level 1 (PT) to 4 (PML4)
     * @return the GPA bit where the level's 9-bit index starts: 12, 21, 30, 39
     */
    public static int indexShift(int level) {
        return 12 + 9 * (level - 1);
    }

    /** @return the index of {@code gpa} in the table of {@code level} (SDM §29.3.2) */
    public static int index(long gpa, int level) {
        return (int) (gpa >>> indexShift(level)) & (ENTRIES_PER_TABLE - 1);
    }

    /** @return the size of the region one entry of {@code level} maps: 4 KiB, 2 MiB, 1 GiB, 512 GiB */
    public static long regionSize(int level) {
        return 1L << indexShift(level);
    }

    /**
     * Whether a present, well-formed entry ends the walk: every PTE does, a PDE does when bit 7 is
     * set. (A PDPTE with bit 7 set would map a 1-GiB page, which this model reports as a
     * misconfiguration before asking this question.)
     */
    public static boolean isLeaf(long entry, int level) {
        return level == LEVEL_PT || (level == LEVEL_PD && isLargePage(entry));
    }

    /**
     * Whether a <em>present</em> entry is an EPT misconfiguration (SDM Vol. 3C §29.3.3.1; facts §6.4):
     * write without read (bits 2:0 = 010 or 110), execute-only (100; this model does not report
     * EPT_VPID_CAP[0]), a reserved bit set, or a leaf with reserved memory type 2, 3 or 7.
     *
     * @param entry the entry, already known to be present
     * @param level 1 (PT) to 4 (PML4)
     */
    public static boolean isMisconfigured(long entry, int level) {
        int permissions = permissions(entry);
        if ((permissions & (int) READ) == 0) {
            // 010, 110: write without read; 100: execute-only, unsupported here.
            return true;
        }
        if ((entry & RESERVED_HIGH_ADDRESS_MASK) != 0) {
            return true;
        }
        switch (level) {
            case LEVEL_PT:
                return !EptMemoryType.isValidLeafType(memoryType(entry));
            case LEVEL_PD:
                if (isLargePage(entry)) {
                    return (entry & LARGE_2M_RESERVED_MASK) != 0
                            || !EptMemoryType.isValidLeafType(memoryType(entry));
                }
                return (entry & NON_LEAF_RESERVED_MASK) != 0;
            default:
                // PML4E: bits 7:3 reserved. PDPTE: bit 7 would be a 1-GiB page, which this model
                // does not support (EPT_VPID_CAP[17] = 0), so it is reserved too.
                return (entry & NON_LEAF_RESERVED_MASK) != 0;
        }
    }

    /** @return a non-leaf entry pointing at the table at {@code tableAddress}, R/W/X all allowed */
    public static long nonLeaf(long tableAddress) {
        return (tableAddress & ADDRESS_MASK) | RWX;
    }

    /**
     * @param pageAddress host-physical address of the 4-KiB page
     * @param permissions bits 2:0
     * @param type memory type for bits 5:3
     * @return a PTE mapping a 4-KiB page
     */
    public static long pte(long pageAddress, int permissions, EptMemoryType type) {
        return (pageAddress & ADDRESS_MASK) | ((long) type.code() << MEMORY_TYPE_SHIFT) | (permissions & 7);
    }

    /**
     * @param pageAddress host-physical address of the 2-MiB page (2-MiB aligned)
     * @param permissions bits 2:0
     * @param type memory type for bits 5:3
     * @return a PDE mapping a 2-MiB page (bit 7 set)
     */
    public static long pde2M(long pageAddress, int permissions, EptMemoryType type) {
        return pte(pageAddress & ~(LARGE_2M_RESERVED_MASK | 0xFFFL), permissions, type) | LARGE_PAGE;
    }

    /** @return "PTE", "PDE", "PDPTE" or "PML4E" */
    public static String levelName(int level) {
        return level >= 1 && level <= 4 ? LEVEL_NAMES[level] : "?";
    }

    /** @return a human-readable rendering, e.g. {@code 0x0000000100000037 [RWX WB -> 0x100000000]} */
    public static String describe(long entry, int level) {
        StringBuilder text = new StringBuilder(String.format("0x%016x [", entry));
        if (!isPresent(entry)) {
            return text.append("not present]").toString();
        }
        text.append(isReadable(entry) ? 'R' : '-')
                .append(isWritable(entry) ? 'W' : '-')
                .append(isExecutable(entry) ? 'X' : '-');
        if (isLeaf(entry, level)) {
            EptMemoryType type = EptMemoryType.fromCode(memoryType(entry));
            text.append(' ').append(type == null ? "memtype " + memoryType(entry) : type.name());
            if (level == LEVEL_PD) {
                text.append(" 2M");
            }
            if (ignorePat(entry)) {
                text.append(" IPAT");
            }
            if (isDirty(entry)) {
                text.append(" D");
            }
        }
        if (isAccessed(entry)) {
            text.append(" A");
        }
        if (isMisconfigured(entry, level)) {
            text.append(" MISCONFIGURED");
        }
        return text.append(String.format(" -> 0x%x]", address(entry))).toString();
    }
}
