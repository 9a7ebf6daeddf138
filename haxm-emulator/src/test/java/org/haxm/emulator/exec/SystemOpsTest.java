package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.haxm.emulator.SensitiveInstruction;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.junit.jupiter.api.Test;

/** Sensitive and system instructions: privilege checks, hook reports, native behaviour. */
class SystemOpsTest {
    private static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3;
    private static final long CODE = TestMachine.CODE;

    @Test
    void movToCr3ReportsValueThenLoads() {
        TestMachine m = TestMachine.long64().code("0F 22 D8").reg(RAX, 0xFD000);
        m.step();
        assertEquals(List.of(SensitiveInstruction.MOV_TO_CR), m.intercepts);
        assertEquals(0xFD000, m.interceptValues.get(0));
        assertEquals(3, m.cpu.interceptInfo().crNumber);
        assertEquals(0xFD000, m.state.cr3);
    }

    @Test
    void movFromCr0IsNotInterceptedButCr3Is() {
        TestMachine m = TestMachine.long64().code("0F 20 C0 0F 20 D9");
        m.steps(2);
        assertEquals(m.state.cr0, m.reg(RAX));
        assertEquals(m.state.cr3, m.reg(RCX));
        assertEquals(List.of(SensitiveInstruction.MOV_FROM_CR), m.intercepts);
    }

    @Test
    void movCrAtCpl3FaultsBeforeTheHook() {
        TestMachine m = TestMachine.protected32().userMode().code("0F 22 C0");
        TestFaults.expectFault(m, 13);
        assertTrue(m.intercepts.isEmpty());
    }

    @Test
    void lgdtWith16BitOperandKeeps24BaseBits() {
        TestMachine m = TestMachine.real().code("0F 01 16 00 20 66 0F 01 1E 00 20");
        m.poke(0x2000, 2, 0x27);
        m.poke(0x2002, 4, 0xAABBCCDDL);
        m.step();
        assertEquals(0x27, m.state.gdtrLimit);
        assertEquals(0xBBCCDD, m.state.gdtrBase);
        m.step(); // 66 lidt: full 32-bit base
        assertEquals(0xAABBCCDDL, m.state.idtrBase);
        assertEquals(List.of(SensitiveInstruction.DESCRIPTOR_TABLE, SensitiveInstruction.DESCRIPTOR_TABLE), m.intercepts);
    }

    @Test
    void sgdtIn64BitModeStoresTenBytes() {
        TestMachine m = TestMachine.long64().code("0F 01 03").reg(RBX, 0x2000);
        m.state.gdtrBase = 0xFFFF_8000_1234_5678L;
        m.state.gdtrLimit = 0x3F;
        m.step();
        assertEquals(0x3F, m.peek(0x2000, 2));
        assertEquals(0xFFFF_8000_1234_5678L, m.peek(0x2002, 8));
    }

    @Test
    void cpuidLeafZeroIsGenuineIntel() {
        TestMachine m = TestMachine.long64().code("0F A2").reg(RAX, 0).step();
        byte[] vendor = new byte[12];
        long[] parts = {m.reg(RBX), m.reg(RDX), m.reg(RCX)};
        for (int i = 0; i < 12; i++) vendor[i] = (byte) (parts[i / 4] >>> (8 * (i % 4)));
        assertEquals("GenuineIntel", new String(vendor, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, m.reg(RAX));
        assertEquals(List.of(SensitiveInstruction.CPUID), m.intercepts);
    }

    @Test
    void hltEntersHaltStateAfterAdvancingRip() {
        TestMachine m = TestMachine.protected32().code("F4").step();
        assertEquals(CpuState.HLT, m.state.activityState);
        assertEquals(CODE + 1, m.state.rip);
    }

    @Test
    void wrmsrThenRdmsr() {
        TestMachine m = TestMachine.long64().code("0F 30 0F 32").reg(RCX, 0x174).reg(RAX, 0x10).reg(RDX, 0);
        m.step();
        assertEquals(0x10, m.state.sysenterCs);
        m.reg(RAX, -1).reg(RDX, -1).step();
        assertEquals(0x10, m.reg(RAX));
        assertEquals(0, m.reg(RDX));
        assertEquals(List.of(SensitiveInstruction.WRMSR, SensitiveInstruction.RDMSR), m.intercepts);
    }

    @Test
    void cliAtCpl3WithoutIoplFaults() {
        TestMachine m = TestMachine.protected32().userMode().code("FA").flags(CpuState.RESERVED1 | CpuState.IF);
        TestFaults.expectFault(m, 13);
        assertTrue(m.flag(CpuState.IF));
    }

    @Test
    void stiSetsIfAndBlocksForOneInstruction() {
        TestMachine m = TestMachine.protected32().code("FB").flags(CpuState.RESERVED1).step();
        assertTrue(m.flag(CpuState.IF));
        assertTrue((m.state.interruptibility & CpuState.BLOCKING_BY_STI) != 0);
    }

    @Test
    void vmcallIsReportedThenUndefined() {
        TestMachine m = TestMachine.long64().code("0F 01 C1");
        TestFaults.expectFault(m, 6);
        assertEquals(List.of(SensitiveInstruction.VMX), m.intercepts);
    }

    @Test
    void ud2AndDecoderFaultsRaiseUd() {
        TestFaults.expectFault(TestMachine.long64().code("0F 0B"), 6);
        TestFaults.expectFault(TestMachine.long64().code("F0 90"), 6); // LOCK NOP
    }

    @Test
    void xsetbvNeedsOsxsave() {
        TestMachine m = TestMachine.long64().code("0F 01 D1").reg(RAX, 3);
        TestFaults.expectFault(m, 6);
        m.state.cr4 |= CpuState.CR4_OSXSAVE;
        m.step();
        assertEquals(3, m.state.xcr0);
        m.code("0F 01 D0").reg(RAX, 0).reg(RCX, 0).step(); // xgetbv
        assertEquals(3, m.reg(RAX));
    }

    @Test
    void syscallAndSysretRoundTrip() {
        TestMachine m = TestMachine.long64().code("0F 05");
        m.state.star = (0x10L << 48) | (0x08L << 32);
        m.state.lstar = 0x5000;
        m.state.sfmask = CpuState.IF;
        m.flags(CpuState.RESERVED1 | CpuState.IF);
        m.step();
        assertEquals(0x5000, m.state.rip);
        assertEquals(CODE + 2, m.reg(RCX));
        assertEquals(0x08, m.state.seg(Segment.CS).selector);
        assertTrue(!m.flag(CpuState.IF));
        m.code("48 0F 07").step(); // sysretq
        assertEquals(CODE + 2, m.state.rip);
        assertEquals(0x10 + 16 | 3, m.state.seg(Segment.CS).selector);
        assertEquals(3, m.state.cpl());
        assertTrue(m.flag(CpuState.IF));
    }

    @Test
    void rdtscAtCpl3WithTsdFaults() {
        TestMachine m = TestMachine.protected32().userMode().code("0F 31");
        m.state.cr4 |= CpuState.CR4_TSD;
        TestFaults.expectFault(m, 13);
        m.state.cr4 &= ~CpuState.CR4_TSD;
        m.state.instructionsRetired = 0x1_0000_0005L;
        m.step();
        assertEquals(5, m.reg(RAX));
        assertEquals(1, m.reg(RDX));
    }

    @Test
    void flagInstructions() {
        TestMachine m = TestMachine.real().code("F9 F5 FD 9F").flags(CpuState.RESERVED1 | CpuState.ZF);
        m.step();
        assertTrue(m.flag(CpuState.CF));
        m.step();
        assertTrue(!m.flag(CpuState.CF));
        m.step();
        assertTrue(m.flag(CpuState.DF));
        m.step();
        assertEquals(0x42, (m.reg(RAX) >>> 8) & 0xFF, "LAHF: ZF and the always-1 bit");
    }
}
