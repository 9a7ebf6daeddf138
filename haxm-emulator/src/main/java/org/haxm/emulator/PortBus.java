package org.haxm.emulator;

/** Port I/O as bare hardware would perform it when no hook intercepts IN/OUT. */
public interface PortBus {
    /** Reads {@code size} (1, 2, 4) bytes from {@code port}. */
    int in(int port, int size);
    /** Writes {@code size} bytes of {@code value} to {@code port}. */
    void out(int port, int size, int value);

    /** An empty ISA bus: writes vanish, reads return all ones. */
    PortBus EMPTY = new PortBus() {
        @Override public int in(int port, int size) { return size == 4 ? -1 : (1 << (8 * size)) - 1; }
        @Override public void out(int port, int size, int value) {}
    };
}
