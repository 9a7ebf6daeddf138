package org.haxm.ept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * VCPU threads walk while another thread keeps remapping: readers never lock, so what matters is
 * that every walk sees one consistent snapshot — a page is either MMIO or translates to the byte
 * of the block currently (or previously) mapped there, never a torn mix, and nothing throws.
 */
class ConcurrentMappingTest {

    @Test
    void walksDuringRemappingAlwaysSeeAConsistentMap() throws InterruptedException {
        GuestPhysicalMemory memory = new GuestPhysicalMemory();
        RamBlock first = memory.allocateRamBlock(RamBlock.CHUNK_SIZE);
        RamBlock second = memory.allocateRamBlock(RamBlock.CHUNK_SIZE);
        byte[] ones = new byte[RamBlock.CHUNK_SIZE];
        java.util.Arrays.fill(ones, (byte) 1);
        first.write(0, ones, 0, ones.length);
        java.util.Arrays.fill(ones, (byte) 2);
        second.write(0, ones, 0, ones.length);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong translated = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread reader = new Thread(() -> {
                EptWalkResult result = new EptWalkResult();
                long gpa = 0;
                try {
                    while (!stop.get()) {
                        gpa = (gpa + 0x1234) & (RamBlock.CHUNK_SIZE - 1);
                        memory.walk(gpa, EptAccess.READ, result);
                        if (result.isTranslated()) {
                            byte value = result.buffer.get(result.offset);
                            if (value != 1 && value != 2) {
                                throw new AssertionError("torn translation of 0x" + Long.toHexString(gpa) + ": " + value);
                            }
                            translated.incrementAndGet();
                        } else if (result.status != EptWalkResult.Status.VIOLATION || result.mapped) {
                            throw new AssertionError("unexpected " + result);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            reader.start();
            readers.add(reader);
        }
        long generation = memory.translationGeneration();
        for (int i = 0; i < 300; i++) {
            RamBlock block = i % 2 == 0 ? first : second;
            memory.map(0, block, 0, RamBlock.CHUNK_SIZE, false);
            memory.unmap((i % 512) * (long) RamBlock.PAGE_SIZE, RamBlock.PAGE_SIZE);
        }
        stop.set(true);
        for (Thread reader : readers) {
            reader.join(10_000);
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(generation + 600, memory.translationGeneration());
        assertTrue(translated.get() > 0, "readers made progress");
    }
}
