package org.haxm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The hypervisor copies OUTS data out of guest memory after the I/O exit (HAXM's protocol); when
 * the guest's page tables do not map the source, the guest gets the page fault, with CR2 = the
 * faulting linear address, as if the CPU had raised it (SDM Vol. 3A §6.15, #PF).
 */
class StringIoFaultTest {

    @Test
    void outsFromAnUnmappedLinearAddressInjectsAPageFaultWithCr2() {
        long unmapped = 0x1_0000_0000L;   // the test guest identity-maps only the low 4 GiB
        byte[] code = TestGuest.bytes(
            0x48, 0xBE, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,   // mov rsi, 0x100000000
            0xB9, 0x04, 0x00, 0x00, 0x00,                                 // mov ecx, 4
            0x66, 0xBA, 0xE9, 0x00,                                       // mov dx, 0xE9
            0xF3, 0x6E);                                                  // rep outsb
        try (TestGuest g = TestGuest.long64(code)) {
            // No IDT: the injected #PF cannot be delivered and ends in a triple fault, which lets
            // the test observe the architectural state the injection left behind.
            assertEquals(HaxExitStatus.STATECHANGE, g.run());
            assertTrue(g.vcpu.stopReason().contains("triple fault"), g.vcpu.stopReason());
            assertEquals(unmapped, g.regs().cr2, "CR2 holds the linear address that faulted");
            assertEquals(4, g.gpr(1), "no element was transferred: RCX unchanged");
            assertEquals(unmapped, g.gpr(6), "RSI unchanged");
        }
    }
}
