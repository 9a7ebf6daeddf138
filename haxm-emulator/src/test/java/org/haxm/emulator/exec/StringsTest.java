package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.haxm.emulator.InstructionAbort;
import org.haxm.emulator.cpu.CpuState;
import org.junit.jupiter.api.Test;

/** String instructions: one iteration per step, REP termination, DF, address-size wrap. */
class StringsTest {
    private static final int RAX = 0, RCX = 1, RSI = 6, RDI = 7;
    private static final long CODE = TestMachine.CODE;

    @Test
    void repMovsbRunsOneIterationPerStepAndKeepsRipUntilDone() {
        TestMachine m = TestMachine.protected32().code("F3 A4").reg(RCX, 3).reg(RSI, 0x2000).reg(RDI, 0x3000);
        m.poke(0x2000, 4, 0x00332211);
        m.step();
        assertEquals(CODE, m.state.rip, "REP not finished: RIP stays");
        assertEquals(2, m.reg(RCX));
        assertEquals(0x11, m.peek(0x3000, 1));
        assertEquals(0, m.peek(0x3001, 1), "only one byte per step");
        m.steps(2);
        assertEquals(CODE + 2, m.state.rip);
        assertEquals(0, m.reg(RCX));
        assertEquals(0x332211, m.peek(0x3000, 4));
        assertEquals(0x2003, m.reg(RSI));
        assertEquals(0x3003, m.reg(RDI));
    }

    @Test
    void repWithZeroCountDoesNothing() {
        TestMachine m = TestMachine.protected32().code("F3 A4").reg(RCX, 0).reg(RSI, 0x2000).reg(RDI, 0x3000);
        m.poke(0x2000, 1, 0x55);
        m.step();
        assertEquals(CODE + 2, m.state.rip);
        assertEquals(0, m.peek(0x3000, 1));
        assertEquals(0x2000, m.reg(RSI));
    }

    @Test
    void directionFlagMovesBackwards() {
        TestMachine m = TestMachine.protected32().code("A5").reg(RSI, 0x2000).reg(RDI, 0x3000).flags(CpuState.RESERVED1 | CpuState.DF);
        m.poke(0x2000, 4, 0xDEADBEEFL);
        m.step();
        assertEquals(0xDEADBEEFL, m.peek(0x3000, 4));
        assertEquals(0x1FFC, m.reg(RSI));
        assertEquals(0x2FFC, m.reg(RDI));
    }

    @Test
    void repStosdFills() {
        TestMachine m = TestMachine.protected32().code("F3 AB").reg(RCX, 4).reg(RDI, 0x3000).reg(RAX, 0xA5A5A5A5L);
        m.steps(4);
        for (int i = 0; i < 4; i++) assertEquals(0xA5A5A5A5L, m.peek(0x3000 + 4 * i, 4));
        assertEquals(CODE + 2, m.state.rip);
    }

    @Test
    void repeCmpsbStopsAtFirstDifference() {
        TestMachine m = TestMachine.protected32().code("F3 A6").reg(RCX, 10).reg(RSI, 0x2000).reg(RDI, 0x3000);
        m.poke(0x2000, 4, 0x58636261L); // "abcX"
        m.poke(0x3000, 4, 0x59636261L); // "abcY"
        int steps = 0;
        while (m.state.rip == CODE) { m.step(); steps++; }
        assertEquals(4, steps);
        assertEquals(6, m.reg(RCX));
        assertFalse(m.flag(CpuState.ZF));
        assertTrue(m.flag(CpuState.CF), "'X' < 'Y'");
    }

    @Test
    void repneScasbFindsByte() {
        TestMachine m = TestMachine.protected32().code("F2 AE").reg(RCX, 100).reg(RDI, 0x3000).reg(RAX, 0x2A);
        m.poke(0x3005, 1, 0x2A);
        while (m.state.rip == CODE) m.step();
        assertEquals(0x3006, m.reg(RDI));
        assertEquals(94, m.reg(RCX));
        assertTrue(m.flag(CpuState.ZF));
    }

    @Test
    void lodsLoadsAccumulator() {
        TestMachine m = TestMachine.long64().code("48 AD").reg(RSI, 0x2000);
        m.poke(0x2000, 8, 0x0102030405060708L);
        m.step();
        assertEquals(0x0102030405060708L, m.reg(RAX));
        assertEquals(0x2008, m.reg(RSI));
    }

    @Test
    void sixteenBitAddressingWrapsSiWithinSegment() {
        TestMachine m = TestMachine.real().code("A4").reg(RSI, 0xABCD_FFFFL).reg(RDI, 0x3000);
        m.poke(0xFFFF, 1, 0x77);
        m.step();
        assertEquals(0x77, m.peek(0x3000, 1));
        assertEquals(0xABCD_0000L, m.reg(RSI), "SI wraps to 0, upper ESI bits kept");
    }

    @Test
    void abortedIterationLeavesRegistersOfPreviousIteration() {
        TestMachine m = TestMachine.protected32().code("F3 A4").reg(RCX, 8).reg(RSI, 0x2000).reg(RDI, 0x3FFF);
        m.step(); // writes 0x3FFF
        m.abortWritesToPage = 0x4;
        assertThrows(InstructionAbort.class, m::step);
        assertEquals(7, m.reg(RCX));
        assertEquals(0x2001, m.reg(RSI));
        assertEquals(0x4000, m.reg(RDI));
        assertEquals(CODE, m.state.rip);
    }
}
