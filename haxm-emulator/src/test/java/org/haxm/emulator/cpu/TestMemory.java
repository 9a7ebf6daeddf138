package org.haxm.emulator.cpu;

import java.util.HashMap;
import java.util.Map;

import org.haxm.emulator.mem.AccessType;
import org.haxm.emulator.mem.HostPage;
import org.haxm.emulator.mem.PhysicalMemory;

/**
 * Sparse byte-addressed guest-physical memory for tests; counts paging-structure writes. Its
 * pages are plain arrays that it lets the MMU's TLB access directly ({@link #resolveHost}), so
 * every emulator test also exercises the TLB's fast path; {@link #resolvable} = false turns that off.
 */
public final class TestMemory implements PhysicalMemory {
    private final Map<Long, byte[]> pages = new HashMap<>();
    public int pagingWrites;
    /** Writes that went through {@link #write} (the MMU's slow path), not through the TLB's fast path. */
    public int writes;
    /** Whether {@link #resolveHost} hands out the page arrays. */
    public boolean resolvable = true;
    /** What {@link #resolveHost} allows ({@link HostPage#READ} | WRITE | EXECUTE), e.g. to model a ROM page. */
    public int hostPermissions = HostPage.READ | HostPage.WRITE | HostPage.EXECUTE;
    /** Calls of {@link #resolveHost} that succeeded (TLB host fills). */
    public int resolutions;
    private Runnable invalidation = () -> { };

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

    @Override public boolean resolveHost(long gpa, int type, long linear, HostPage out) {
        if (!resolvable) return false;
        out.set(page(gpa), 0, hostPermissions);
        resolutions++;
        return true;
    }

    @Override public void setInvalidationListener(Runnable listener) { invalidation = listener; }

    /** Tells the MMU that resolutions may be stale (as a remapping would). */
    public void invalidateHostPages() { invalidation.run(); }

    /** Whether both memories hold the same bytes everywhere (a page never touched reads as zeros). */
    public boolean sameContents(TestMemory other) {
        java.util.Set<Long> keys = new java.util.HashSet<>(pages.keySet());
        keys.addAll(other.pages.keySet());
        byte[] zero = new byte[4096];
        for (long k : keys) {
            if (!java.util.Arrays.equals(pages.getOrDefault(k, zero), other.pages.getOrDefault(k, zero))) return false;
        }
        return true;
    }
}
