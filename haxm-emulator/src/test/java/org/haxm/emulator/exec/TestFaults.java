package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.haxm.emulator.CpuException;

/** Assertion helper: running the next step must raise exception {@code vector}. */
final class TestFaults {
    private TestFaults() {}

    static CpuException expectFault(TestMachine m, int vector) {
        CpuException e = assertThrows(CpuException.class, m::step);
        assertEquals(vector, e.vector, "exception vector");
        return e;
    }
}
