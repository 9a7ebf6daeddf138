package org.haxm.api;

import static org.haxm.api.TestGuest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sticky STATECHANGE after a triple fault, and PAUSED when the instruction budget runs out. */
class StopAndPauseTest {
    /** ud2: #UD, which cannot be delivered with an IDT limit of 0 */
    static final byte[] UD2 = bytes(0x0F, 0x0B);
    /** jmp $ */
    static final byte[] SPIN = bytes(0xEB, 0xFE);

    @Test
    void tripleFaultInRealModeIsStickyStateChange() {
        try (TestGuest g = TestGuest.real(UD2)) {
            HaxVcpuState s = g.regs();
            s.idt = new HaxSegment(0, 0, 0, 0);
            g.vcpu.setRegs(s);
            assertNull(g.vcpu.stopReason());
            assertEquals(HaxExitStatus.STATECHANGE, g.run());
            assertEquals(HaxExitStatus.STATECHANGE, g.tunnel.exitStatus());
            assertEquals(2, g.tunnel.exitReason(), "basic exit reason triple fault");
            String why = g.vcpu.stopReason();
            assertNotNull(why);
            assertTrue(why.contains("triple fault"), why);
            assertEquals(HaxExitStatus.STATECHANGE, g.run(), "sticky");
            assertEquals(HaxExitStatus.STATECHANGE, g.run(), "sticky");
        }
    }

    @Test
    void tripleFaultInLongModeWithoutIdt() {
        try (TestGuest g = TestGuest.long64(UD2)) {
            assertEquals(HaxExitStatus.STATECHANGE, g.run());
            assertTrue(g.vcpu.stopReason().contains("triple fault"), g.vcpu.stopReason());
            assertEquals(HaxExitStatus.STATECHANGE, g.run());
        }
    }

    @Test
    void tripleFaultInProtectedModeWithIdtrLimit0() {
        try (TestGuest g = TestGuest.protected32(UD2)) {
            assertEquals(HaxExitStatus.STATECHANGE, g.run());
            String why = g.vcpu.stopReason();
            assertTrue(why.contains("triple fault") && why.contains("#UD"), why);
            assertEquals(HaxExitStatus.STATECHANGE, g.run());
        }
    }

    @Test
    void kickFromAnotherThreadEndsTheRunWithInterrupt() throws Exception {
        try (TestGuest g = TestGuest.real(SPIN)) {
            g.vcpu.setInstructionBudget(200_000_000);     // a lost kick fails the test instead of hanging it
            Thread kicker = new Thread(() -> {
                try { Thread.sleep(20); } catch (InterruptedException e) { return; }
                g.vcpu.kick();
            });
            kicker.start();
            assertEquals(HaxExitStatus.INTERRUPT, g.run());
            kicker.join();
            assertEquals(1, g.tunnel.exitReason(), "modelled as an external-interrupt exit");
            g.vcpu.setInstructionBudget(100);
            assertEquals(HaxExitStatus.PAUSED, g.run(), "the guest resumes normally");
        }
    }

    @Test
    void instructionBudgetPausesAnInfiniteLoopAfterExactlyNInstructions() {
        try (TestGuest g = TestGuest.real(SPIN)) {
            g.vcpu.setInstructionBudget(1000);
            long before = g.vcpu.instructionsRetired();
            assertEquals(HaxExitStatus.PAUSED, g.run());
            assertEquals(before + 1000, g.vcpu.instructionsRetired());
            assertEquals(TestGuest.CODE, g.rip(), "still spinning on the jmp");
            assertEquals(HaxExitStatus.PAUSED, g.run());
            assertEquals(before + 2000, g.vcpu.instructionsRetired(), "the budget applies per run");
            g.vcpu.setInstructionBudget(70_000);
            assertEquals(HaxExitStatus.PAUSED, g.run());
            assertEquals(before + 72_000, g.vcpu.instructionsRetired(), "budgets larger than one scheduling slice");
        }
    }

    @Test
    @Timeout(60) // the defect this guards against is a run() that never returns
    void instructionBudgetAlsoPausesAGuestCaughtInAnExceptionLoop() {
        // ud2 at CODE, and IVT entry 6 (#UD) pointing back at it: every step raises #UD and
        // delivers it (the real-mode stack just wraps), nothing ever retires.
        try (TestGuest g = TestGuest.real(UD2)) {
            g.vm.writeMemory(6 * 4, bytes((int) TestGuest.CODE & 0xFF, (int) (TestGuest.CODE >>> 8) & 0xFF, 0, 0), 0, 4);
            g.vcpu.setInstructionBudget(1000);
            long before = g.vcpu.instructionsRetired();
            assertEquals(HaxExitStatus.PAUSED, g.run(), "a time-like budget ends the loop");
            assertEquals(before, g.vcpu.instructionsRetired(), "nothing retired");
            assertEquals(TestGuest.CODE, g.rip(), "at the UD2 again");
        }
    }

    @Test
    void negativeBudgetIsRejected() {
        try (TestGuest g = TestGuest.real(SPIN)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.vcpu.setInstructionBudget(-1));
            assertTrue(e.getMessage().contains("budget"), e.getMessage());
        }
    }
}
