package org.haxm.emulator.mmu;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.haxm.emulator.mem.HostPage;

/**
 * A direct-mapped software TLB of 4-KiB translations (SDM Vol. 3A §4.10.2) that folds the two
 * translations of VMX non-root operation into one: guest-linear page → guest-physical frame (the
 * guest's paging) and guest-physical frame → host memory (the EPT, SDM Vol. 3C §29.4's "combined
 * mappings"). One hit is one array index, one masked compare of a {@link #key} (the linear page
 * and the fast-path access bits in one long, so one load decides), and a little-endian load or
 * store on the host array.
 *
 * <p>Each entry has two parts:
 * <ul>
 *   <li>the <b>paging part</b> ({@link #frame}, {@link #perms}): the guest-physical frame and the
 *       rights of the walk that filled it — R/W, U/S and XD combined over all levels (§4.6), the
 *       leaf's dirty flag as the walk saw or set it (§4.8), and whether the leaf is global;</li>
 *   <li>the <b>host part</b> ({@link #array}/{@link #buffer}, {@link #base}, {@link #fast}):
 *       where the frame lives on the host and, as one bit per (access kind, privilege), which
 *       accesses a hit may complete there directly. A bit is set only when both the paging rights
 *       (under the CR0.WP, CR4.SMEP and EFER.NXE the entry was filled under) and the host
 *       resolution permit the access with no further side effect: a write bit needs the guest
 *       leaf already dirty, and an EPT-writable, EPT-dirty host page.</li>
 * </ul>
 * Everything else — a missing bit, a page-crossing access, MMIO — takes the MMU's slow path,
 * which produces the architectural #PF or EPT exit exactly as without the host part.
 *
 * <p>Large pages are cached one 4-KiB piece at a time; {@link #holdsLarge} lets INVLPG fall back
 * to a full flush, since one INVLPG must drop every piece of the large page (§4.10.4.1).
 */
final class Tlb {
    /** Entries; a power of two. 1024 entries cover 4 MiB of distinct pages. */
    static final int SIZE = 1024;
    static final int MASK = SIZE - 1;
    /** Paging rights of an entry ({@link #perms}). */
    static final int WRITABLE = 1, USER = 2, NX = 4, DIRTY = 8, GLOBAL = 16, LARGE = 32;

    /** Bits of {@link #key} below the page number: the fast-path access bits. */
    static final int KEY_SHIFT = 6;
    private static final long FAST_MASK = (1L << KEY_SHIFT) - 1;
    /** An invalid key: its page part (2^58 - 1) is no linear page number (those have at most 52 bits). */
    static final long INVALID = -1L & ~FAST_MASK;

    /** Linear page number {@code << KEY_SHIFT} | fast-path access bits ({@link #accessBit}); {@link #INVALID} when empty. */
    final long[] key = new long[SIZE];
    final long[] frame = new long[SIZE];
    final int[] perms = new int[SIZE];
    final byte[][] array = new byte[SIZE][];
    final ByteBuffer[] buffer = new ByteBuffer[SIZE];
    final int[] base = new int[SIZE];
    /** Some entry came from a large page since the last full flush. */
    boolean holdsLarge;
    /** No entry was filled since the last full flush (VM entry and INVEPT often flush twice in a row). */
    private boolean empty;

    Tlb() { flush(); }

    /**
     * The bit of an access in {@link #fast}: access kind ({@code AccessType} READ 0, WRITE 1,
     * EXECUTE 2) times two, plus one for a user-mode access.
     */
    static int accessBit(int access, boolean supervisor) {
        return 1 << ((access << 1) | (supervisor ? 0 : 1));
    }

    /** Whether {@code key} caches {@code page} with the fast-path access {@code bit}: one AND, one compare. */
    static boolean hit(long key, long page, int bit) {
        return (key & (~FAST_MASK | bit)) == ((page << KEY_SHIFT) | bit);
    }

    /** Slot of a linear page number whose entry is valid, or -1. */
    int lookup(long page) {
        int i = (int) page & MASK;
        return (key[i] >>> KEY_SHIFT) == page ? i : -1;
    }

    /** Fills the paging part of the slot of {@code page} and empties its host part. */
    int fill(long page, long frameAddress, int permissions) {
        int i = (int) page & MASK;
        key[i] = page << KEY_SHIFT;
        frame[i] = frameAddress;
        perms[i] = permissions;
        clearHost(i);
        if ((permissions & LARGE) != 0) holdsLarge = true;
        empty = false;
        return i;
    }

    /** Gives slot {@code i} the host location in {@code host} and the fast accesses {@code fastBits}. */
    void setHost(int i, HostPage host, int fastBits) {
        array[i] = host.array;
        buffer[i] = host.buffer;
        base[i] = host.base;
        key[i] = (key[i] & ~FAST_MASK) | fastBits;
    }

    private void clearHost(int i) {
        key[i] &= ~FAST_MASK;
        array[i] = null;
        buffer[i] = null;
    }

    /** Drops every entry, global ones included. */
    void flush() {
        if (empty) return;
        Arrays.fill(key, INVALID);
        Arrays.fill(array, null);
        Arrays.fill(buffer, null);
        holdsLarge = false;
        empty = true;
    }

    /** Drops every entry that is not global (MOV to CR3 with CR4.PGE = 1, §4.10.4.1). */
    void flushNonGlobal() {
        for (int i = 0; i < SIZE; i++) {
            if ((perms[i] & GLOBAL) == 0 && key[i] != INVALID) {
                key[i] = INVALID;
                array[i] = null;
                buffer[i] = null;
            }
        }
    }

    /** Drops the entry of one linear page, if cached. */
    void invalidate(long page) {
        int i = (int) page & MASK;
        if ((key[i] >>> KEY_SHIFT) == page) {
            key[i] = INVALID;
            array[i] = null;
            buffer[i] = null;
        }
    }
}
