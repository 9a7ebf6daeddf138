package org.haxm.emulator.mmu;

import java.util.Arrays;

/**
 * A small direct-mapped software TLB of 4-KiB translations (SDM Vol. 3A §4.10.2). Large pages are
 * cached one 4-KiB piece at a time, so invalidating "everything" is always a correct (if blunt)
 * answer to INVLPG. Permissions are cached as the combined bits of the walk and checked on every
 * hit, so a hit never grants more than the walk that filled it.
 */
final class Tlb {
    static final int SIZE = 256;
    /** Cached permission bits. */
    static final int WRITABLE = 1, USER = 2, NX = 4, DIRTY = 8;

    private final long[] tag = new long[SIZE];
    private final long[] frame = new long[SIZE];
    private final int[] perms = new int[SIZE];

    Tlb() { flush(); }

    /** Slot of a linear page number whose entry is valid, or -1. */
    int lookup(long page) {
        int i = (int) page & (SIZE - 1);
        return tag[i] == page ? i : -1;
    }

    long frame(int slot) { return frame[slot]; }
    int perms(int slot) { return perms[slot]; }

    void fill(long page, long frameAddress, int permissions) {
        int i = (int) page & (SIZE - 1);
        tag[i] = page;
        frame[i] = frameAddress;
        perms[i] = permissions;
    }

    void flush() { Arrays.fill(tag, -1L); }
}
