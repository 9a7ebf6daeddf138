package org.haxm.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Nothing a guest does may crash the engine: random code, in each CPU mode, must end every
 * {@link HaxVcpu#run()} in a defined exit status, and a VCPU that stops must stop for an
 * architectural reason (triple fault, failed VM entry, ...), never because a Java exception
 * escaped the engine's own code ("internal engine error").
 */
class GuestFuzzProperties {
    private static final int MAX_RUNS = 200;

    @Property(tries = 150)
    void randomRealModeCodeEndsInDefinedExits(@ForAll @Size(64) byte[] code) {
        try (TestGuest g = TestGuest.real(code)) { drive(g); }
    }

    @Property(tries = 150)
    void randomProtectedModeCodeEndsInDefinedExits(@ForAll @Size(64) byte[] code) {
        try (TestGuest g = TestGuest.protected32(code)) { drive(g); }
    }

    @Property(tries = 150)
    void randomLongModeCodeEndsInDefinedExits(@ForAll @Size(64) byte[] code) {
        try (TestGuest g = TestGuest.long64(code)) { drive(g); }
    }

    /** Plays the caller: answers I/O and MMIO, resumes after HLT with an interrupt queued, stops
     *  at STATECHANGE or after a bounded number of runs. */
    private static void drive(TestGuest g) {
        g.vcpu.setInstructionBudget(5_000);
        for (int i = 0; i < MAX_RUNS; i++) {
            HaxExitStatus s = g.vcpu.run();
            assertNotNull(s);
            switch (s) {
                case IO -> g.tunnel.ioBuffer().putLong(0, 0x0123_4567_89AB_CDEFL);
                case FAST_MMIO -> g.tunnel.setMmioValue(0xFFFF_FFFF_FFFF_FFFFL);
                case STATECHANGE -> {
                    String reason = g.vcpu.stopReason();
                    assertNotNull(reason, "a stopped VCPU says why");
                    assertFalse(reason.startsWith("internal engine error"), reason);
                    return;
                }
                case PAUSED -> { return; }
                default -> { }
            }
        }
    }
}
