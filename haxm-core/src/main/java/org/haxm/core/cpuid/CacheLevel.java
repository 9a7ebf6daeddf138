package org.haxm.core.cpuid;

/**
 * The caches the model reports in the deterministic cache parameters leaf 4 (SDM Vol. 2A, leaf
 * 04H) and, for L2, in leaf 0x80000006. They are sizes of a recent Intel client core; the engine
 * has no caches, so nothing depends on them except software that sizes its buffers.
 */
enum CacheLevel {
    L1D(1, 1, 12, 64), L1I(2, 1, 8, 64), L2(3, 2, 16, 1024), L3(3, 3, 16, 8192);

    /** Line size in bytes, the same at every level (also leaf 1 EBX[15:8] * 8). */
    static final int LINE = 64;

    private final int type, level, ways, sets;

    CacheLevel(int type, int level, int ways, int sets) {
        this.type = type;
        this.level = level;
        this.ways = ways;
        this.sets = sets;
    }

    /** Size in bytes: ways * partitions (1) * line size * sets. */
    int sizeBytes() { return ways * LINE * sets; }

    /**
     * Leaf 4 for this cache into {@code out}. EAX[31:26] is the addressable core ids - 1;
     * EAX[25:14] the addressable ids of logical processors sharing the cache - 1: the L1s and L2
     * belong to one core (one thread), L3 is shared by the package.
     */
    void deterministicParameters(Topology t, int[] out) {
        int sharing = this == L3 ? t.addressableIds() - 1 : 0;
        out[0] = type | (level << 5) | (1 << 8) /* self-initializing */ | (sharing << 14) | ((t.addressableIds() - 1) << 26);
        out[1] = (LINE - 1) | (0 /* partitions - 1 */ << 12) | ((ways - 1) << 22);
        out[2] = sets - 1;
        out[3] = 0;
    }

    /** Leaf 0x80000006 ECX for L2: size in KiB [31:16], associativity code [15:12], line size [7:0]. */
    int extendedL2Ecx() {
        int code = switch (ways) { case 1 -> 1; case 2 -> 2; case 4 -> 4; case 8 -> 6; case 16 -> 8; case 32 -> 0xA;
            default -> throw new IllegalStateException("no leaf 0x80000006 code for " + ways + " ways"); };
        return ((sizeBytes() / 1024) << 16) | (code << 12) | LINE;
    }
}
