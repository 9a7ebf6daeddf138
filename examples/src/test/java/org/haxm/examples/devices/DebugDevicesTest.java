package org.haxm.examples.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DebugDevicesTest {

    @Property
    void debugExitStatusIsValueShiftedLeftOrOne(@ForAll @IntRange(min = 0, max = 0xFF) int value) {
        DebugExit exit = new DebugExit();
        assertFalse(exit.exitRequested());
        exit.write(DebugExit.PORT, 1, value);
        assertTrue(exit.exitRequested());
        assertEquals(value * 2 + 1, exit.exitStatus());
    }

    @Test
    void debugExitKeepsTheFirstRequest() {
        DebugExit exit = new DebugExit();
        exit.write(DebugExit.PORT, 1, 0x10);
        exit.write(DebugExit.PORT, 1, 0x01);
        assertEquals(0x21, exit.exitStatus());
    }

    @Test
    void debugConsoleEmitsBytesLittleEndian() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DebugConsole console = new DebugConsole(out);
        console.write(0xE9, 1, 'H');
        console.write(0xE9, 2, 'i' | ('!' << 8));
        assertEquals("Hi!", out.toString(StandardCharsets.US_ASCII));
        assertEquals(0xE9, console.read(0xE9, 1), "Bochs presence check");
    }

    @Test
    void demoMmioDeviceRegisters() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MmioBus bus = new MmioBus();
        DemoMmioDevice dev = new DemoMmioDevice(DemoMmioDevice.DEFAULT_BASE, out);
        bus.register(dev.base(), DemoMmioDevice.WINDOW_SIZE, dev);
        bus.write(0xD000_0000L, 1, 'M');
        assertEquals("M", out.toString(StandardCharsets.US_ASCII));
        assertEquals(0xC0FFEE42L, bus.read(0xD000_0004L, 4));
        assertEquals(10, bus.read(0xD000_0008L, 4));
        bus.write(0xD000_0008L, 4, 15);
        assertEquals(java.util.List.of("mmio[+8] <- 15"), dev.counterWrites());
        assertEquals(0xFFFF_FFFFL, bus.read(0xD000_1000L, 4), "beyond the window: unclaimed");
        assertEquals(-1L, bus.read(0x1234, 8));
    }
}
