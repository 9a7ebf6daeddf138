package org.haxm.examples.devices;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The Bochs/QEMU "port 0xE9 hack": every byte written to the port is console output.
 *
 * <p>Reading the port returns 0xE9, which is how Bochs lets a guest detect the hack is present.
 * A wider OUT (OUT DX, AX / EAX) emits its bytes in little-endian order, as if the guest had
 * written them one by one.
 */
public final class DebugConsole implements PortDevice {

    /** The conventional port of the debug console. */
    public static final int PORT = 0xE9;

    private final OutputStream out;

    /** @param out where the guest's bytes go (not closed by this device) */
    public DebugConsole(OutputStream out) {
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        this.out = out;
    }

    @Override
    public int read(int port, int size) {
        return PORT;
    }

    @Override
    public void write(int port, int size, int value) {
        try {
            for (int i = 0; i < size; i++) {
                out.write((value >>> (8 * i)) & 0xFF);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("debug console output failed", e);
        }
    }

    @Override
    public String toString() {
        return "DebugConsole";
    }
}
