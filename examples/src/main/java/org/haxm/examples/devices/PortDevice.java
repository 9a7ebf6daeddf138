package org.haxm.examples.devices;

/**
 * A device reached through the x86 I/O address space (IN/OUT/INS/OUTS).
 *
 * <p>Devices are bus-agnostic state machines: they neither know how the VCPU exited nor how the
 * access reached them, only which port was touched with which width (the vm-superio layout). The
 * {@link PortBus} guarantees {@code port} lies inside the range the device was registered for and
 * that {@code size} is 1, 2 or 4 (the only I/O widths, SDM Vol. 1 §19.2 / Vol. 2B "IN", "OUT").
 */
public interface PortDevice {

    /**
     * Handles an IN from {@code port}.
     *
     * @param port the absolute port number (0..0xFFFF)
     * @param size access width in bytes: 1, 2 or 4
     * @return the value read; only the low {@code size} bytes are used by the bus
     */
    int read(int port, int size);

    /**
     * Handles an OUT to {@code port}.
     *
     * @param port the absolute port number (0..0xFFFF)
     * @param size access width in bytes: 1, 2 or 4
     * @param value the value written, already masked to {@code size} bytes
     */
    void write(int port, int size, int value);
}
