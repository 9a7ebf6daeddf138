package org.haxm.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The bench devices' register behaviour, as documented for the guest (and implemented by the C
 * stubs in wl.h). The end-to-end tests check Java and C agree through the checksums; these pin
 * the properties the checksums rely on: reads depend on every earlier write, in order.
 */
class BenchDevicesTest {

    @Property
    void portDeviceReadsTheAccumulatorLowByteFirst(@ForAll int seed, @ForAll byte mix) {
        BenchPortDevice d = new BenchPortDevice();
        d.write(BenchPortDevice.SEED, 4, seed);
        d.write(BenchPortDevice.MIX, 1, mix & 0xFF);
        int acc = seed * 33 + (mix & 0xFF);
        for (int i = 0; i < 4; i++) {
            assertEquals((acc >>> (8 * i)) & 0xFF, d.read(BenchPortDevice.READ, 1));
        }
        assertEquals(acc, d.accumulator(), "four reads rotate the accumulator back to where it was");
    }

    @Property
    void swappingTwoDifferentPortWritesChangesTheAccumulator(@ForAll int seed, @ForAll byte a, @ForAll byte b) {
        if (a == b) {
            return;
        }
        BenchPortDevice x = new BenchPortDevice(), y = new BenchPortDevice();
        x.write(BenchPortDevice.SEED, 4, seed);
        y.write(BenchPortDevice.SEED, 4, seed);
        x.write(BenchPortDevice.MIX, 1, a & 0xFF);
        x.write(BenchPortDevice.MIX, 1, b & 0xFF);
        y.write(BenchPortDevice.MIX, 1, b & 0xFF);
        y.write(BenchPortDevice.MIX, 1, a & 0xFF);
        assertTrue(x.accumulator() != y.accumulator());
    }

    @Test
    void portDeviceDonePortAndUnclaimedReads() {
        BenchPortDevice d = new BenchPortDevice();
        assertFalse(d.done());
        assertEquals(0xFF, d.read(BenchPortDevice.MIX, 1));
        d.write(BenchPortDevice.DONE, 1, 1);
        assertTrue(d.done());
    }

    @Property
    void mmioDeviceReadReturnsTheAccumulatorThenScramblesIt(@ForAll int seed, @ForAll int v) {
        BenchMmioDevice d = new BenchMmioDevice();
        d.write(BenchMmioDevice.BASE + BenchMmioDevice.SEED, 4, seed & 0xFFFF_FFFFL);
        d.write(BenchMmioDevice.BASE + BenchMmioDevice.MIX, 4, v & 0xFFFF_FFFFL);
        int acc = seed * 33 + v;
        assertEquals(acc & 0xFFFF_FFFFL, d.read(BenchMmioDevice.BASE + BenchMmioDevice.READ, 4));
        assertEquals(Integer.rotateLeft(acc, 7) ^ 0x9E37_79B9, d.accumulator());
        assertEquals(0, d.read(BenchMmioDevice.BASE + 0x10, 4));
    }
}
