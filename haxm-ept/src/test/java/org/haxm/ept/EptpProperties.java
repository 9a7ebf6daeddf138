package org.haxm.ept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class EptpProperties {

    @Example
    void encodesTheSdmLayout() {
        // WB (6) in bits 2:0, walk length 4 as 3 in bits 5:3, A/D in bit 6, PML4 address from bit 12.
        assertEquals(0x5000L | 6 | (3 << 3), new Eptp(EptMemoryType.WB, 4, false, 0x5000).encode());
        assertEquals(0x5000L | (3 << 3) | (1 << 6), new Eptp(EptMemoryType.UC, 4, true, 0x5000).encode());
    }

    @Property
    void decodeInvertsEncode(@ForAll boolean writeBack, @ForAll boolean accessedDirty,
                             @ForAll @LongRange(min = 0, max = (1L << 34) - 1) long pml4Page) {
        Eptp eptp = new Eptp(writeBack ? EptMemoryType.WB : EptMemoryType.UC, 4, accessedDirty, pml4Page << 12);
        assertEquals(eptp, Eptp.decode(eptp.encode()));
    }

    @Property
    void anyReservedBitIsRejected(@ForAll @LongRange(min = 7, max = 63) long bit) {
        long value = new Eptp(EptMemoryType.WB, 4, false, 0x1000).encode() | (1L << bit);
        boolean reserved = bit <= 11 || bit >= EptEntry.HOST_PHYS_ADDR_BITS;
        if (reserved) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Eptp.decode(value));
            assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        } else {
            assertEquals(0x1000L | (1L << bit), Eptp.decode(value).pml4Address());
        }
    }

    @Example
    void unsupportedFieldValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Eptp.decode(2 | (3 << 3))); // memory type 2 reserved
        assertThrows(IllegalArgumentException.class, () -> Eptp.decode(6 | (4 << 3))); // 5-level walk
        assertThrows(IllegalArgumentException.class, () -> new Eptp(EptMemoryType.WT, 4, false, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Eptp(EptMemoryType.WB, 4, false, 0x1234));
        assertTrue(e.getMessage().contains("pml4Address") && e.getMessage().contains("0x1234"), e.getMessage());
    }
}
