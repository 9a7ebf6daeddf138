package org.haxm.examples.devices;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small MMIO device the {@code mmio-long} demo guest talks to. Its registers:
 * <pre>
 *  +0  write: the low byte is console output          read: 0
 *  +4  read:  the constant {@link #MAGIC} (0xC0FFEE42) write: ignored
 *  +8  read:  {@link #COUNTER_VALUE} (10)              write: recorded and logged
 * </pre>
 * Together they exercise the three things a guest does with MMIO: store, load, and a
 * read-modify-write instruction (which the engine splits into a read exit and a write exit).
 */
public final class DemoMmioDevice implements MmioDevice {

    private static final Logger LOG = LoggerFactory.getLogger(DemoMmioDevice.class);

    /** Where the demo guest expects the window. */
    public static final long DEFAULT_BASE = 0xD000_0000L;
    /** Size of the window (one page). */
    public static final long WINDOW_SIZE = 0x1000;
    /** The value a read of +4 returns. */
    public static final long MAGIC = 0xC0FFEE42L;
    /** The value a read of +8 returns. */
    public static final long COUNTER_VALUE = 10;

    static final int CONSOLE = 0, MAGIC_REG = 4, COUNTER = 8;

    private final long base;
    private final OutputStream console;
    private final List<String> writeLog = new ArrayList<>();

    /**
     * @param base guest-physical base of the window
     * @param console where bytes written to +0 go (not closed by this device)
     */
    public DemoMmioDevice(long base, OutputStream console) {
        if (console == null) {
            throw new IllegalArgumentException("console must not be null");
        }
        this.base = base;
        this.console = console;
    }

    /** The window base. */
    public long base() {
        return base;
    }

    @Override
    public long read(long gpa, int size) {
        long offset = gpa - base;
        if (offset == MAGIC_REG) {
            return MAGIC;
        }
        if (offset == COUNTER) {
            return COUNTER_VALUE;
        }
        return 0;
    }

    @Override
    public void write(long gpa, int size, long value) {
        long offset = gpa - base;
        if (offset == CONSOLE) {
            try {
                console.write((int) (value & 0xFF));
            } catch (IOException e) {
                throw new UncheckedIOException("MMIO console output failed", e);
            }
        } else if (offset == COUNTER) {
            String entry = "mmio[+8] <- " + value;
            writeLog.add(entry);
            LOG.info(entry);
        }
    }

    /** The recorded writes to +8, each as {@code "mmio[+8] <- N"} (decimal), oldest first. */
    public List<String> counterWrites() {
        return Collections.unmodifiableList(writeLog);
    }

    @Override
    public String toString() {
        return String.format("DemoMmioDevice@0x%x", base);
    }
}
