package org.haxm.emulator.mem;

import java.nio.ByteBuffer;

/**
 * Where one 4-KiB guest-physical page lives in host memory, as {@link PhysicalMemory#resolveHost}
 * reports it: either a {@code byte[]} (heap RAM, the fast case) or a little-endian
 * {@link ByteBuffer} view (direct RAM supplied by an API caller), plus the index of the page's
 * first byte in it and the accesses the page allows without leaving the fast path.
 *
 * <p>A mutable holder filled in place, so that resolving a page (a TLB miss) allocates nothing.
 * The buffer is shared with other VCPU threads: use only absolute accessors ({@link HostAccess}).
 */
public final class HostPage {
    /** May be read (the EPT R bit, SDM Vol. 3C §29.3.2). */
    public static final int READ = 1;
    /** May be written: the EPT W bit, and, with EPT accessed/dirty flags on, the leaf already dirty. */
    public static final int WRITE = 2;
    /** Instructions may be fetched from it (the EPT X bit). */
    public static final int EXECUTE = 4;

    /** The heap array holding the page, or null when only {@link #buffer} can reach it. */
    public byte[] array;
    /** The little-endian buffer holding the page when {@link #array} is null. */
    public ByteBuffer buffer;
    /** Index of the page's byte 0 in {@link #array} (or in {@link #buffer}). */
    public int base;
    /** Accesses allowed on the fast path: a combination of {@link #READ}, {@link #WRITE}, {@link #EXECUTE}. */
    public int permissions;

    /**
     * Points this holder at {@code page} bytes starting at {@code index} of {@code buf}, using the
     * buffer's backing array when it has one (a heap buffer), so accesses become array accesses.
     */
    public void set(ByteBuffer buf, int index, int allowed) {
        if (buf.hasArray()) {
            array = buf.array();
            buffer = null;
            base = buf.arrayOffset() + index;
        } else {
            array = null;
            buffer = buf;
            base = index;
        }
        permissions = allowed;
    }

    /** Points this holder at {@code index} of a heap array. */
    public void set(byte[] bytes, int index, int allowed) {
        array = bytes;
        buffer = null;
        base = index;
        permissions = allowed;
    }
}
