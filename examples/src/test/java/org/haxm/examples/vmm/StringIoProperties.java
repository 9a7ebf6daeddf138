package org.haxm.examples.vmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.haxm.examples.devices.PortDevice;
import org.haxm.examples.setup.GuestMode;

/**
 * REP OUTS / REP INS through the whole path (engine batching into the I/O buffer, the Vmm's
 * element order) must match the architectural order of a real CPU (SDM Vol. 2B "OUTS", "INS"):
 * element by element from rSI/rDI, upwards with DF = 0 and downwards with DF = 1.
 */
class StringIoProperties {

    private static final long RAM = 1 << 20;
    private static final int ENTRY = 0x7C00;
    private static final int BUFFER = 0x2000;

    /** std/cld; mov si|di, start; mov cx, count; mov dx, port; rep outs|ins (b or w); hlt. */
    private static byte[] guest(boolean down, boolean out, int size, int start, int count, int port) {
        int indexReg = out ? 0xBE : 0xBF; // mov si / mov di, imm16
        int opcode = (out ? 0x6E : 0x6C) + (size == 2 ? 1 : 0);
        return TinyGuests.bytes(down ? 0xFD : 0xFC, indexReg, start & 0xFF, start >> 8, 0xB9, count & 0xFF, count >> 8,
                0xBA, port & 0xFF, port >> 8, 0xF3, opcode, 0xF4);
    }

    @Property(tries = 40)
    void repOutsSendsElementsInArchitecturalOrder(@ForAll @Size(min = 1, max = 150) byte[] data,
                                                  @ForAll boolean down, @ForAll boolean words) {
        int size = words ? 2 : 1;
        int count = data.length / size;
        if (count == 0) {
            return;
        }
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (Vmm vmm = new Vmm(GuestMode.REAL, RAM, console)) {
            vmm.load(BUFFER, data);
            int start = down ? BUFFER + (count - 1) * size : BUFFER;
            vmm.load(ENTRY, guest(down, true, size, start, count, 0xE9));
            RunResult r = vmm.run(ENTRY, 100_000);
            assertEquals(RunResult.Outcome.HALTED, r.outcome(), r.message());
        }
        byte[] expected = new byte[count * size];
        for (int k = 0; k < count; k++) {
            int element = down ? count - 1 - k : k; // the k-th element the CPU transfers
            System.arraycopy(data, element * size, expected, k * size, size);
        }
        assertArrayEquals(expected, console.toByteArray());
    }

    @Property(tries = 40)
    void repInsStoresElementsInArchitecturalOrder(@ForAll @IntRange(min = 1, max = 150) int count,
                                                  @ForAll boolean down, @ForAll boolean words) {
        int size = words ? 2 : 1;
        int[] next = {1};
        byte[] memory;
        try (Vmm vmm = new Vmm(GuestMode.REAL, RAM, new ByteArrayOutputStream())) {
            vmm.portBus().register(0x80, 1, new PortDevice() {
                @Override public int read(int port, int sz) { return next[0]++ * 0x0101; }
                @Override public void write(int port, int sz, int value) { }
            });
            int start = down ? BUFFER + (count - 1) * size : BUFFER;
            vmm.load(ENTRY, guest(down, false, size, start, count, 0x80));
            RunResult r = vmm.run(ENTRY, 100_000);
            assertEquals(RunResult.Outcome.HALTED, r.outcome(), r.message());
            memory = vmm.readMemory(BUFFER, count * size);
        }
        for (int k = 0; k < count; k++) {
            int element = down ? count - 1 - k : k; // where the k-th value read lands
            int value = (k + 1) & 0xFF;
            for (int b = 0; b < size; b++) {
                assertEquals((byte) value, memory[element * size + b], "element " + element);
            }
        }
    }
}
