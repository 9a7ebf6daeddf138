package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;
import org.haxm.emulator.decoder.OperandKind;
import org.junit.jupiter.api.Test;

/** The dispatcher: decoder faults, unimplemented mnemonics, RIP truncation, and a hand-built instruction. */
class ExecutorTest {

    @Test
    void decoderFaultsAreRaisedWithTheirErrorCode() {
        TestMachine m = TestMachine.long64();
        DecodedInstruction insn = new DecodedInstruction();
        insn.clear();
        insn.fault = DecodedInstruction.FAULT_GP;
        insn.length = 15;
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.haxm.emulator.CpuException.class,
            () -> m.executor.execute(m.cpu, insn));
        assertEquals(13, e.vector);
        assertEquals(0, e.errorCode);
    }

    @Test
    void everyGeneralPurposeGroupAIsImplemented() {
        for (Mnemonic mn : new Mnemonic[] {Mnemonic.MOV, Mnemonic.ADD, Mnemonic.PUSH, Mnemonic.POP, Mnemonic.JMP,
            Mnemonic.CALL, Mnemonic.RET, Mnemonic.MOVS, Mnemonic.IN, Mnemonic.OUTS, Mnemonic.LGDT, Mnemonic.CPUID,
            Mnemonic.HLT, Mnemonic.IRET, Mnemonic.ENTER, Mnemonic.CRC32, Mnemonic.PDEP}) {
            assertTrue(Executor.implemented(mn), mn.name());
        }
        assertFalse(Executor.implemented(Mnemonic.INVALID));
    }

    @Test
    void ripWrapsIn16BitCode() {
        TestMachine m = TestMachine.real();
        m.state.rip = 0xFFFF;
        m.poke(0xFFFF, 1, 0x90); // nop at the top of the segment
        m.step();
        assertEquals(0, m.state.rip);
    }

    @Test
    void handBuiltInstructionExecutes() {
        TestMachine m = TestMachine.long64().reg(0, 40).reg(3, 2);
        DecodedInstruction insn = new DecodedInstruction();
        insn.clear();
        insn.mnemonic = Mnemonic.ADD;
        insn.length = 3;
        insn.operandSize = 8;
        insn.addressSize = 8;
        insn.operandCount = 2;
        insn.opKind[0] = OperandKind.GPR; insn.opReg[0] = 0; insn.opSize[0] = 8;
        insn.opKind[1] = OperandKind.GPR; insn.opReg[1] = 3; insn.opSize[1] = 8;
        m.executor.execute(m.cpu, insn);
        assertEquals(42, m.reg(0));
        assertEquals(TestMachine.CODE + 3, m.state.rip);
        assertFalse(m.flag(CpuState.ZF));
    }
}
