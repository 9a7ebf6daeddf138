package org.haxm.emulator.mem;

/**
 * Knows which 4 KiB guest-physical pages hold code that a decode cache has cached, and gives each
 * such page a version that every write to it changes.
 *
 * <p>Why: a decode cache keyed by physical address is only invisible to the guest if it forgets
 * an instruction exactly when its bytes change — self-modifying code, cross-modifying code from
 * another VCPU (SDM Vol. 3A §8.1.3) and writes by the host through the API. One tracker serves a
 * whole VM; every path that writes guest-physical memory calls {@link #noteWrite}. The check on
 * that path is one array load when the page holds no cached code.
 *
 * <p>Each page's word keeps the version in its upper bits and a "holds cached code" flag in bit 0.
 * {@link #markCode} sets the flag and returns the word; a write to a flagged page clears the flag
 * and moves the word on, so any cached decode that remembered the old word no longer matches.
 * Pages are kept in 4 MiB chunks allocated on first use by {@link #markCode} (never on a write),
 * covering the 36-bit guest-physical space the MMU allows.
 *
 * <p>Threads: cross-modifying code needs no stronger ordering than plain stores (the SDM asks the
 * executing processor to serialize after it observes the modification), so the words are plain
 * ints; the global {@link #codeWrites()} counter is volatile so a running VCPU sees it promptly.
 */
public final class CodePageTracker {
    private static final int PAGE_SHIFT = 12;
    private static final int CHUNK_SHIFT = 10; // 1024 pages = 4 MiB per chunk
    private static final int CHUNK_PAGES = 1 << CHUNK_SHIFT;
    private static final int PHYS_BITS = 36;

    private final int[][] chunks = new int[1 << (PHYS_BITS - PAGE_SHIFT - CHUNK_SHIFT)][];
    private volatile long codeWrites;

    /**
     * Notes a write of {@code length} bytes (1..4096) at guest-physical {@code gpa}; invalidates
     * the cached code of every page it touches. Writers: guest stores, host writes, device DMA.
     */
    public void noteWrite(long gpa, int length) {
        touch(gpa);
        long last = gpa + length - 1;
        if (((last ^ gpa) >>> PAGE_SHIFT) != 0) touch(last);
    }

    /** Notes a write that may span many pages (host copies into guest RAM). */
    public void noteWriteRange(long gpa, long length) {
        if (length <= 0) return;
        long first = gpa >>> PAGE_SHIFT, last = (gpa + length - 1) >>> PAGE_SHIFT;
        for (long p = first; p <= last; p++) touch(p << PAGE_SHIFT);
    }

    private void touch(long gpa) {
        long page = gpa >>> PAGE_SHIFT;
        int chunk = (int) (page >>> CHUNK_SHIFT);
        if (chunk >= chunks.length) return;
        int[] c = chunks[chunk];
        if (c == null) return;
        int i = (int) (page & (CHUNK_PAGES - 1));
        int v = c[i];
        if ((v & 1) != 0) {
            c[i] = v + 1; // clears the flag and moves the version on
            codeWrites++;
        }
    }

    /**
     * Marks the page of {@code gpa} as holding cached code and returns its word; a cached decode
     * from this page is valid while {@link #version} still returns the same word.
     */
    public int markCode(long gpa) {
        long page = gpa >>> PAGE_SHIFT;
        int chunk = (int) (page >>> CHUNK_SHIFT);
        if (chunk >= chunks.length) throw new IllegalArgumentException("gpa beyond 2^" + PHYS_BITS + ": 0x" + Long.toHexString(gpa));
        int[] c = chunks[chunk];
        if (c == null) chunks[chunk] = c = new int[CHUNK_PAGES];
        int i = (int) (page & (CHUNK_PAGES - 1));
        int v = c[i];
        // Write only to set the flag: rewriting an already-flagged word could undo a concurrent
        // writer's version bump on another thread (a lost update would keep stale code valid).
        if ((v & 1) == 0) c[i] = v |= 1;
        return v;
    }

    /** The page's current word (see {@link #markCode}); 0 for a page never marked. */
    public int version(long gpa) {
        long page = gpa >>> PAGE_SHIFT;
        int chunk = (int) (page >>> CHUNK_SHIFT);
        if (chunk >= chunks.length) return 0;
        int[] c = chunks[chunk];
        return c == null ? 0 : c[(int) (page & (CHUNK_PAGES - 1))];
    }

    /** How many writes so far hit a page with cached code (lets a running block notice SMC cheaply). */
    public long codeWrites() { return codeWrites; }
}
