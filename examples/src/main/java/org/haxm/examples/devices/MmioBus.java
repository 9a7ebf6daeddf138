package org.haxm.examples.devices;

import java.util.ArrayList;
import java.util.List;

/**
 * Guest-physical MMIO windows: maps non-overlapping address ranges to {@link MmioDevice}s.
 *
 * <p>An address no device claims reads all ones and ignores writes, like an unclaimed PCI/ISA
 * cycle ending in master abort. Devices are few, so lookup is a linear scan over an array
 * (no allocation per access).
 */
public final class MmioBus {

    private record Window(long base, long size, MmioDevice device) {
        boolean contains(long gpa) {
            return Long.compareUnsigned(gpa - base, size) < 0;
        }
    }

    private final List<Window> windows = new ArrayList<>();
    private Window[] lookup = new Window[0];

    /**
     * Maps {@code [base, base + size)} to {@code device}.
     *
     * @throws IllegalArgumentException if size is not positive, the range wraps, or it overlaps a window
     */
    public void register(long base, long size, MmioDevice device) {
        if (device == null) {
            throw new IllegalArgumentException("device must not be null");
        }
        if (size <= 0 || base < 0 || base + size < base) {
            throw new IllegalArgumentException(String.format("MMIO window base 0x%x size 0x%x must be non-empty and not wrap", base, size));
        }
        for (Window w : windows) {
            if (base < w.base() + w.size() && w.base() < base + size) {
                throw new IllegalArgumentException(String.format(
                        "MMIO window 0x%x..0x%x overlaps 0x%x..0x%x already mapped to %s",
                        base, base + size - 1, w.base(), w.base() + w.size() - 1, w.device()));
            }
        }
        windows.add(new Window(base, size, device));
        lookup = windows.toArray(new Window[0]);
    }

    /** Performs a read; unclaimed addresses read all ones. */
    public long read(long gpa, int size) {
        checkSize(size);
        for (Window w : lookup) {
            if (w.contains(gpa)) {
                return mask(w.device().read(gpa, size), size);
            }
        }
        return mask(-1L, size);
    }

    /** Performs a write; writes to unclaimed addresses are ignored. */
    public void write(long gpa, int size, long value) {
        checkSize(size);
        for (Window w : lookup) {
            if (w.contains(gpa)) {
                w.device().write(gpa, size, mask(value, size));
                return;
            }
        }
    }

    /** Keeps the low {@code size} bytes of {@code value}. */
    public static long mask(long value, int size) {
        return size == 8 ? value : value & ((1L << (size * 8)) - 1);
    }

    private static void checkSize(int size) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("MMIO size " + size + " must be 1, 2, 4 or 8");
        }
    }
}
