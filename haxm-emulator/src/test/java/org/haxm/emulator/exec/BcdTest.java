package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.haxm.emulator.cpu.CpuState;
import org.junit.jupiter.api.Test;

/** Decimal adjustment (examples from SDM Vol. 2A "DAA"/"DAS"/"AAM"/"AAD"). */
class BcdTest {
    private static final int RAX = 0;

    @Test
    void daaAfterPackedBcdAdd() {
        TestMachine m = TestMachine.real().code("04 35 27").reg(RAX, 0x79);
        m.steps(2);
        assertEquals(0x14, m.reg(RAX) & 0xFF);
        assertTrue(m.flag(CpuState.CF));
    }

    @Test
    void dasAfterPackedBcdSubtract() {
        TestMachine m = TestMachine.real().code("2C 47 2F").reg(RAX, 0x35);
        m.steps(2);
        assertEquals(0x88, m.reg(RAX) & 0xFF);
        assertTrue(m.flag(CpuState.CF));
    }

    @Test
    void aamAndAad() {
        TestMachine m = TestMachine.real().code("D4 0A D5 0A").reg(RAX, 79);
        m.step();
        assertEquals(0x0709, m.reg(RAX) & 0xFFFF);
        m.step();
        assertEquals(79, m.reg(RAX) & 0xFFFF);
    }

    @Test
    void aamByZeroIsDivideError() {
        TestMachine m = TestMachine.real().code("D4 00").reg(RAX, 5);
        TestFaults.expectFault(m, 0);
        assertEquals(5, m.reg(RAX));
    }

    @Test
    void aaaAdjustsUnpackedSum() {
        TestMachine m = TestMachine.real().code("04 08 37").reg(RAX, 0x0009); // 9 + 8 = 17
        m.steps(2);
        assertEquals(0x0107, m.reg(RAX) & 0xFFFF);
        assertTrue(m.flag(CpuState.CF));
    }
}
