package org.haxm.examples.setup;

/**
 * A half-open range of guest-physical addresses {@code [start, end)}.
 *
 * @param start first address
 * @param end one past the last address (greater than start)
 */
public record AddressRange(long start, long end) {

    /** Validates the bounds. */
    public AddressRange {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException(String.format("address range [0x%x, 0x%x) must be non-empty and non-negative", start, end));
        }
    }

    /** The range {@code [start, start + length)}. */
    public static AddressRange ofLength(long start, long length) {
        return new AddressRange(start, start + length);
    }

    /** Number of bytes in the range. */
    public long length() {
        return end - start;
    }

    /** Whether the two ranges share at least one address. */
    public boolean overlaps(AddressRange other) {
        return start < other.end && other.start < end;
    }

    /** Whether {@code other} lies entirely inside this range. */
    public boolean contains(AddressRange other) {
        return other.start >= start && other.end <= end;
    }

    /** Inclusive notation, e.g. {@code 0x1000..0xffff}. */
    @Override
    public String toString() {
        return String.format("0x%x..0x%x", start, end - 1);
    }
}
