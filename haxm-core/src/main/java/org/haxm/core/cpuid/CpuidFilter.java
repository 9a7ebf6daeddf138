package org.haxm.core.cpuid;

/**
 * What a caller's SET_CPUID entry may change, leaf by leaf: HAXM's per-leaf filters
 * (haxm-api.md §6.7), restricted so that the caller can only <em>narrow</em> the model.
 * An entry for any other leaf (topology 4/0xB, caches, XSAVE 0xD, address sizes 0x80000008,
 * the hypervisor leaf) is ignored: those describe the engine and the VM's VCPUs, not a choice.
 */
enum CpuidFilter {
    /** Leaf 0 EAX: the highest basic leaf may be lowered (not below 1); the vendor stays GenuineIntel. */
    MAX_BASIC(0) {
        @Override void apply(CpuidEntry e, CpuidNarrowing.Builder b) {
            b.maxBasic = clamp(e.eax(), 1, CpuidModel.MAX_BASIC);
        }
    },
    /** Leaf 1: EAX (the family/model/stepping signature) as given; ECX/EDX feature flags narrowed.
     *  EBX (APIC id, topology), HTT and the hypervisor bit stay the engine's. */
    FEATURES(1) {
        @Override void apply(CpuidEntry e, CpuidNarrowing.Builder b) {
            b.signature = e.eax();
            b.narrow(1, e);
        }
    },
    /** Leaf 7 sub-leaf 0: EBX/ECX/EDX feature flags narrowed; EAX (highest sub-leaf) stays 0. */
    STRUCTURED_FEATURES(7) {
        @Override void apply(CpuidEntry e, CpuidNarrowing.Builder b) { b.narrow(7, e); }
    },
    /** Leaf 0x80000000 EAX: the highest extended leaf may be lowered (not below 0x80000000). */
    MAX_EXTENDED(0x8000_0000) {
        @Override void apply(CpuidEntry e, CpuidNarrowing.Builder b) {
            b.maxExtended = clamp(e.eax(), 0x8000_0000, CpuidModel.MAX_EXTENDED);
        }
    },
    /** Leaf 0x80000001: ECX/EDX feature flags narrowed. */
    EXTENDED_FEATURES(0x8000_0001) {
        @Override void apply(CpuidEntry e, CpuidNarrowing.Builder b) { b.narrow(0x8000_0001, e); }
    },
    /** Leaves 0x80000002-4: the brand string, 16 bytes each, as given. */
    BRAND_1(0x8000_0002), BRAND_2(0x8000_0003), BRAND_3(0x8000_0004);

    private final int leaf;

    CpuidFilter(int leaf) { this.leaf = leaf; }

    int leaf() { return leaf; }

    /** Applies entry {@code e} to the narrowing being built (default: a brand-string part). */
    void apply(CpuidEntry e, CpuidNarrowing.Builder b) {
        int at = (leaf - 0x8000_0002) * 4;
        b.brand[at] = e.eax(); b.brand[at + 1] = e.ebx(); b.brand[at + 2] = e.ecx(); b.brand[at + 3] = e.edx();
    }

    /** The filter for an entry, or null when the engine ignores it. Only leaf 7 has sub-leaves
     *  here; for the others the index is ignored, as HAXM returns a single-entry leaf whatever ECX is. */
    static CpuidFilter of(int function, int index) {
        for (CpuidFilter f : values()) {
            if (f.leaf == function && (f != STRUCTURED_FEATURES || index == 0)) return f;
        }
        return null;
    }

    /** {@code v} (unsigned) limited to [lo, hi]. */
    static int clamp(int v, int lo, int hi) {
        if (Integer.compareUnsigned(v, lo) < 0) return lo;
        return Integer.compareUnsigned(v, hi) > 0 ? hi : v;
    }
}
