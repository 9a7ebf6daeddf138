package org.haxm.examples.jmh;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.haxm.emulator.mem.PhysicalMemory;

/**
 * Physical memory as one flat little-endian array with no EPT and no MMIO behind it: the
 * cheapest memory the emulator's {@code Cpu} can run on, so {@link ExecutionBenchmark} measures
 * the instruction semantics rather than the memory system.
 */
final class FlatMemory implements PhysicalMemory {

    private final ByteBuffer bytes;

    FlatMemory(int size) {
        bytes = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Copies {@code code} to physical address {@code at}. */
    void load(int at, byte[] code) {
        bytes.put(at, code);
    }

    @Override
    public long read(long gpa, int size, int type, long linear) {
        int a = (int) gpa;
        return switch (size) {
            case 1 -> bytes.get(a) & 0xFFL;
            case 2 -> bytes.getShort(a) & 0xFFFFL;
            case 4 -> bytes.getInt(a) & 0xFFFF_FFFFL;
            default -> bytes.getLong(a);
        };
    }

    @Override
    public void write(long gpa, int size, long value, int type, long linear) {
        int a = (int) gpa;
        switch (size) {
            case 1 -> bytes.put(a, (byte) value);
            case 2 -> bytes.putShort(a, (short) value);
            case 4 -> bytes.putInt(a, (int) value);
            default -> bytes.putLong(a, value);
        }
    }

    @Override
    public long compareAndExchange(long gpa, int size, long expected, long update, long linear) {
        long old = read(gpa, size, 0, linear);
        if (old == expected) {
            write(gpa, size, update, 0, linear);
        }
        return old;
    }
}
