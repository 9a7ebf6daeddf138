package org.haxm.examples.devices;

import java.util.ArrayList;
import java.util.List;

/**
 * The I/O port address space: maps non-overlapping port ranges to {@link PortDevice}s.
 *
 * <p>A port with no device behaves like an empty PC ISA bus: nothing drives the data lines, the
 * pull-ups make every bit read as 1, and writes simply vanish. That is what real firmware probes
 * rely on ("reads 0xFF means no device").
 *
 * <p>Lookup uses a 64 Ki-entry table (one slot per port) so that dispatching an access never
 * allocates and costs one array read, whatever the number of devices.
 */
public final class PortBus {

    /** The size of the x86 I/O address space (SDM Vol. 1 §19.2: 64 Ki 8-bit ports). */
    public static final int PORT_SPACE = 0x10000;

    private final PortDevice[] byPort = new PortDevice[PORT_SPACE];
    private final List<Mapping> mappings = new ArrayList<>();

    /** One registered range, kept for overlap messages and {@link #toString()}. */
    private record Mapping(int first, int count, PortDevice device) {
        int last() {
            return first + count - 1;
        }
    }

    /**
     * Maps {@code count} ports starting at {@code first} to {@code device}.
     *
     * @throws IllegalArgumentException if the range leaves the I/O space or overlaps a mapped range
     */
    public void register(int first, int count, PortDevice device) {
        if (device == null) {
            throw new IllegalArgumentException("device must not be null");
        }
        if (first < 0 || first >= PORT_SPACE) {
            throw new IllegalArgumentException("first port 0x" + Integer.toHexString(first)
                    + " outside the I/O space 0x0..0xffff");
        }
        if (count < 1 || first + count > PORT_SPACE) {
            throw new IllegalArgumentException("port count " + count + " from 0x" + Integer.toHexString(first)
                    + " must be >= 1 and end at or below 0xffff");
        }
        for (Mapping m : mappings) {
            if (first <= m.last() && m.first() <= first + count - 1) {
                throw new IllegalArgumentException(String.format(
                        "ports 0x%x..0x%x overlap ports 0x%x..0x%x already mapped to %s",
                        first, first + count - 1, m.first(), m.last(), m.device()));
            }
        }
        mappings.add(new Mapping(first, count, device));
        for (int p = first; p < first + count; p++) {
            byPort[p] = device;
        }
    }

    /** Performs an IN; an unmapped port reads all ones. */
    public int read(int port, int size) {
        checkAccess(port, size);
        PortDevice d = byPort[port];
        return d == null ? mask(-1, size) : mask(d.read(port, size), size);
    }

    /** Performs an OUT; writes to an unmapped port are ignored. */
    public void write(int port, int size, int value) {
        checkAccess(port, size);
        PortDevice d = byPort[port];
        if (d != null) {
            d.write(port, size, mask(value, size));
        }
    }

    /** The device at {@code port}, or {@code null} if none. */
    public PortDevice deviceAt(int port) {
        checkAccess(port, 1);
        return byPort[port];
    }

    static int mask(int value, int size) {
        return size == 4 ? value : value & ((1 << (size * 8)) - 1);
    }

    private static void checkAccess(int port, int size) {
        if (port < 0 || port >= PORT_SPACE) {
            throw new IllegalArgumentException("port 0x" + Integer.toHexString(port) + " outside 0x0..0xffff");
        }
        if (size != 1 && size != 2 && size != 4) {
            throw new IllegalArgumentException("I/O size " + size + " must be 1, 2 or 4");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PortBus[");
        for (Mapping m : mappings) {
            sb.append(String.format("0x%x..0x%x=%s ", m.first(), m.last(), m.device()));
        }
        return sb.toString().trim() + "]";
    }
}
