package org.haxm.examples.devices;

/**
 * QEMU's {@code isa-debug-exit} device: a guest write of {@code v} asks the VMM to terminate with
 * process exit status {@code (v << 1) | 1}.
 *
 * <p>The formula makes every guest-requested status odd, so a test harness can tell a guest
 * verdict apart from the VMM's own success (0). The device only records the request; the
 * {@code Vmm} checks {@link #exitRequested()} after each I/O exit and stops the run loop.
 */
public final class DebugExit implements PortDevice {

    /** The conventional port (QEMU's default {@code iobase=0xf4}). */
    public static final int PORT = 0xF4;

    private boolean requested;
    private int status;

    /** The exit status QEMU computes for a written value. */
    public static int statusFor(int value) {
        return (value << 1) | 1;
    }

    @Override
    public int read(int port, int size) {
        return PortBus.mask(-1, size); // write-only device: reads float high like an empty bus
    }

    @Override
    public void write(int port, int size, int value) {
        if (!requested) { // the first request wins: the VMM stops at it
            requested = true;
            status = statusFor(value);
        }
    }

    /** Whether the guest has written to the port. */
    public boolean exitRequested() {
        return requested;
    }

    /** The requested process exit status; meaningful only if {@link #exitRequested()}. */
    public int exitStatus() {
        return status;
    }

    @Override
    public String toString() {
        return "DebugExit";
    }
}
