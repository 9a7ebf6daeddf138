package org.haxm.examples.bench;

import org.haxm.examples.devices.PortDevice;

/**
 * The port device of the exit-io and exit-hlt workloads (ports 0x510..0x513). It holds a 32-bit
 * accumulator that OUTs change and INs read back, so the guest's checksum depends on every access
 * arriving exactly once and in order. The C stub in {@code examples/workloads/src/wl.h} behaves
 * identically (that is how the expected checksums are computed natively):
 * <pre>
 *  0x510 OUT v : acc = acc * 33 + v
 *  0x511 IN    : returns acc &amp; 0xFF, then acc = acc rotated right by 8
 *  0x512 OUT v : acc = v
 *  0x513 OUT   : "done": the exit-hlt loop is over, the next HLT ends the run
 * </pre>
 * Other accesses in the range read 0xFF and ignore writes, as unclaimed ports do.
 */
public final class BenchPortDevice implements PortDevice {

    /** First port. */
    public static final int BASE = 0x510;
    /** Number of ports. */
    public static final int PORT_COUNT = 4;
    static final int MIX = BASE, READ = BASE + 1, SEED = BASE + 2, DONE = BASE + 3;

    private int acc;
    private boolean done;

    @Override
    public int read(int port, int size) {
        if (port != READ) {
            return 0xFF;
        }
        int a = acc;
        acc = Integer.rotateRight(a, 8);
        return a & 0xFF;
    }

    @Override
    public void write(int port, int size, int value) {
        switch (port) {
            case MIX -> acc = acc * 33 + value;
            case SEED -> acc = value;
            case DONE -> done = true;
            default -> {
                // read-only port: the write is ignored
            }
        }
    }

    /** Whether the guest wrote the "done" port. */
    public boolean done() {
        return done;
    }

    /** The accumulator (for tests). */
    public int accumulator() {
        return acc;
    }
}
