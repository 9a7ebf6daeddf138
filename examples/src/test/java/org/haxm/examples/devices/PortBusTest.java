package org.haxm.examples.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PortBusTest {

    @Property
    void emptyBusReadsAllOnesForEverySize(@ForAll @IntRange(min = 0, max = 0xFFFF) int port) {
        PortBus bus = new PortBus();
        assertEquals(0xFF, bus.read(port, 1));
        assertEquals(0xFFFF, bus.read(port, 2));
        assertEquals(0xFFFFFFFF, bus.read(port, 4));
        bus.write(port, 4, 0x12345678); // must be silently ignored
    }

    @Test
    void routesOnlyTheRegisteredRange() {
        PortBus bus = new PortBus();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Uart16550 uart = new Uart16550(0x3F8, out);
        bus.register(0x3F8, 8, uart);
        bus.write(0x3F8, 1, 'k');
        bus.write(0x3F7, 1, 'x');
        bus.write(0x400, 1, 'y');
        assertEquals("k", out.toString(StandardCharsets.US_ASCII));
        assertEquals(0x60, bus.read(0x3FD, 1));
        assertSame(uart, bus.deviceAt(0x3FF));
        assertNull(bus.deviceAt(0x400));
    }

    @Test
    void masksValuesToTheAccessSize() {
        PortBus bus = new PortBus();
        int[] seen = new int[1];
        bus.register(0x80, 1, new PortDevice() {
            @Override public int read(int port, int size) { return 0xAABBCCDD; }
            @Override public void write(int port, int size, int value) { seen[0] = value; }
        });
        assertEquals(0xDD, bus.read(0x80, 1));
        assertEquals(0xCCDD, bus.read(0x80, 2));
        bus.write(0x80, 2, 0x12345678);
        assertEquals(0x5678, seen[0]);
    }

    @Test
    void overlappingRangesAreRefusedWithBothRangesNamed() {
        PortBus bus = new PortBus();
        bus.register(0x3F8, 8, new DebugExit());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bus.register(0x3FF, 2, new DebugExit()));
        assertTrue(e.getMessage().contains("0x3ff..0x400") && e.getMessage().contains("0x3f8..0x3ff"), e.getMessage());
        bus.register(0x400, 1, new DebugExit()); // adjacent is fine
    }

    @Test
    void rejectsBadRangesAndSizes() {
        PortBus bus = new PortBus();
        assertThrows(IllegalArgumentException.class, () -> bus.register(0xFFFF, 2, new DebugExit()));
        assertThrows(IllegalArgumentException.class, () -> bus.register(0x10, 0, new DebugExit()));
        assertThrows(IllegalArgumentException.class, () -> bus.read(0x10, 3));
        assertThrows(IllegalArgumentException.class, () -> bus.write(0x10000, 1, 0));
    }
}
