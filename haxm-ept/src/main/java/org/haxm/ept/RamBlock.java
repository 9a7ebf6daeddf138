package org.haxm.ept;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A block of host memory that backs guest RAM (HAXM's "RAM block", haxm-api.md §9.1).
 *
 * <p>The block is split into 2-MiB {@linkplain #CHUNK_SIZE chunks}, each a little-endian
 * {@link ByteBuffer} view, so that any guest access — which never crosses a 4-KiB page — is one
 * chunk plus an int offset. x86 is little-endian, hence the byte order of the views.
 *
 * <p>Two sources of memory:
 * <ul>
 *   <li><b>caller-provided</b> ({@link GuestPhysicalMemory#addRamBlock(ByteBuffer)}): the block is
 *       the bytes between the buffer's position and limit <em>at registration time</em>, used in
 *       place (writes by the guest are visible in the caller's buffer and vice versa). Later
 *       changes of the caller's position/limit do not affect the block. Heap and direct buffers
 *       are accepted; read-only buffers are rejected because guest RAM must be writable
 *       (read-only guest memory is a ROM <em>mapping</em>, not a property of the block).</li>
 *   <li><b>engine-allocated</b> ({@link GuestPhysicalMemory#allocateRamBlock(long)}): chunks are
 *       heap buffers allocated <em>lazily</em>, on first access through {@link #chunk(int)} (an
 *       EPT walk or a host write), so a 64-MiB or a 16-GiB block costs only its touched chunks.
 *       Host reads of untouched chunks return zeros without allocating. Allocation is race-free:
 *       two VCPUs touching the same chunk get the same buffer.</li>
 * </ul>
 *
 * <p>Each block has a synthetic host "user virtual address" ({@link #va()}), by which HAXM-style
 * {@code SET_RAM} calls name host memory, and a synthetic host-physical base
 * ({@link #hostPhysicalBase()}), which EPT leaf entries point into. Both are assigned by
 * {@link GuestPhysicalMemory}, 2-MiB aligned, and never reused within one VM.
 */
public final class RamBlock {

    /** Page size; block sizes and offsets are multiples of it. */
    public static final int PAGE_SIZE = 4096;
    /** Chunk size: 2 MiB, the unit of host allocation and of EPT large pages. */
    public static final int CHUNK_SIZE = 2 * 1024 * 1024;
    /** log2({@link #CHUNK_SIZE}). */
    public static final int CHUNK_SHIFT = 21;
    /** Largest engine-allocated block: the whole guest-physical space (2^39 bytes). */
    public static final long MAX_ALLOCATED_SIZE = GuestPhysicalMemory.GPA_LIMIT;

    private final GuestPhysicalMemory owner;
    private final long size;
    private final long va;
    private final long hostPhysicalBase;
    private final boolean standalone;
    /** Non-null for caller-provided blocks: the slice covering exactly the block. */
    private final ByteBuffer backing;
    private final AtomicReferenceArray<ByteBuffer> chunks;

    private RamBlock(GuestPhysicalMemory owner, long size, long va, long hostPhysicalBase,
                     boolean standalone, ByteBuffer backing) {
        this.owner = owner;
        this.size = size;
        this.va = va;
        this.hostPhysicalBase = hostPhysicalBase;
        this.standalone = standalone;
        this.backing = backing;
        this.chunks = new AtomicReferenceArray<>((int) ((size + CHUNK_SIZE - 1) >>> CHUNK_SHIFT));
        if (backing != null) {
            // Slices of a caller buffer cost nothing: create them eagerly.
            for (int i = 0; i < chunks.length(); i++) {
                chunks.set(i, backing.slice(i * CHUNK_SIZE, chunkLength(i)).order(ByteOrder.LITTLE_ENDIAN));
            }
        }
    }

    /** Wraps the caller's buffer (between position and limit); see the class comment. */
    static RamBlock wrap(GuestPhysicalMemory owner, ByteBuffer buffer, long va, long hostPhysicalBase) {
        Objects.requireNonNull(buffer, "buffer");
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("buffer must be writable: guest RAM cannot live in a read-only ByteBuffer");
        }
        checkSize("buffer.remaining()", buffer.remaining(), Integer.MAX_VALUE);
        ByteBuffer slice = buffer.slice(buffer.position(), buffer.remaining());
        return new RamBlock(owner, slice.capacity(), va, hostPhysicalBase, false, slice);
    }

    /** Creates an engine-allocated, lazily backed block. */
    static RamBlock allocate(GuestPhysicalMemory owner, long size, long va, long hostPhysicalBase, boolean standalone) {
        checkSize("size", size, MAX_ALLOCATED_SIZE);
        return new RamBlock(owner, size, va, hostPhysicalBase, standalone, null);
    }

    /**
     * @throws IllegalArgumentException unless {@code size} is a non-zero multiple of 4096 not above {@code limit}
     */
    static void checkSize(String argument, long size, long limit) {
        if (size <= 0 || size % PAGE_SIZE != 0 || size > limit) {
            throw new IllegalArgumentException(String.format(
                    "%s must be a non-zero multiple of %d and at most 0x%x, was 0x%x (%d)",
                    argument, PAGE_SIZE, limit, size, size));
        }
    }

    /** @return the synthetic host user-virtual address of byte 0 of this block (HAXM {@code va}) */
    public long va() {
        return va;
    }

    /** @return the size in bytes, a non-zero multiple of 4096 */
    public long size() {
        return size;
    }

    /** @return the synthetic host-physical address of byte 0, 2-MiB aligned */
    public long hostPhysicalBase() {
        return hostPhysicalBase;
    }

    /** @return whether the engine created this block for a {@code SET_RAM} STANDALONE mapping (it goes away with the mapping) */
    public boolean isStandalone() {
        return standalone;
    }

    /** @return whether the engine allocates the memory (lazily) rather than using a caller buffer */
    public boolean isEngineAllocated() {
        return backing == null;
    }

    /** @return whether {@code memory} is the VM this block belongs to */
    boolean belongsTo(GuestPhysicalMemory memory) {
        return owner == memory;
    }

    /** @return the number of 2-MiB chunks (the last one may be shorter) */
    public int chunkCount() {
        return chunks.length();
    }

    /** @return the number of chunks that currently have memory (all of them for caller-provided blocks) */
    public int allocatedChunkCount() {
        int count = 0;
        for (int i = 0; i < chunks.length(); i++) {
            if (chunks.get(i) != null) {
                count++;
            }
        }
        return count;
    }

    /**
     * Returns chunk {@code index}, allocating it (zero-filled) on first use for engine-allocated blocks.
     * The view is shared: use only absolute accessors.
     *
     * @throws IndexOutOfBoundsException when {@code index} is not in {@code [0, chunkCount())}
     */
    public ByteBuffer chunk(int index) {
        ByteBuffer chunk = chunks.get(index);
        return chunk != null ? chunk : allocateChunk(index);
    }

    private ByteBuffer allocateChunk(int index) {
        ByteBuffer fresh = ByteBuffer.allocate(chunkLength(index)).order(ByteOrder.LITTLE_ENDIAN);
        // Another VCPU may have won the race; everybody must use the winner's buffer.
        return chunks.compareAndSet(index, null, fresh) ? fresh : chunks.get(index);
    }

    private int chunkLength(int index) {
        return (int) Math.min(CHUNK_SIZE, size - ((long) index << CHUNK_SHIFT));
    }

    /** @return the chunk holding byte {@code offset} of the block */
    public ByteBuffer chunkFor(long offset) {
        return chunk((int) (offset >>> CHUNK_SHIFT));
    }

    /** @return the index inside its chunk of byte {@code offset} of the block */
    public static int offsetInChunk(long offset) {
        return (int) (offset & (CHUNK_SIZE - 1));
    }

    /**
     * Copies {@code len} bytes starting at block offset {@code offset} into {@code dst[off..]}.
     * Untouched chunks of an engine-allocated block read as zeros and stay unallocated.
     *
     * @throws IllegalArgumentException when the range is outside the block
     */
    public void read(long offset, byte[] dst, int off, int len) {
        checkRange(offset, len, dst.length, off);
        while (len > 0) {
            int index = (int) (offset >>> CHUNK_SHIFT);
            int inChunk = offsetInChunk(offset);
            int n = Math.min(len, chunkLength(index) - inChunk);
            ByteBuffer chunk = chunks.get(index);
            if (chunk == null) {
                java.util.Arrays.fill(dst, off, off + n, (byte) 0);
            } else {
                chunk.get(inChunk, dst, off, n);
            }
            offset += n;
            off += n;
            len -= n;
        }
    }

    /**
     * Copies {@code src[off..off+len)} into the block at offset {@code offset}.
     *
     * @throws IllegalArgumentException when the range is outside the block
     */
    public void write(long offset, byte[] src, int off, int len) {
        checkRange(offset, len, src.length, off);
        while (len > 0) {
            int index = (int) (offset >>> CHUNK_SHIFT);
            int inChunk = offsetInChunk(offset);
            int n = Math.min(len, chunkLength(index) - inChunk);
            chunk(index).put(inChunk, src, off, n);
            offset += n;
            off += n;
            len -= n;
        }
    }

    private void checkRange(long offset, int len, int arrayLength, int off) {
        Objects.checkFromIndexSize(off, len, arrayLength);
        if (offset < 0 || offset > size - len) {
            throw new IllegalArgumentException(String.format(
                    "offset 0x%x + length %d is outside the block of size 0x%x", offset, len, size));
        }
    }

    @Override
    public String toString() {
        return String.format("RamBlock[va=0x%x, size=0x%x, hpa=0x%x%s%s]", va, size, hostPhysicalBase,
                isEngineAllocated() ? ", allocated" : ", caller buffer", standalone ? ", standalone" : "");
    }
}
