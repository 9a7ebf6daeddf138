package org.haxm.emulator.mem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link HostAccess} on heap arrays and direct buffers (also a slice at an odd address) agrees
 * with plain little-endian byte arithmetic for every size and alignment, and its LOCK
 * compare-and-exchange does what CMPXCHG does (SDM Vol. 2, "CMPXCHG"): store on equality of the
 * low {@code size} bytes, return the old value either way, never touch a neighbouring byte.
 */
class HostAccessProperties {
    private static final int SIZE = 64;

    @Property(tries = 400)
    void loadsStoresAndCompareExchangeMatchByteArithmetic(@ForAll @IntRange(min = 0, max = 3) int sizeIndex,
                                                          @ForAll @IntRange(min = 0, max = SIZE - 8) int index,
                                                          @ForAll long initial, @ForAll long update,
                                                          @ForAll boolean equal, @ForAll @IntRange(min = 0, max = 2) int kind) {
        int size = 1 << sizeIndex;
        long mask = size == 8 ? -1L : (1L << (8 * size)) - 1;
        byte[] reference = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) reference[i] = (byte) (initial >>> (8 * (i & 7)) ^ i);
        byte[] array = null;
        ByteBuffer buffer = null;
        switch (kind) {
            case 0 -> array = reference.clone();
            case 1 -> buffer = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.LITTLE_ENDIAN).put(0, reference);
            default -> buffer = ByteBuffer.allocateDirect(SIZE + 3).slice(3, SIZE).order(ByteOrder.LITTLE_ENDIAN).put(0, reference);
        }
        long old = 0;
        for (int i = 0; i < size; i++) old |= (reference[index + i] & 0xFFL) << (8 * i);
        assertEquals(old, HostAccess.read(array, buffer, index, size), "little-endian load");

        long expected = equal ? old | ~mask : old ^ 1;          // bits above the size must not matter
        long returned = HostAccess.compareAndExchange(array, buffer, index, size, expected, update);
        assertEquals(old, returned, "CMPXCHG returns the old value");
        if (equal) for (int i = 0; i < size; i++) reference[index + i] = (byte) (update >>> (8 * i));
        byte[] actual = new byte[SIZE];
        if (array != null) actual = array; else buffer.get(0, actual);
        assertArrayEquals(reference, actual, "stores exactly the operand on equality, nothing else");

        HostAccess.write(array, buffer, index, size, ~update);
        for (int i = 0; i < size; i++) reference[index + i] = (byte) (~update >>> (8 * i));
        if (array == null) buffer.get(0, actual);
        assertArrayEquals(reference, actual, "little-endian store");
        assertEquals(~update & mask, HostAccess.read(array, buffer, index, size));
    }

    /** Increments by compare-exchange from several threads lose nothing: the operation is atomic. */
    @Test
    void concurrentCompareExchangeIncrementsAreAtomic() throws Exception {
        byte[] ram = new byte[64];
        ByteBuffer direct = ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN);
        int[][] cases = {{8, 8}, {4, 4}, {2, 2}, {1, 5}, {4, 10}, {2, 13}};   // {size, index}: aligned and misaligned
        for (int[] c : cases) {
            for (boolean onArray : new boolean[] {true, false}) {
                int size = c[0], index = c[1];
                int threads = 4, perThread = 2_000;
                long mask = size == 8 ? -1L : (1L << (8 * size)) - 1;
                AtomicLong retries = new AtomicLong();
                Thread[] workers = IntStream.range(0, threads).mapToObj(t -> new Thread(() -> {
                    for (int n = 0; n < perThread; n++) {
                        while (true) {
                            long seen = onArray ? HostAccess.read(ram, index, size) : HostAccess.read(direct, index, size);
                            long got = HostAccess.compareAndExchange(onArray ? ram : null, onArray ? null : direct, index, size,
                                seen, (seen + 1) & mask);
                            if (got == seen) break;
                            retries.incrementAndGet();
                        }
                    }
                })).toArray(Thread[]::new);
                long start = onArray ? HostAccess.read(ram, index, size) : HostAccess.read(direct, index, size);
                for (Thread w : workers) w.start();
                for (Thread w : workers) w.join();
                long end = onArray ? HostAccess.read(ram, index, size) : HostAccess.read(direct, index, size);
                assertEquals((start + (long) threads * perThread) & mask, end, "size " + size + " index " + index);
            }
        }
    }
}
