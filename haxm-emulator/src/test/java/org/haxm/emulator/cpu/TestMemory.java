package org.haxm.emulator.cpu;

import java.util.HashMap;
import java.util.Map;

import org.haxm.emulator.mem.AccessType;
import org.haxm.emulator.mem.PhysicalMemory;

/** Sparse byte-addressed guest-physical memory for tests; counts paging-structure writes. */
public final class TestMemory implements PhysicalMemory {
    private final Map<Long, byte[]> pages = new HashMap<>();
    public int pagingWrites;
    public int writes;

    private byte[] page(long gpa) {
        return pages.computeIfAbsent(gpa >>> 12, k -> new byte[4096]);
    }

    public int readByte(long gpa) { return page(gpa)[(int) (gpa & 0xFFF)] & 0xFF; }

    public void writeByte(long gpa, int v) { page(gpa)[(int) (gpa & 0xFFF)] = (byte) v; }

    public long get(long gpa, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) v |= (long) readByte(gpa + i) << (8 * i);
        return v;
    }

    public void put(long gpa, int size, long value) {
        for (int i = 0; i < size; i++) writeByte(gpa + i, (int) (value >>> (8 * i)));
    }

    public void putBytes(long gpa, int... bytes) {
        for (int i = 0; i < bytes.length; i++) writeByte(gpa + i, bytes[i]);
    }

    @Override public long read(long gpa, int size, int type, long linear) {
        if ((gpa & 0xFFF) + size > 4096) throw new AssertionError("access crosses a page: " + Long.toHexString(gpa));
        return get(gpa, size);
    }

    @Override public void write(long gpa, int size, long value, int type, long linear) {
        if ((gpa & 0xFFF) + size > 4096) throw new AssertionError("access crosses a page: " + Long.toHexString(gpa));
        if (type == AccessType.PAGING_WRITE) pagingWrites++; else writes++;
        put(gpa, size, value);
    }

    @Override public long compareAndExchange(long gpa, int size, long expected, long update, long linear) {
        long old = get(gpa, size);
        long mask = size == 8 ? -1L : (1L << (8 * size)) - 1;
        if (((old ^ expected) & mask) == 0) put(gpa, size, update);
        return old;
    }
}
