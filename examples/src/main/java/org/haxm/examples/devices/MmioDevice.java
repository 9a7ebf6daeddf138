package org.haxm.examples.devices;

/**
 * A device reached through guest-physical addresses that have no RAM behind them (memory-mapped
 * I/O). The engine reports each such access as a FAST_MMIO exit; the {@link MmioBus} routes it.
 */
public interface MmioDevice {

    /**
     * Handles a read.
     *
     * @param gpa the absolute guest-physical address
     * @param size access width in bytes: 1, 2, 4 or 8
     * @return the value; only the low {@code size} bytes are used
     */
    long read(long gpa, int size);

    /**
     * Handles a write.
     *
     * @param gpa the absolute guest-physical address
     * @param size access width in bytes: 1, 2, 4 or 8
     * @param value the value, already masked to {@code size} bytes
     */
    void write(long gpa, int size, long value);
}
