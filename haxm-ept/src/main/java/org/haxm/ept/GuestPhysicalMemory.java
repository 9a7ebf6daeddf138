package org.haxm.ept;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest-physical memory of one VM: registered {@link RamBlock}s, the memory map (which
 * guest-physical ranges are backed by which block), and the EPT generated from that map.
 *
 * <p>The map is changed with HAXM {@code SET_RAM2} semantics ({@link #setRam}; haxm-api.md §2.3,
 * §9.3). Guest-physical addresses are limited to {@link #MAX_PHYS_ADDR_BITS} = 39 bits (512 GiB):
 * the guest MAXPHYADDR this engine reports, and the reach of one PML4 entry.
 *
 * <p><b>Threads.</b> Changes are rare and serialised by a private lock; VCPU threads read
 * constantly. Every change therefore builds a new immutable map plus its EPT tables
 * ({@link EptPageTables}) and publishes it through one volatile field: readers
 * ({@link #walk}, {@link #slotAt}, {@link #readBytes}...) never lock and always see one consistent
 * version. {@link #translationGeneration()} increases with every published change; a VCPU that
 * caches translations must drop them when it changes (INVEPT semantics, SDM Vol. 3C §29.4.3.1).
 *
 * <p><b>Synthetic host addresses.</b> Blocks get a host "user virtual address" (used by
 * {@code SET_RAM} to name host memory) from {@link #VA_BASE} upward and a host-physical base from
 * {@link #RAM_HPA_BASE} upward, both 2-MiB aligned with a 2-MiB gap between blocks, never reused.
 * EPT tables live at {@link #TABLE_HPA_BASE} upward.
 */
public final class GuestPhysicalMemory {

    /** Guest MAXPHYADDR modelled: guest-physical addresses have 39 bits. */
    public static final int MAX_PHYS_ADDR_BITS = 39;
    /** First guest-physical address beyond the guest-physical space: 2^39 (512 GiB). */
    public static final long GPA_LIMIT = 1L << MAX_PHYS_ADDR_BITS;

    /** {@code SET_RAM} flag: map read-only (EPT R+X); guest writes cause EPT violations (handled as MMIO). */
    public static final int FLAG_ROM = 0x01;
    /** {@code SET_RAM} flag: the engine allocates a private block for the range (HAXM "implicit RAM block"). */
    public static final int FLAG_STANDALONE = 0x40;
    /** {@code SET_RAM} flag: unmap the range (it becomes MMIO); must be used alone, with va = 0. */
    public static final int FLAG_INVALID = 0x80;

    /** First synthetic host user-virtual address given to a block. */
    public static final long VA_BASE = 0x10_0000_0000L;
    /** Synthetic user-virtual addresses stay below 2^47, like a canonical user half. */
    public static final long VA_LIMIT = 1L << 47;
    /** First synthetic host-physical address given to a block (4 GiB, above a pretend host's low memory). */
    public static final long RAM_HPA_BASE = 0x1_0000_0000L;
    /** Synthetic host-physical address of EPT table 0 (the PML4); RAM stays below it. */
    public static final long TABLE_HPA_BASE = 0x3F00_0000_0000L;

    private static final Logger LOG = LoggerFactory.getLogger(GuestPhysicalMemory.class);
    private static final int VALID_FLAGS = FLAG_ROM | FLAG_STANDALONE | FLAG_INVALID;
    private static final long PAGE_MASK = RamBlock.PAGE_SIZE - 1;

    private final Object lock = new Object();
    /** Registered blocks in registration order, which is also va order and host-physical order. Guarded by lock. */
    private final List<RamBlock> blocks = new ArrayList<>();
    private long nextVa = VA_BASE;
    private long nextHostPhysical = RAM_HPA_BASE;
    private final boolean eptAccessedDirty;
    private volatile EptPageTables current;

    /** Creates the memory of a VM with no blocks and nothing mapped (everything is MMIO); EPT A/D flags off, as HAXM. */
    public GuestPhysicalMemory() {
        this(false);
    }

    /**
     * Creates the memory of a VM with no blocks and nothing mapped.
     *
     * @param eptAccessedDirty whether the EPTP enables accessed/dirty flags (EPTP[6], SDM Vol. 3C
     *        §29.3.5): walks then set them. The flags start clear in the tables of every generation.
     */
    public GuestPhysicalMemory(boolean eptAccessedDirty) {
        this.eptAccessedDirty = eptAccessedDirty;
        this.current = new EptPageTables(MemoryMap.EMPTY, 0, eptAccessedDirty);
    }

    // ---------------------------------------------------------------- RAM blocks

    /**
     * Registers a caller-provided buffer as a RAM block (HAXM {@code ADD_RAMBLOCK}). The block is
     * the bytes between the buffer's position and limit, used in place; see {@link RamBlock}.
     *
     * @throws IllegalArgumentException when the buffer is read-only or its remaining size is not a non-zero multiple of 4096
     */
    public RamBlock addRamBlock(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        synchronized (lock) {
            RamBlock.checkSize("buffer.remaining()", buffer.remaining(), Integer.MAX_VALUE);
            long size = buffer.remaining();
            checkHostSpace(size);
            RamBlock block = RamBlock.wrap(this, buffer, nextVa, nextHostPhysical);
            register(block);
            return block;
        }
    }

    /**
     * Creates an engine-allocated RAM block whose 2-MiB chunks are allocated on first touch.
     *
     * @param size a non-zero multiple of 4096, at most {@link RamBlock#MAX_ALLOCATED_SIZE} (2^39)
     * @throws IllegalArgumentException when {@code size} is out of range
     */
    public RamBlock allocateRamBlock(long size) {
        synchronized (lock) {
            return allocate(size, false);
        }
    }

    private RamBlock allocate(long size, boolean standalone) {
        RamBlock.checkSize("size", size, RamBlock.MAX_ALLOCATED_SIZE);
        checkHostSpace(size);
        RamBlock block = RamBlock.allocate(this, size, nextVa, nextHostPhysical, standalone);
        register(block);
        return block;
    }

    private void checkHostSpace(long size) {
        long reserved = reservation(size);
        if (reserved > VA_LIMIT - nextVa || reserved > TABLE_HPA_BASE - nextHostPhysical) {
            throw new IllegalStateException(String.format(
                    "synthetic host address space exhausted: cannot place a block of 0x%x bytes", size));
        }
    }

    /** Block size rounded up to 2 MiB plus a 2-MiB guard gap, so every base stays 2-MiB aligned. */
    private static long reservation(long size) {
        return ((size + RamBlock.CHUNK_SIZE - 1) & -RamBlock.CHUNK_SIZE) + RamBlock.CHUNK_SIZE;
    }

    private void register(RamBlock block) {
        long reserved = reservation(block.size());
        nextVa += reserved;
        nextHostPhysical += reserved;
        blocks.add(block);
        LOG.debug("registered {}", block);
    }

    /**
     * Unregisters a block that no slot maps any more.
     *
     * @throws IllegalArgumentException when {@code block} is not registered with this VM
     * @throws IllegalStateException when a slot still maps part of it
     */
    public void removeRamBlock(RamBlock block) {
        Objects.requireNonNull(block, "block");
        synchronized (lock) {
            requireRegistered(block);
            if (current.map().uses(block)) {
                throw new IllegalStateException("block " + block + " is still mapped; unmap its ranges first");
            }
            blocks.remove(block);
            LOG.debug("removed {}", block);
        }
    }

    /** @return the registered blocks, in registration order (a copy) */
    public List<RamBlock> ramBlocks() {
        synchronized (lock) {
            return List.copyOf(blocks);
        }
    }

    private void requireRegistered(RamBlock block) {
        if (!block.belongsTo(this) || !blocks.contains(block)) {
            throw new IllegalArgumentException("block is not registered with this VM: " + block);
        }
    }

    // ---------------------------------------------------------------- the memory map

    /**
     * Maps or unmaps a guest-physical range with HAXM {@code SET_RAM2} semantics.
     *
     * <ul>
     *   <li>{@code flags} = 0 or {@link #FLAG_ROM}: map {@code [gpa, gpa+size)} onto the host memory
     *       at {@code [va, va+size)}, which must lie inside one registered block; ROM is mapped
     *       read-only (EPT R+X), RAM R/W/X.</li>
     *   <li>{@link #FLAG_STANDALONE} (optionally with ROM): the engine allocates a private,
     *       zero-filled block of {@code size} bytes for the range. A Java engine cannot reach the
     *       caller's memory at {@code va}, so {@code va} is only checked for page alignment; the
     *       block gets its own synthetic va. It is unregistered when no slot maps it any more.</li>
     *   <li>{@link #FLAG_INVALID} alone, with {@code va} = 0: unmap; the range becomes MMIO.</li>
     * </ul>
     * Mapping over an existing mapping replaces the overlapped part (slots are split). Every
     * change publishes a new map and EPT and increments {@link #translationGeneration()}.
     *
     * @param gpa guest-physical start, 4-KiB aligned, below 2^39
     * @param size non-zero multiple of 4096 with {@code gpa + size <= 2^39}
     * @param va synthetic host user-virtual address (see above)
     * @param flags a combination of the {@code FLAG_} constants
     * @throws IllegalArgumentException naming the argument, its value and the limit; the state is then unchanged
     */
    public void setRam(long gpa, long size, long va, int flags) {
        synchronized (lock) {
            checkRange(gpa, size);
            if ((flags & ~VALID_FLAGS) != 0) {
                throw new IllegalArgumentException(String.format(
                        "flags 0x%x has unknown bits 0x%x; allowed: ROM=0x01, STANDALONE=0x40, INVALID=0x80",
                        flags, flags & ~VALID_FLAGS));
            }
            if ((flags & FLAG_INVALID) != 0) {
                if (flags != FLAG_INVALID) {
                    throw new IllegalArgumentException(String.format(
                            "flags: INVALID (0x80) must be used alone, was 0x%x", flags));
                }
                if (va != 0) {
                    throw new IllegalArgumentException(String.format(
                            "va must be 0 when unmapping (flags INVALID), was 0x%x", va));
                }
                publish(gpa, size, null, "unmap");
                return;
            }
            if ((va & PAGE_MASK) != 0) {
                throw new IllegalArgumentException(String.format("va must be 4-KiB aligned, was 0x%x", va));
            }
            boolean readOnly = (flags & FLAG_ROM) != 0;
            RamBlock block;
            long blockOffset;
            if ((flags & FLAG_STANDALONE) != 0) {
                block = allocate(size, true);
                blockOffset = 0;
            } else {
                block = blockContaining(va, size);
                blockOffset = va - block.va();
            }
            publish(gpa, size, new MemorySlot(gpa, size, block, blockOffset, readOnly), readOnly ? "map ROM" : "map RAM");
        }
    }

    /**
     * Maps {@code [gpa, gpa+size)} onto {@code block} starting at {@code offset}.
     *
     * @throws IllegalArgumentException when the block is not registered, {@code offset} is not
     *         4-KiB aligned or the range leaves the block, or as {@link #setRam}
     */
    public void map(long gpa, RamBlock block, long offset, long size, boolean readOnly) {
        Objects.requireNonNull(block, "block");
        synchronized (lock) {
            requireRegistered(block);
            if (offset < 0 || (offset & PAGE_MASK) != 0 || offset >= block.size()) {
                throw new IllegalArgumentException(String.format(
                        "offset must be 4-KiB aligned and below the block size 0x%x, was 0x%x", block.size(), offset));
            }
            if (size > block.size() - offset) {
                throw new IllegalArgumentException(String.format(
                        "size 0x%x at offset 0x%x exceeds the block size 0x%x", size, offset, block.size()));
            }
            setRam(gpa, size, block.va() + offset, readOnly ? FLAG_ROM : 0);
        }
    }

    /** Unmaps {@code [gpa, gpa+size)}: {@code setRam(gpa, size, 0, FLAG_INVALID)}. */
    public void unmap(long gpa, long size) {
        setRam(gpa, size, 0, FLAG_INVALID);
    }

    private static void checkRange(long gpa, long size) {
        if (gpa < 0 || (gpa & PAGE_MASK) != 0 || gpa >= GPA_LIMIT) {
            throw new IllegalArgumentException(String.format(
                    "gpa must be 4-KiB aligned and below 0x%x (MAXPHYADDR %d), was 0x%x", GPA_LIMIT, MAX_PHYS_ADDR_BITS, gpa));
        }
        if (size <= 0 || (size & PAGE_MASK) != 0 || size > GPA_LIMIT - gpa) {
            throw new IllegalArgumentException(String.format(
                    "size must be a non-zero multiple of 4096 with gpa + size <= 0x%x (MAXPHYADDR %d), was 0x%x at gpa 0x%x",
                    GPA_LIMIT, MAX_PHYS_ADDR_BITS, size, gpa));
        }
    }

    private RamBlock blockContaining(long va, long size) {
        if (va != 0) {
            for (RamBlock block : blocks) {
                if (va >= block.va() && va - block.va() < block.size() && size <= block.size() - (va - block.va())) {
                    return block;
                }
            }
        }
        throw new IllegalArgumentException(String.format(
                "va range 0x%x..0x%x (size 0x%x) does not lie inside one registered RAM block", va, va + size - 1, size));
    }

    /** Builds and publishes the new map and EPT, then drops standalone blocks nothing maps any more. */
    private void publish(long gpa, long size, MemorySlot added, String what) {
        MemoryMap map = current.map().replace(gpa, gpa + size, added);
        current = new EptPageTables(map, current.generation() + 1, eptAccessedDirty);
        blocks.removeIf(block -> block.isStandalone() && !map.uses(block));
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} gpa 0x{}+0x{}: {} slots, generation {}", what, Long.toHexString(gpa), Long.toHexString(size),
                    map.slotCount(), current.generation());
        }
    }

    /** @return the slot containing {@code gpa}, or {@code null} when the address is MMIO (lock-free, no allocation) */
    public MemorySlot slotAt(long gpa) {
        return current.map().slotAt(gpa);
    }

    /** @return all slots sorted by guest-physical address (adjacent slots continuing each other are merged) */
    public List<MemorySlot> slots() {
        return current.map().slots();
    }

    /** @return the EPT of the current map (an immutable snapshot) */
    public EptPageTables eptPageTables() {
        return current;
    }

    /** @return a teaching description of the EPT walk of {@code gpa}: see {@link EptPageTables#describe(long)} */
    public String describe(long gpa) {
        return current.describe(gpa);
    }

    /** @return the EPTP value of the current EPT */
    public long eptp() {
        return current.eptp();
    }

    /**
     * @return a counter incremented by every mapping change; cached translations are valid only while it is unchanged
     */
    public long translationGeneration() {
        return current.generation();
    }

    /**
     * Walks the current EPT: see {@link EptWalker#walk}. Lock-free and allocation-free.
     *
     * @param access one of the {@link EptAccess} constants
     */
    public void walk(long gpa, int access, EptWalkResult out) {
        EptWalker.walk(current, gpa, access, out);
    }

    // ---------------------------------------------------------------- host-side bulk access

    /**
     * Copies guest memory into {@code dst[off..off+len)} through the memory map (not the EPT: ROM
     * and RAM read alike). Used to dump memory.
     *
     * @throws IllegalArgumentException when part of {@code [gpa, gpa+len)} is not mapped; nothing is copied then
     */
    public void readBytes(long gpa, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        copy(current.map(), gpa, dst, off, len, false);
    }

    /**
     * Copies {@code src[off..off+len)} into guest memory through the memory map; ROM is writable
     * from the host (that is how firmware images are loaded).
     *
     * @throws IllegalArgumentException when part of {@code [gpa, gpa+len)} is not mapped; nothing is copied then
     */
    public void writeBytes(long gpa, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        copy(current.map(), gpa, src, off, len, true);
    }

    private static void copy(MemoryMap map, long gpa, byte[] array, int off, int len, boolean toGuest) {
        if (gpa < 0 || gpa > GPA_LIMIT - len) {
            throw new IllegalArgumentException(String.format(
                    "gpa 0x%x + length %d must lie below 0x%x (MAXPHYADDR %d)", gpa, len, GPA_LIMIT, MAX_PHYS_ADDR_BITS));
        }
        // First check the whole range so that a failure copies nothing.
        for (long address = gpa; address < gpa + len; ) {
            MemorySlot slot = map.slotAt(address);
            if (slot == null) {
                throw new IllegalArgumentException(String.format(
                        "gpa range 0x%x..0x%x is not entirely mapped: 0x%x is MMIO", gpa, gpa + len - 1, address));
            }
            address = slot.gpaEnd();
        }
        while (len > 0) {
            MemorySlot slot = map.slotAt(gpa);
            int n = (int) Math.min(len, slot.gpaEnd() - gpa);
            if (toGuest) {
                slot.block().write(slot.blockOffsetOf(gpa), array, off, n);
            } else {
                slot.block().read(slot.blockOffsetOf(gpa), array, off, n);
            }
            gpa += n;
            off += n;
            len -= n;
        }
    }
}
