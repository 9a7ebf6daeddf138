package org.haxm.core.nonroot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** I/O bitmaps A/B and the MSR bitmap (SDM Vol. 3C §25.6.4, §25.6.9, §26.1.3). */
class ExitBitmapsProperties {

    /** A multi-byte access exits if any port it covers is set; one that wraps past 0xFFFF always exits. */
    @Property(tries = 300)
    void ioExitsMatchesAModelOfTheCoveredPorts(@ForAll @Size(max = 20) Set<@IntRange(min = 0, max = 0xFFFF) Integer> trapped,
                                               @ForAll @IntRange(min = 0, max = 0xFFFF) int port,
                                               @ForAll("sizes") int size) {
        ExitBitmaps b = new ExitBitmaps();
        for (int p : trapped) b.setPortExits(p, true);
        // Ports near the probe make the interesting cases likely.
        if (port % 3 == 0) b.setPortExits(Math.min(0xFFFF, port + size - 1), true);
        boolean expected = port + size - 1 > 0xFFFF;
        for (int p = port; p < port + size && p <= 0xFFFF; p++) {
            if (trapped.contains(p) || (port % 3 == 0 && p == Math.min(0xFFFF, port + size - 1))) expected = true;
        }
        assertEquals(expected, b.ioExits(port, size), "port 0x" + Integer.toHexString(port) + " size " + size);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> sizes() { return net.jqwik.api.Arbitraries.of(1, 2, 4); }

    @Test
    void bitmapABCoversPorts0To7fffAndBitmapBTheRest() {
        ExitBitmaps b = new ExitBitmaps();
        b.setPortExits(0x7FFF, true);
        assertTrue(b.ioExits(0x7FFF, 1));
        assertFalse(b.ioExits(0x8000, 1));
        assertTrue(b.ioExits(0x7FFE, 4), "covers 0x7ffe..0x8001 across bitmaps A and B");
        b.setPortExits(0x7FFF, false);
        assertFalse(b.ioExits(0x7FFE, 4));
        b.setPortExits(0x8000, true);
        assertTrue(b.ioExits(0x7FFE, 4));
    }

    @Test
    void accessesWrappingPastFfffAlwaysExit() {
        ExitBitmaps b = new ExitBitmaps();
        assertFalse(b.ioExits(0xFFFF, 1));
        assertTrue(b.ioExits(0xFFFF, 2));
        assertTrue(b.ioExits(0xFFFD, 4));
        assertFalse(b.ioExits(0xFFFC, 4));
    }

    @Test
    void trapAllPortsThenOpeningOnePort() {
        ExitBitmaps b = new ExitBitmaps();
        b.trapAllPorts();
        b.setPortExits(0x80, false);
        assertFalse(b.ioExits(0x80, 1));
        assertTrue(b.ioExits(0x80, 2), "0x81 still traps");
        assertTrue(b.ioExits(0x7F, 2));
        assertTrue(b.ioExits(0x3F8, 1));
    }

    @Test
    void msrsOutsideTheBitmapRangesAlwaysExit() {
        ExitBitmaps b = new ExitBitmaps();   // all bits clear
        for (int msr : new int[] {0, 0x1FFF, 0xC000_0000, 0xC000_1FFF}) {
            assertFalse(b.msrExits(msr, false), Integer.toHexString(msr));
            assertFalse(b.msrExits(msr, true), Integer.toHexString(msr));
        }
        for (int msr : new int[] {0x2000, 0x4000_0000, 0xBFFF_FFFF, 0xC000_2000, 0xC001_0000, 0xFFFF_FFFF, 0x8000_0000}) {
            assertTrue(b.msrExits(msr, false), Integer.toHexString(msr));
            assertTrue(b.msrExits(msr, true), Integer.toHexString(msr));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.passThroughMsr(0x2000));
        assertTrue(e.getMessage().contains("0x2000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.passThroughMsr(0xC000_2000));
    }

    /** With everything trapped, exactly the passed-through MSRs run without exits, for reads and writes. */
    @Property(tries = 200)
    void passThroughOpensExactlyThatMsr(@ForAll("bitmapMsrs") int open, @ForAll("bitmapMsrs") int probe) {
        ExitBitmaps b = new ExitBitmaps();
        b.trapAllMsrs();
        b.passThroughMsr(open);
        assertEquals(probe != open, b.msrExits(probe, false));
        assertEquals(probe != open, b.msrExits(probe, true));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> bitmapMsrs() {
        return net.jqwik.api.Arbitraries.oneOf(
            net.jqwik.api.Arbitraries.integers().between(0, 0x1FFF),
            net.jqwik.api.Arbitraries.integers().between(0, 0x1FFF).map(i -> 0xC000_0000 + i),
            net.jqwik.api.Arbitraries.of(0x0, 0x1FFF, 0xC000_0000, 0xC000_1FFF, 0xC000_0080, 0x80));
    }
}
