package org.haxm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@code struct hax_cpuid} / {@code hax_cpuid_entry} byte for byte (haxm-api.md §3: 8 + 40·n bytes). */
class CpuidLayoutProperties {

    @Test
    void entryFieldsSitAtHaxmsOffsets() {
        ByteBuffer b = HaxCpuid.encode(List.of(new HaxCpuidEntry(0x8000_0001, 2, 3, 0x11111111, 0x22222222, 0x33333333, 0x44444444),
            HaxCpuidEntry.of(7, 5, 6, 7, 8)));
        assertEquals(8 + 2 * 40, b.capacity());
        assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
        assertEquals(2, b.getInt(0), "total");
        assertEquals(0, b.getInt(4), "pad");
        assertEquals(0x01, b.get(8) & 0xFF, "function, little-endian low byte");
        assertEquals(0x80, b.get(11) & 0xFF, "function, high byte");
        assertEquals(2, b.getInt(8 + 4), "index");
        assertEquals(3, b.getInt(8 + 8), "flags");
        assertEquals(0x11111111, b.getInt(8 + 12));
        assertEquals(0x22222222, b.getInt(8 + 16));
        assertEquals(0x33333333, b.getInt(8 + 20));
        assertEquals(0x44444444, b.getInt(8 + 24));
        for (int i = 28; i < 40; i += 4) assertEquals(0, b.getInt(8 + i), "pad[" + (i - 28) / 4 + "]");
        assertEquals(7, b.getInt(48), "second entry at 8 + 40");
        assertEquals(8, b.getInt(48 + 24));
    }

    @Property(tries = 200)
    void decodeOfEncodeIsTheIdentity(@ForAll("tables") List<HaxCpuidEntry> table) {
        ByteBuffer raw = HaxCpuid.encode(table);
        assertEquals(HaxCpuid.size(table.size()), raw.remaining());
        assertEquals(table, HaxCpuid.decode(raw));
        // A big-endian view of the same bytes, read from a non-zero position, decodes the same.
        ByteBuffer shifted = ByteBuffer.allocate(raw.capacity() + 3).order(ByteOrder.BIG_ENDIAN);
        shifted.position(3);
        shifted.put(raw.duplicate());
        shifted.position(3);
        assertEquals(table, HaxCpuid.decode(shifted));
        assertEquals(3, shifted.position(), "decode leaves the caller's position");
    }

    @Provide
    Arbitrary<List<HaxCpuidEntry>> tables() {
        Arbitrary<Integer> i = Arbitraries.integers();
        Arbitrary<HaxCpuidEntry> e = Combinators.combine(i, i, i, i, i, i, i).as(HaxCpuidEntry::new);
        return e.list().ofMinSize(1).ofMaxSize(HaxCpuid.MAX_ENTRIES);
    }

    @Test
    void totalOutsideOneTo64AndShortBuffersAreRefusedNamingTheArgument() {
        for (int total : new int[] {0, 65, -1}) {
            ByteBuffer b = ByteBuffer.allocate(HaxCpuid.size(66)).order(ByteOrder.LITTLE_ENDIAN).putInt(0, total);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HaxCpuid.decode(b));
            assertTrue(e.getMessage().contains("total") && e.getMessage().contains("1..64"), e.getMessage());
        }
        ByteBuffer shortOne = ByteBuffer.allocate(HaxCpuid.size(2) - 1).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HaxCpuid.decode(shortOne));
        assertTrue(e.getMessage().contains("raw") && e.getMessage().contains("" + HaxCpuid.size(2)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HaxCpuid.decode(ByteBuffer.allocate(4)));
        assertThrows(IllegalArgumentException.class, () -> HaxCpuid.encode(List.of()));
        assertThrows(IllegalArgumentException.class, () -> HaxCpuid.encode(null));
    }
}
