package org.haxm.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import org.haxm.examples.setup.GuestMode;
import org.junit.jupiter.api.Test;

class GuestManifestTest {

    @Test
    void bundledManifestListsGuestsWithBinaries() {
        List<GuestSpec> guests = GuestManifest.loadBundled();
        assertTrue(guests.size() >= 6, "six demo guests expected, got " + guests.size());
        for (GuestSpec g : guests) {
            byte[] bin = GuestManifest.binary(g);
            assertTrue(bin.length > 0, g.name());
            assertTrue(!g.expectedOutput().isEmpty(), g.name());
        }
        GuestSpec real = guests.stream().filter(g -> g.name().equals("hello-real")).findFirst().orElseThrow();
        assertEquals(GuestMode.REAL, real.mode());
        assertEquals(0x7C00, real.entry());
        assertTrue(guests.stream().anyMatch(g -> g.mmioBase().isPresent()), "mmio guest declares its window");
        assertTrue(guests.stream().anyMatch(g -> g.expectedExitStatus().isPresent()), "exit-code guest declares its status");
    }

    @Test
    void parsesOptionalKeysAndEscapes() {
        Properties p = new Properties();
        p.setProperty("guests", "a, b");
        for (String n : List.of("a", "b")) {
            p.setProperty(n + ".mode", "long");
            p.setProperty(n + ".load", "0x10000");
            p.setProperty(n + ".entry", "0x10000");
            p.setProperty(n + ".output", "x\n");
            p.setProperty(n + ".check.address", "0x400");
            p.setProperty(n + ".check.size", "4");
            p.setProperty(n + ".check.value", "0xC0FFEE42");
        }
        p.setProperty("b.exit", "0x21");
        p.setProperty("b.mmio.base", "0xD0000000");
        List<GuestSpec> g = GuestManifest.parse(p);
        assertEquals(2, g.size());
        assertTrue(g.get(0).expectedExitStatus().isEmpty() && g.get(0).mmioBase().isEmpty());
        assertEquals(0x21, g.get(1).expectedExitStatus().getAsInt());
        assertEquals(0xD000_0000L, g.get(1).mmioBase().getAsLong());
        assertEquals(0xC0FFEE42L, g.get(1).checkValue());
        p.remove("b.check.size");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GuestManifest.parse(p));
        assertTrue(e.getMessage().contains("b.check.size"), e.getMessage());
    }
}
