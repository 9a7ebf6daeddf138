package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.junit.jupiter.api.Test;

/** LAR, LSL, VERR, VERW, ARPL against a small GDT, plus the FSGSBASE instructions. */
class DescriptorOpsTest {
    private static final int RAX = 0, RBX = 3;

    private static TestMachine withGdt() {
        TestMachine m = TestMachine.protected32();
        m.state.gdtrBase = 0x6000;
        m.state.gdtrLimit = 0x1F;
        m.poke(0x6008, 8, 0x00CF_9A00_0000_FFFFL); // 0x08: flat 32-bit code, DPL 0
        m.poke(0x6010, 8, 0x00CF_9200_0000_FFFFL); // 0x10: flat data, DPL 0
        m.poke(0x6018, 8, 0x0040_F200_0000_0FFFL); // 0x18: data, DPL 3, limit 0xFFF bytes
        return m;
    }

    @Test
    void larReturnsAccessRightsOfCodeSegment() {
        TestMachine m = withGdt().code("0F 02 C3").reg(RBX, 0x08).step();
        assertTrue(m.flag(CpuState.ZF));
        assertEquals(0x00C0_9A00L, m.reg(RAX));
    }

    @Test
    void lslReturnsScaledLimit() {
        TestMachine m = withGdt().code("0F 03 C3 0F 03 C3").reg(RBX, 0x10).step();
        assertEquals(0xFFFF_FFFFL, m.reg(RAX));
        m.reg(RBX, 0x18).step();
        assertEquals(0xFFF, m.reg(RAX));
    }

    @Test
    void selectorsBeyondTheLimitOrNullClearZf() {
        TestMachine m = withGdt().code("0F 02 C3 0F 02 C3").reg(RAX, 7).reg(RBX, 0x20).flags(CpuState.RESERVED1 | CpuState.ZF).step();
        assertFalse(m.flag(CpuState.ZF));
        assertEquals(7, m.reg(RAX), "destination untouched on failure");
        m.reg(RBX, 0).flags(CpuState.RESERVED1 | CpuState.ZF).step();
        assertFalse(m.flag(CpuState.ZF));
    }

    @Test
    void verrAndVerwHonourPrivilegeAndType() {
        TestMachine m = withGdt().userMode().code("0F 00 E3 0F 00 E3 0F 00 EB").reg(RBX, 0x10).step();
        assertFalse(m.flag(CpuState.ZF), "DPL-0 data is not readable from CPL 3");
        m.reg(RBX, 0x1B).step();
        assertTrue(m.flag(CpuState.ZF), "DPL-3 data readable");
        m.reg(RBX, 0x08).step();
        assertFalse(m.flag(CpuState.ZF), "code is never writable");
    }

    @Test
    void arplRaisesRpl() {
        TestMachine m = withGdt().code("63 D8 63 D8").reg(RAX, 0x10).reg(RBX, 0x03).step();
        assertEquals(0x13, m.reg(RAX));
        assertTrue(m.flag(CpuState.ZF));
        m.step();
        assertFalse(m.flag(CpuState.ZF));
    }

    @Test
    void larIsUndefinedInRealMode() {
        TestFaults.expectFault(TestMachine.real().code("0F 02 C3"), 6);
    }

    @Test
    void fsgsbaseNeedsCr4Bit() {
        TestMachine m = TestMachine.long64().code("F3 48 0F AE D0").reg(RAX, 0x7000_0000_1000L); // wrfsbase rax
        TestFaults.expectFault(m, 6);
        m.state.cr4 |= CpuState.CR4_FSGSBASE;
        m.step();
        assertEquals(0x7000_0000_1000L, m.state.seg(Segment.FS).base);
        m.code("F3 48 0F AE C3").step(); // rdfsbase rbx
        assertEquals(0x7000_0000_1000L, m.reg(RBX));
    }
}
