package org.haxm.api;

import static org.haxm.api.TestGuest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Two VMs of one system have separate memory: each guest sees only its own RAM at the same GPA. */
class VmIsolationTest {

    /** Real mode: mov eax,[0x5000]; out 0x80,eax; mov dword [0x5000],0x11111111; hlt */
    static final byte[] READ_REPORT_WRITE = bytes(
        0x66, 0xA1, 0x00, 0x50,                               // mov eax, [0x5000]
        0x66, 0xE7, 0x80,                                     // out 0x80, eax
        0x66, 0xC7, 0x06, 0x00, 0x50, 0x11, 0x11, 0x11, 0x11, // mov dword [0x5000], 0x11111111
        0xF4);                                                // hlt

    @Test
    void twoVmsSideBySideSeeOnlyTheirOwnRam() {
        try (HaxSystem sys = HaxSystem.open()) {
            TestGuest a = TestGuest.real(sys, 0x10_0000, READ_REPORT_WRITE);
            TestGuest b = TestGuest.real(sys, 0x10_0000, READ_REPORT_WRITE);
            a.load(0x5000, bytes(0xAA, 0xAA, 0xAA, 0xAA));
            b.load(0x5000, bytes(0x55, 0x55, 0x55, 0x55));

            assertEquals(HaxExitStatus.IO, a.run());
            assertEquals(0xAAAA_AAAA, a.tunnel.ioBuffer().getInt(0));
            assertEquals(HaxExitStatus.IO, b.run());
            assertEquals(0x5555_5555, b.tunnel.ioBuffer().getInt(0));

            assertEquals(HaxExitStatus.HLT, a.run());
            assertEquals(0x1111_1111, a.ram.getInt(0x5000), "A's guest wrote its own RAM (the caller's buffer)");
            assertEquals(0x5555_5555, b.ram.getInt(0x5000), "B's RAM is untouched by A's guest");
            assertEquals(0xAAAA_AAAA, a.tunnel.ioBuffer().getInt(0), "each VCPU has its own I/O buffer");
            assertEquals(HaxExitStatus.HLT, b.run());
            assertEquals(0x1111_1111, b.ram.getInt(0x5000));
        }
    }
}
