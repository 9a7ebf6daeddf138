package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.haxm.emulator.InstructionAbort;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.junit.jupiter.api.Test;

/**
 * Precise faults and restartable VM exits: when a memory access faults or is aborted, no
 * register, flag or RIP has changed (the engine re-executes the instruction after the exit).
 */
class FaultOrderingTest {
    private static final int RAX = 0, RBX = 3, RSP = 4;
    private static final long CODE = TestMachine.CODE;

    @Test
    void segmentLimitFaultOnReadModifyWriteChangesNothing() {
        TestMachine m = TestMachine.protected32().code("01 03").reg(RAX, 1).reg(RBX, 0x2000);
        m.state.seg(Segment.DS).limit = 0xFFF;
        long flags = m.state.rflags();
        TestFaults.expectFault(m, 13);
        assertEquals(1, m.reg(RAX));
        assertEquals(flags, m.state.rflags());
        assertEquals(CODE, m.state.rip);
    }

    @Test
    void abortedAluWriteLeavesFlagsAndRip() {
        TestMachine m = TestMachine.long64().code("48 29 03").reg(RAX, 5).reg(RBX, 0x2000).flags(CpuState.RESERVED1);
        m.abortWritesToPage = 2;
        assertThrows(InstructionAbort.class, m::step);
        assertEquals(CpuState.RESERVED1, m.state.rflags());
        assertEquals(CODE, m.state.rip);
        m.abortWritesToPage = -1;
        m.step(); // re-executed after the "exit": now completes
        assertEquals(-5L, m.peek(0x2000, 8));
        assertEquals(CODE + 3, m.state.rip);
    }

    @Test
    void callWhosePushIsAbortedKeepsRipAndRsp() {
        TestMachine m = TestMachine.long64().code("E8 00 10 00 00");
        m.abortWritesToPage = 7;
        assertThrows(InstructionAbort.class, m::step);
        assertEquals(CODE, m.state.rip);
        assertEquals(0x8000, m.reg(RSP));
    }

    @Test
    void xchgWithAbortedStoreKeepsRegister() {
        TestMachine m = TestMachine.long64().code("48 87 03").reg(RAX, 1).reg(RBX, 0x2000);
        m.poke(0x2000, 8, 2);
        m.abortWritesToPage = 2;
        assertThrows(InstructionAbort.class, m::step);
        assertEquals(1, m.reg(RAX));
        assertEquals(2, m.peek(0x2000, 8));
    }

    @Test
    void divideErrorLeavesAccumulators() {
        TestMachine m = TestMachine.protected32().code("F7 F3").reg(RAX, 10).reg(2, 0).reg(RBX, 0);
        TestFaults.expectFault(m, 0);
        assertEquals(10, m.reg(RAX));
        assertEquals(CODE, m.state.rip);
    }
}
