package org.haxm.emulator.diff;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The differential test's comparison reports every kind of difference and ignores only the undefined. */
class ComparisonTest {
    private static final TestCase CASE = new TestCase(64, "t", new byte[] {0x01, (byte) 0xC0}, new long[16], 0x202,
        new byte[Layout.WINDOW], CaseBuilder.AF | CaseBuilder.OF, 1 << 3);

    private static Outcome outcome(long rax, long rbx, long flags, long rip, int vector, int memByte) {
        long[] r = new long[16];
        r[0] = rax;
        r[3] = rbx;
        byte[] w = new byte[Layout.WINDOW];
        w[0x100] = (byte) memByte;
        return new Outcome(r, flags, rip, vector, false, w);
    }

    private static final Outcome BASE = outcome(5, 0, 0x202, 0x40002, -1, 0);

    @Test
    void equalOutcomesAgree() {
        assertNull(DifferentialTest.compare(CASE, BASE, outcome(5, 0, 0x202, 0x40002, -1, 0), false));
    }

    @Test
    void definedDifferencesAreReported() {
        assertTrue(DifferentialTest.compare(CASE, BASE, outcome(6, 0, 0x202, 0x40002, -1, 0), false).contains("rax"));
        assertTrue(DifferentialTest.compare(CASE, BASE, outcome(5, 0, 0x203, 0x40002, -1, 0), false).contains("CF"));
        assertTrue(DifferentialTest.compare(CASE, BASE, outcome(5, 0, 0x602, 0x40002, -1, 0), false).contains("DF"));
        assertTrue(DifferentialTest.compare(CASE, BASE, outcome(5, 0, 0x202, 0x40022, -1, 0), false).contains("rip"));
        assertTrue(DifferentialTest.compare(CASE, BASE, outcome(5, 0, 0x202, 0x40002, 6, 0), false).contains("vector"));
        assertTrue(DifferentialTest.compare(CASE, BASE, outcome(5, 0, 0x202, 0x40002, -1, 1), false).contains("memory at 50100"));
    }

    @Test
    void undefinedFlagsAndRegistersAreIgnoredUnlessStrict() {
        Outcome other = outcome(5, 99, 0x202 | CaseBuilder.AF | CaseBuilder.OF, 0x40002, -1, 0);
        assertNull(DifferentialTest.compare(CASE, BASE, other, false));
        assertNotNull(DifferentialTest.compare(CASE, BASE, outcome(5, 0, 0x202 | CaseBuilder.AF, 0x40002, -1, 0), true));
    }
}
