package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.haxm.emulator.InstructionAbort;
import org.haxm.emulator.cpu.CpuState;
import org.junit.jupiter.api.Test;

/** PUSH/POP in all widths, PUSHA/POPA, PUSHF/POPF privilege rules, ENTER/LEAVE. */
class StackTest {
    private static final int RAX = 0, RCX = 1, RBX = 3, RSP = 4, RBP = 5;

    @Test
    void pushPopIn64BitMode() {
        TestMachine m = TestMachine.long64().code("50 6A FF 66 53 58 59").reg(RAX, 0x1122334455667788L).reg(RBX, 0xABCD);
        m.steps(3);
        assertEquals(0x8000 - 8 - 8 - 2, m.reg(RSP));
        assertEquals(0x1122334455667788L, m.peek(0x7FF8, 8));
        assertEquals(-1L, m.peek(0x7FF0, 8), "push imm8 is sign-extended to 64 bits");
        assertEquals(0xABCD, m.peek(0x7FEE, 2));
        m.step(); // pop rax reads 8 bytes at 0x7FEE
        assertEquals(0x7FF6, m.reg(RSP));
    }

    @Test
    void popToMemoryAddressedByRspUsesIncrementedRsp() {
        TestMachine m = TestMachine.long64().code("8F 04 24");
        m.poke(0x8000, 8, 0xAABB);
        m.step();
        assertEquals(0x8008, m.reg(RSP));
        assertEquals(0xAABB, m.peek(0x8008, 8));
    }

    @Test
    void realModeStackWrapsAt64K() {
        TestMachine m = TestMachine.real().code("50").reg(RSP, 0).reg(RAX, 0xBEEF).step();
        assertEquals(0xFFFE, m.reg(RSP));
        assertEquals(0xBEEF, m.peek(0xFFFE, 2));
    }

    @Test
    void pushaPopaRoundTrip() {
        TestMachine m = TestMachine.protected32().code("60 61");
        for (int r = 0; r < 8; r++) if (r != RSP) m.reg(r, 0x100 + r);
        m.step();
        assertEquals(0x8000 - 32, m.reg(RSP));
        assertEquals(0x8000, m.peek(0x8000 - 20, 4), "original ESP stored in the fourth slot");
        assertEquals(0x100, m.peek(0x8000 - 4, 4), "EAX pushed first");
        for (int r = 0; r < 8; r++) if (r != RSP) m.reg(r, 0);
        m.step();
        for (int r = 0; r < 8; r++) if (r != RSP) assertEquals(0x100 + r, m.reg(r), "register " + r);
        assertEquals(0x8000, m.reg(RSP));
    }

    @Test
    void popfAtCpl0ChangesIoplAndIf() {
        TestMachine m = TestMachine.protected32().code("9D");
        m.poke(0x8000, 4, CpuState.IOPL | CpuState.IF | CpuState.CF | CpuState.VM);
        m.step();
        long f = m.state.rflags();
        assertEquals(CpuState.IOPL, f & CpuState.IOPL);
        assertTrue((f & CpuState.IF) != 0);
        assertTrue((f & CpuState.CF) != 0);
        assertFalse((f & CpuState.VM) != 0, "POPF never sets VM");
    }

    @Test
    void popfAtCpl3KeepsIoplAndIf() {
        TestMachine m = TestMachine.protected32().userMode().code("9D");
        m.flags(CpuState.RESERVED1);
        m.poke(0x8000, 4, CpuState.IOPL | CpuState.IF | CpuState.ZF);
        m.step();
        long f = m.state.rflags();
        assertEquals(0, f & CpuState.IOPL);
        assertEquals(0, f & CpuState.IF);
        assertTrue((f & CpuState.ZF) != 0);
    }

    @Test
    void pushfClearsVmAndRfInImage() {
        TestMachine m = TestMachine.protected32().code("9C").flags(CpuState.RESERVED1 | CpuState.RF | CpuState.DF).step();
        assertEquals(CpuState.RESERVED1 | CpuState.DF, m.peek(0x7FFC, 4));
    }

    @Test
    void enterAndLeave() {
        TestMachine m = TestMachine.long64().code("C8 10 00 00 C9").reg(RBP, 0x9999);
        m.step();
        assertEquals(0x7FF8, m.reg(RBP));
        assertEquals(0x7FF8 - 0x10, m.reg(RSP));
        assertEquals(0x9999, m.peek(0x7FF8, 8));
        m.step();
        assertEquals(0x9999, m.reg(RBP));
        assertEquals(0x8000, m.reg(RSP));
    }

    @Test
    void nestedEnterCopiesFramePointers() {
        TestMachine m = TestMachine.protected32().code("C8 08 00 02").reg(RBP, 0x9000);
        m.poke(0x9000 - 4, 4, 0x12345678); // the outer frame's saved frame pointer
        m.step();
        assertEquals(0x9000, m.peek(0x7FFC, 4), "old EBP");
        assertEquals(0x12345678, m.peek(0x7FF8, 4), "copied outer frame pointer");
        assertEquals(0x7FFC, m.peek(0x7FF4, 4), "new frame pointer");
        assertEquals(0x7FFC, m.reg(RBP));
        assertEquals(0x7FF4 - 8, m.reg(RSP));
    }

    @Test
    void abortedPushLeavesRspUnchanged() {
        TestMachine m = TestMachine.long64().code("50");
        m.abortWritesToPage = 0x7;
        assertThrows(InstructionAbort.class, m::step);
        assertEquals(0x8000, m.reg(RSP));
        assertEquals(TestMachine.CODE, m.state.rip);
    }

    @Test
    void pushSegmentRegisterAndPopDs() {
        TestMachine m = TestMachine.real().code("0E 1F");
        m.state.seg[1].selector = 0; // CS selector 0
        m.poke(0, 1, 0);
        m.step();
        assertEquals(0x7FFE, m.reg(RSP));
        m.poke(0x7FFE, 2, 0x2000);
        m.step();
        assertEquals(0x2000, m.state.seg[3].selector);
        assertEquals(0x20000, m.state.seg[3].base);
        assertEquals(0x8000, m.reg(RSP));
        assertEquals(0, m.reg(RCX));
    }

    @Test
    void popSsAdjustsSpWithTheOldStackSize() {
        TestMachine m = TestMachine.protected32().code("17").reg(RSP, 0xABCD_FFFEL);
        m.state.seg[2].set(0x10, 0, 0xFFFF_FFFF, 0x8093); // 16-bit stack (B=0) before the load
        m.state.gdtrBase = 0x6000;
        m.state.gdtrLimit = 0x1F;
        m.poke(0x6018, 8, 0x00CF_9200_0000_FFFFL); // selector 0x18: 32-bit (B=1) data
        m.poke(0xFFFE, 2, 0x18);
        m.step();
        assertEquals(0x18, m.state.seg[2].selector);
        assertEquals(0xABCD_0002L, m.reg(RSP), "32-bit pop: SP += 4, wrapped as a 16-bit stack pointer");
        assertTrue((m.state.interruptibility & CpuState.BLOCKING_BY_MOV_SS) != 0);
    }
}
