package org.haxm.examples.vmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.haxm.examples.devices.PortDevice;
import org.haxm.examples.setup.GuestMode;
import org.junit.jupiter.api.Test;

/** The exit loop with hand-assembled guests: string I/O direction, wide IN, failures. */
class VmmTest {

    private static final long RAM = 1 << 20;
    private static final long ENTRY = 0x7C00;

    /** A port device returning 1, 2, 3, ... on successive reads. */
    private static final class Counter implements PortDevice {
        int next = 1;

        @Override
        public int read(int port, int size) {
            return size == 1 ? next++ : 0xBEEF;
        }

        @Override
        public void write(int port, int size, int value) {
        }
    }

    @Test
    void repInsbWithDfFillsDescendingAddresses() {
        try (Vmm vmm = new Vmm(GuestMode.REAL, RAM, new ByteArrayOutputStream())) {
            vmm.portBus().register(0x80, 1, new Counter());
            vmm.load(ENTRY, TinyGuests.REAL_REP_INSB_DOWN);
            RunResult r = vmm.run(ENTRY, 10_000);
            assertEquals(RunResult.Outcome.HALTED, r.outcome(), r.message());
            // The first byte read lands at DI = 0x503, the next ones below it.
            assertArrayEquals(new byte[] {4, 3, 2, 1}, vmm.readMemory(0x500, 4));
        }
    }

    @Test
    void repOutsbWithDfSendsDescendingAddresses() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Vmm vmm = new Vmm(GuestMode.REAL, RAM, out)) {
            vmm.load(0x600, "abcd".getBytes(StandardCharsets.US_ASCII));
            vmm.load(ENTRY, TinyGuests.REAL_REP_OUTSB_DOWN);
            RunResult r = vmm.run(ENTRY, 10_000);
            assertEquals(RunResult.Outcome.HALTED, r.outcome(), r.message());
            assertEquals("dcba", out.toString(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void wordInReturnsTheDeviceValue() {
        try (Vmm vmm = new Vmm(GuestMode.REAL, RAM, new ByteArrayOutputStream())) {
            vmm.portBus().register(0x80, 1, new Counter());
            vmm.load(ENTRY, TinyGuests.REAL_IN_WORD);
            assertEquals(RunResult.Outcome.HALTED, vmm.run(ENTRY, 10_000).outcome());
            assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBE}, vmm.readMemory(0x500, 2));
        }
    }

    @Test
    void undeliverableExceptionIsATripleFault() {
        for (GuestMode mode : GuestMode.values()) {
            try (Vmm vmm = new Vmm(mode, RAM, new ByteArrayOutputStream())) {
                long entry = mode == GuestMode.REAL ? ENTRY : 0x10000;
                vmm.load(entry, TinyGuests.UD2);
                RunResult r = vmm.run(entry, 10_000);
                assertEquals(RunResult.Outcome.FAILED, r.outcome(), mode.toString());
                assertTrue(r.message().startsWith("guest stopped: triple fault at rip="), mode + ": " + r.message());
                assertTrue(r.message().contains("#UD"), mode + ": the report names the exception that started it: " + r.message());
            }
        }
    }

    @Test
    void instructionLimitStopsASpinningGuest() {
        try (Vmm vmm = new Vmm(GuestMode.LONG, RAM, new ByteArrayOutputStream())) {
            vmm.load(0x10000, TinyGuests.SPIN);
            RunResult r = vmm.run(0x10000, 1000);
            assertEquals(RunResult.Outcome.FAILED, r.outcome());
            assertEquals("instruction limit 1000 reached", r.message());
            assertEquals(1000, vmm.instructionsRetired());
        }
    }

    @Test
    void longModeStateIsVisibleAfterTheRun() {
        try (Vmm vmm = new Vmm(GuestMode.LONG, RAM, new ByteArrayOutputStream())) {
            vmm.load(0x10000, TinyGuests.LONG_MOVS);
            assertEquals(RunResult.Outcome.HALTED, vmm.run(0x10000, 1000).outcome());
            assertEquals(0x1122334455667788L, vmm.registers().regs[15]);
            assertEquals(0x10000 + TinyGuests.LONG_MOVS.length, vmm.registers().rip, "RIP is past the HLT");
            assertEquals(0x500, vmm.efer() & 0x500, "LME and LMA");
            assertEquals(0x2000, vmm.registers().cr3);
        }
    }

    @Test
    void loadOutsideRamIsRefused() {
        try (Vmm vmm = new Vmm(GuestMode.REAL, RAM, new ByteArrayOutputStream())) {
            assertThrows(IllegalArgumentException.class, () -> vmm.load(RAM - 1, new byte[2]));
        }
        assertThrows(IllegalArgumentException.class, () -> new Vmm(GuestMode.REAL, 5000, new ByteArrayOutputStream()));
    }
}
