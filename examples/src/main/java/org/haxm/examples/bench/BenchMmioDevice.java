package org.haxm.examples.bench;

import org.haxm.examples.devices.MmioDevice;

/**
 * The MMIO device of the exit-mmio workload: a 4-KiB window at guest-physical 0xD0000000 holding
 * a 32-bit accumulator that stores change and loads read back, so the guest's checksum depends on
 * every access arriving exactly once and in order. The C stub in
 * {@code examples/workloads/src/wl.h} behaves identically:
 * <pre>
 *  +0 write v : acc = acc * 33 + v
 *  +4 read    : returns acc, then acc = rotl(acc, 7) ^ 0x9E3779B9
 *  +8 write v : acc = v
 * </pre>
 * Other offsets read 0 and ignore writes.
 */
public final class BenchMmioDevice implements MmioDevice {

    /** Guest-physical base of the window (no RAM there: every access is an EPT violation). */
    public static final long BASE = 0xD000_0000L;
    /** Window size. */
    public static final long SIZE = 0x1000;
    static final int MIX = 0, READ = 4, SEED = 8;
    /** The constant mixed in after each read (the 32-bit golden ratio, any odd constant would do). */
    static final int READ_XOR = 0x9E37_79B9;

    private int acc;

    @Override
    public long read(long gpa, int size) {
        if (gpa - BASE != READ) {
            return 0;
        }
        int a = acc;
        acc = Integer.rotateLeft(a, 7) ^ READ_XOR;
        return a & 0xFFFF_FFFFL;
    }

    @Override
    public void write(long gpa, int size, long value) {
        long offset = gpa - BASE;
        if (offset == MIX) {
            acc = acc * 33 + (int) value;
        } else if (offset == SEED) {
            acc = (int) value;
        }
    }

    /** The accumulator (for tests). */
    public int accumulator() {
        return acc;
    }
}
