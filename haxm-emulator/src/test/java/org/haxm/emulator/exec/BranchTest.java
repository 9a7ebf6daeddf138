package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.junit.jupiter.api.Test;

/** Near and far branches, calls and returns, LOOP/JCXZ, and branch-target checks. */
class BranchTest {
    private static final int RAX = 0, RCX = 1, RBX = 3, RSP = 4;
    private static final long CODE = TestMachine.CODE;

    @Test
    void jccTakenAndNotTaken() {
        TestMachine m = TestMachine.long64().code("74 10").flags(CpuState.RESERVED1 | CpuState.ZF).step();
        assertEquals(CODE + 2 + 0x10, m.state.rip);
        m = TestMachine.long64().code("74 10").flags(CpuState.RESERVED1).step();
        assertEquals(CODE + 2, m.state.rip);
        m = TestMachine.long64().code("7C F0").flags(CpuState.RESERVED1 | CpuState.SF).step(); // jl: SF != OF
        assertEquals(CODE + 2 - 0x10, m.state.rip);
    }

    @Test
    void sixteenBitTargetsWrap() {
        TestMachine m = TestMachine.real().code("E9 00 F0").step();
        assertEquals(0x0003, m.state.rip);
    }

    @Test
    void callAndReturnWithImmediate() {
        TestMachine m = TestMachine.long64().code("E8 FB 0F 00 00"); // call 0x2000
        m.step();
        assertEquals(0x2000, m.state.rip);
        assertEquals(0x7FF8, m.reg(RSP));
        assertEquals(CODE + 5, m.peek(0x7FF8, 8));
        m.code("C2 08 00").step();
        assertEquals(CODE + 5, m.state.rip);
        assertEquals(0x8008, m.reg(RSP));
    }

    @Test
    void indirectCallThroughMemory() {
        TestMachine m = TestMachine.protected32().code("FF 13").reg(RBX, 0x3000);
        m.poke(0x3000, 4, 0x4000);
        m.step();
        assertEquals(0x4000, m.state.rip);
        assertEquals(CODE + 2, m.peek(0x7FFC, 4));
    }

    @Test
    void loopCountsDown() {
        TestMachine m = TestMachine.long64().code("E2 FE").reg(RCX, 3);
        m.step();
        assertEquals(CODE, m.state.rip);
        assertEquals(2, m.reg(RCX));
        m.steps(2);
        assertEquals(0, m.reg(RCX));
        assertEquals(CODE + 2, m.state.rip);
    }

    @Test
    void loopeStopsWhenZfClear() {
        TestMachine m = TestMachine.long64().code("E1 FE").reg(RCX, 5).flags(CpuState.RESERVED1).step();
        assertEquals(CODE + 2, m.state.rip);
        assertEquals(4, m.reg(RCX));
    }

    @Test
    void jcxzFamily() {
        TestMachine m = TestMachine.long64().code("E3 05").reg(RCX, 0x1_0000_0000L).step();
        assertEquals(CODE + 2, m.state.rip, "jrcxz looks at all of RCX");
        m = TestMachine.long64().code("67 E3 05").reg(RCX, 0x1_0000_0000L).step();
        assertEquals(CODE + 3 + 5, m.state.rip, "jecxz looks at ECX");
    }

    @Test
    void nonCanonicalTargetFaultsWithoutMoving() {
        TestMachine m = TestMachine.long64().code("FF E0").reg(RAX, 0x0000_8000_0000_0000L);
        TestFaults.expectFault(m, 13);
        assertEquals(CODE, m.state.rip);
    }

    @Test
    void targetBeyondCsLimitFaults() {
        TestMachine m = TestMachine.protected32().code("FF E0").reg(RAX, 0x20000);
        m.state.seg(Segment.CS).limit = 0xFFFF;
        TestFaults.expectFault(m, 13);
        assertEquals(CODE, m.state.rip);
    }

    @Test
    void farJumpInRealMode() {
        TestMachine m = TestMachine.real().code("EA 34 12 00 20").step();
        assertEquals(0x2000, m.state.seg(Segment.CS).selector);
        assertEquals(0x20000, m.state.seg(Segment.CS).base);
        assertEquals(0x1234, m.state.rip);
    }

    @Test
    void farCallAndReturnInRealMode() {
        TestMachine m = TestMachine.real().code("9A 00 01 00 30").step();
        assertEquals(0x3000, m.state.seg(Segment.CS).selector);
        assertEquals(0x100, m.state.rip);
        assertEquals(0, m.peek(0x7FFE, 2), "old CS");
        assertEquals(CODE + 5, m.peek(0x7FFC, 2), "return IP");
        m.code("CB").step();
        assertEquals(0, m.state.seg(Segment.CS).selector);
        assertEquals(CODE + 5, m.state.rip);
        assertEquals(0x8000, m.reg(RSP));
    }

    @Test
    void softwareInterruptInRealModeGoesThroughIvt() {
        TestMachine m = TestMachine.real().code("CD 21");
        m.poke(0x21 * 4, 2, 0x0100);
        m.poke(0x21 * 4 + 2, 2, 0x3000);
        m.flags(CpuState.RESERVED1 | CpuState.IF);
        m.step();
        assertEquals(0x3000, m.state.seg(Segment.CS).selector);
        assertEquals(0x100, m.state.rip);
        assertEquals(CODE + 2, m.peek(0x7FFA, 2), "return IP");
        assertEquals(0, m.state.rflags() & CpuState.IF, "IF cleared by the interrupt");
        m.code("CF").step(); // iret
        assertEquals(CODE + 2, m.state.rip);
        assertEquals(0x8000, m.reg(RSP));
    }

    @Test
    void intoWithoutOverflowFallsThrough() {
        TestMachine m = TestMachine.protected32().code("CE").flags(CpuState.RESERVED1).step();
        assertEquals(CODE + 1, m.state.rip);
    }
}
