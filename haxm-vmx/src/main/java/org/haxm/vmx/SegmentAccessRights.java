package org.haxm.vmx;

/**
 * Bit layout of the guest segment access-rights fields (SDM Vol. 3C §25.4.1, Table 25-2): the
 * descriptor's bits 40-55 without the limit[19:16] nibble, plus an "unusable" flag in bit 16.
 */
public final class SegmentAccessRights {
    private SegmentAccessRights() {}

    /** Bits 3:0: segment type. */
    public static final int TYPE_MASK = 0xF;
    /** Bit 4: descriptor type S (0 = system, 1 = code or data). */
    public static final int S = 1 << 4;
    /** Bits 6:5: descriptor privilege level. */
    public static final int DPL_SHIFT = 5;
    /** Bit 7: segment present. */
    public static final int P = 1 << 7;
    /** Bit 12: AVL, available for system software. */
    public static final int AVL = 1 << 12;
    /** Bit 13: L, 64-bit code segment (CS only). */
    public static final int L = 1 << 13;
    /** Bit 14: D/B, default operation size / big. */
    public static final int DB = 1 << 14;
    /** Bit 15: G, granularity (limit in 4-KByte units). */
    public static final int G = 1 << 15;
    /** Bit 16: segment unusable (e.g. loaded with a null selector). */
    public static final int UNUSABLE = 1 << 16;
    /** Bits 11:8 and 31:17: reserved, must be zero for a usable segment at VM entry. */
    public static final int RESERVED = 0xFFFE_0F00;

    /** Type-field bit 0: accessed. */
    public static final int TYPE_ACCESSED = 1;
    /** Type-field bit 1: readable (code) / writable (data). */
    public static final int TYPE_READ_WRITE = 2;
    /** Type-field bit 2: conforming (code) / expand-down (data). */
    public static final int TYPE_CONFORMING = 4;
    /** Type-field bit 3: code segment. */
    public static final int TYPE_CODE = 8;

    /** The type field, bits 3:0. */
    public static int type(long ar) { return (int) ar & TYPE_MASK; }

    /** The DPL, bits 6:5. */
    public static int dpl(long ar) { return ((int) ar >>> DPL_SHIFT) & 3; }

    /** True if bit 16 marks the segment unusable. */
    public static boolean unusable(long ar) { return (ar & UNUSABLE) != 0; }

    /** True if {@code bit} (one of the single-bit constants) is set in {@code ar}. */
    public static boolean has(long ar, int bit) { return (ar & bit) != 0; }
}
