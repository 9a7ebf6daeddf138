package org.haxm.vmx;

/**
 * Width of a VMCS field, taken from bits 14:13 of its encoding (SDM Vol. 3C §25.11.2,
 * "VMREAD, VMWRITE, and Encodings of VMCS Fields").
 *
 * <p>The order of the constants is the order of the encoding values (0..3), so
 * {@link #fromEncoding(int)} can index {@link #values()} directly.
 */
public enum FieldWidth {
    /** 16-bit field (encoding bits 14:13 = 0). */
    WORD16(0, 16),
    /** 64-bit field (encoding bits 14:13 = 1); has a second "high" encoding for bits 63:32. */
    QWORD64(1, 64),
    /** 32-bit field (encoding bits 14:13 = 2). */
    DWORD32(2, 32),
    /** Natural-width field (encoding bits 14:13 = 3): 64 bits on a processor with Intel 64. */
    NATURAL(3, 64);

    /** Bit position of the width in a field encoding. */
    public static final int SHIFT = 13;

    private static final FieldWidth[] BY_BITS = values();

    private final int encodingBits;
    private final int bitCount;

    FieldWidth(int encodingBits, int bitCount) {
        this.encodingBits = encodingBits;
        this.bitCount = bitCount;
    }

    /** The 2-bit value stored in encoding bits 14:13. */
    public int encodingBits() { return encodingBits; }

    /** Number of value bits the field holds. */
    public int bitCount() { return bitCount; }

    /** All-ones mask of {@link #bitCount()} bits, e.g. 0xFFFF for {@link #WORD16}. */
    public long valueMask() { return bitCount == 64 ? -1L : (1L << bitCount) - 1; }

    /** True if {@code value} (taken as unsigned) fits in this width. */
    public boolean fits(long value) { return (value & ~valueMask()) == 0; }

    /** The width named by bits 14:13 of a field encoding. */
    public static FieldWidth fromEncoding(int encoding) {
        return BY_BITS[(encoding >>> SHIFT) & 3];
    }
}
