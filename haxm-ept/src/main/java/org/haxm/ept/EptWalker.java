package org.haxm.ept;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The EPT walk: translation of a guest-physical address through the four levels of
 * {@link EptPageTables} (SDM Vol. 3C §29.3.2, §29.3.3; facts sheet §6.2–§6.4).
 *
 * <p>For each level, top-down, the entry indexed by the GPA is read and judged in the order the
 * SDM gives: not present (bits 2:0 = 0) → EPT violation, and whatever else the entry holds is
 * ignored; present but malformed → EPT misconfiguration; otherwise it is followed, and its R/W/X
 * bits are ANDed into the effective permissions. At the leaf the effective permissions must grant
 * the access, or the walk ends in an EPT violation whose qualification reports the access (bits
 * 2:0) and the effective permissions (bits 5:3; all 0 when a not-present entry stopped the walk).
 *
 * <p>The walk allocates nothing (engine-allocated RAM chunks are the one exception, allocated
 * once on first touch) and never throws for any GPA: addresses beyond the 48 bits a 4-level walk
 * translates end in a violation, as if their (non-existent) PML4 entry were not present.
 *
 * <p>When the tables' EPTP enables accessed/dirty flags (EPTP[6]; off by default, as in HAXM), a
 * successful walk sets the accessed flag (bit 8) in every entry it used and, for a write or a
 * paging-structure write, the dirty flag (bit 9) in the leaf (SDM Vol. 3C §29.3.5). As in
 * hardware the updates are atomic, and a failed walk updates nothing.
 */
public final class EptWalker {

    /** Atomic OR into a {@code long[]} element, for accessed/dirty flags shared by VCPU threads. */
    private static final VarHandle ENTRY = MethodHandles.arrayElementVarHandle(long[].class);

    /** A 4-level walk translates GPA bits 47:0. */
    private static final int WALK_GPA_BITS = 48;

    private EptWalker() {
    }

    /**
     * Walks {@code gpa} through {@code tables} for {@code access} and fills {@code out}.
     *
     * @param access one of the {@link EptAccess} constants
     * @throws IllegalArgumentException when {@code access} is not an {@link EptAccess} constant (engine bug, not guest input)
     */
    public static void walk(EptPageTables tables, long gpa, int access, EptWalkResult out) {
        EptAccess.check(access);
        out.reset(gpa);
        if ((gpa >>> WALK_GPA_BITS) != 0) {
            violation(tables, access, 0, out);
            return;
        }
        long[] table = tables.pml4();
        int permissions = EptEntry.RWX;
        for (int level = EptEntry.LEVEL_PML4; ; level--) {
            long entry = table[EptEntry.index(gpa, level)];
            if (!EptEntry.isPresent(entry)) {
                violation(tables, access, 0, out);
                return;
            }
            if (EptEntry.isMisconfigured(entry, level)) {
                misconfiguration(tables, out);
                return;
            }
            permissions &= EptEntry.permissions(entry);
            if (EptEntry.isLeaf(entry, level)) {
                leaf(tables, entry, level, access, permissions, out);
                return;
            }
            table = tables.tableAt(EptEntry.address(entry));
            if (table == null) {
                // Points at host memory that holds no EPT table: a corrupted entry. Real hardware
                // would read whatever is there; the model reports the entry as malformed.
                misconfiguration(tables, out);
                return;
            }
        }
    }

    private static void leaf(EptPageTables tables, long entry, int level, int access, int permissions, EptWalkResult out) {
        int required = EptAccess.requiredPermission(access);
        if ((permissions & required) != required) {
            violation(tables, access, permissions, out);
            return;
        }
        long pageMask = EptEntry.regionSize(level) - 1;
        long hostPhysical = (EptEntry.address(entry) & ~pageMask) | (out.gpa & pageMask);
        RamBlock block = tables.map().blockAtHostPhysical(hostPhysical);
        if (block == null) {
            // A corrupted leaf naming host-physical memory that backs no RAM block: as above.
            misconfiguration(tables, out);
            return;
        }
        if (tables.accessedDirtyEnabled()) {
            boolean write = access == EptAccess.WRITE || access == EptAccess.PAGING_STRUCTURE_WRITE;
            setAccessedDirty(tables, out.gpa, level, write);
        }
        long blockOffset = hostPhysical - block.hostPhysicalBase();
        out.status = EptWalkResult.Status.TRANSLATED;
        out.buffer = block.chunkFor(blockOffset);
        out.offset = RamBlock.offsetInChunk(blockOffset);
        out.hostPhysical = hostPhysical;
        out.permissions = permissions;
        out.mapped = true;
    }

    /** Re-walks the (already validated) path of {@code gpa} and sets A in every entry, D in a written leaf. */
    private static void setAccessedDirty(EptPageTables tables, long gpa, int leafLevel, boolean write) {
        long[] table = tables.pml4();
        for (int level = EptEntry.LEVEL_PML4; ; level--) {
            int index = EptEntry.index(gpa, level);
            long entry = table[index];
            long flags = level == leafLevel && write ? EptEntry.ACCESSED | EptEntry.DIRTY : EptEntry.ACCESSED;
            if ((entry & flags) != flags) {
                // Only write when a flag is missing: keeps the common case read-only.
                ENTRY.getAndBitwiseOr(table, index, flags);
            }
            if (level == leafLevel) {
                return;
            }
            table = tables.tableAt(EptEntry.address(entry));
        }
    }

    /** SDM Vol. 3C §28.3.3.2, Table 28-7: bits 2:0 the access, bits 5:3 the effective R/W/X. */
    private static void violation(EptPageTables tables, int access, int permissions, EptWalkResult out) {
        out.status = EptWalkResult.Status.VIOLATION;
        out.permissions = permissions;
        out.qualification = EptAccess.qualificationAccessBits(access) | ((long) permissions << 3);
        out.mapped = tables.map().slotAt(out.gpa) != null;
    }

    private static void misconfiguration(EptPageTables tables, EptWalkResult out) {
        out.status = EptWalkResult.Status.MISCONFIGURATION;
        out.mapped = tables.map().slotAt(out.gpa) != null;
    }
}
