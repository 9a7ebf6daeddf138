package org.haxm.api;

import static org.haxm.api.TestGuest.CODE;
import static org.haxm.api.TestGuest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** HLT exits and the injection of queued interrupts (haxm-api.md §6.3). */
class InterruptAndHaltTest {

    /** Real mode: sti; hlt; hlt */
    static final byte[] STI_HLT = bytes(0xFB, 0xF4, 0xF4);
    /** Handler of vector 0x20: mov byte [0x600],0x20; hlt (the HLT is at +5) */
    static final byte[] HANDLER_20 = bytes(0xC6, 0x06, 0x00, 0x06, 0x20, 0xF4);
    static final long HANDLER = 0x1900;

    @Test
    void hltReturnsHltWithRipPastIt() {
        try (TestGuest g = TestGuest.real(bytes(0xF4))) {
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(CODE + 1, g.rip());
            assertEquals(12, g.tunnel.exitReason());
            assertTrue(g.tunnel.readyForInterruptInjection(), "forced to 1 on HLT exits, as HAXM");
        }
    }

    @Test
    void anInterruptQueuedAfterHltRunsTheRealModeHandler() {
        try (TestGuest g = TestGuest.real(STI_HLT)) {
            g.realModeHandler(0x20, HANDLER, HANDLER_20);
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(CODE + 2, g.rip());
            assertEquals(0, g.read(0x600, 1)[0]);

            g.vcpu.interrupt(0x20);
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(HANDLER + 6, g.rip(), "the HLT that ends the run is the handler's");
            assertEquals(0x20, g.read(0x600, 1)[0]);
            HaxVcpuState s = g.regs();
            byte[] frame = g.read(s.regs[4], 6);
            assertEquals(CODE + 2, (frame[0] & 0xFF) | (frame[1] & 0xFF) << 8, "the interrupted IP is after the first HLT");
            assertEquals(0, s.rflags & 0x200, "IF cleared by the interrupt gate");
        }
    }

    @Test
    void anInterruptQueuedBeforeStiHltIsTakenInsteadOfReturningHlt() {
        try (TestGuest g = TestGuest.real(STI_HLT)) {
            g.realModeHandler(0x20, HANDLER, HANDLER_20);
            g.vcpu.interrupt(0x20);
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(HANDLER + 6, g.rip(), "the guest's HLT did not end the run: the interrupt was injected");
            assertEquals(0x20, g.read(0x600, 1)[0]);
        }
    }

    @Test
    void interruptVectorsOutside0To255AreRejected() {
        try (TestGuest g = TestGuest.real(STI_HLT)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.vcpu.interrupt(256));
            assertTrue(e.getMessage().contains("vector"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> g.vcpu.interrupt(-1));
        }
    }
}
