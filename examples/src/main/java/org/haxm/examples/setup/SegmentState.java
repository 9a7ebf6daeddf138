package org.haxm.examples.setup;

/**
 * A segment register as VMX holds it in the VMCS guest-state area: the visible selector plus the
 * hidden descriptor cache (SDM Vol. 3C §25.4.1).
 *
 * @param selector the 16-bit selector
 * @param base the segment base
 * @param limit the byte-granular limit (already scaled when G = 1, e.g. 0xFFFFFFFF)
 * @param accessRights VMX access-rights format: type[3:0] S[4] DPL[6:5] P[7] AVL[12] L[13] D/B[14] G[15] unusable[16]
 */
public record SegmentState(int selector, long base, int limit, int accessRights) {

    /** The "unusable" bit of the VMX access-rights field (SDM Vol. 3C §25.4.1). */
    public static final int UNUSABLE = 1 << 16;

    /** A null/unusable segment, as LDTR is when no LDT is loaded. */
    public static final SegmentState NONE = new SegmentState(0, 0, 0, UNUSABLE);
}
