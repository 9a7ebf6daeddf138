package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.haxm.emulator.SensitiveInstruction;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.junit.jupiter.api.Test;

/** IN/OUT/INS/OUTS: port bus traffic, intercept hook, and the TSS I/O permission bitmap. */
class PortIoTest {
    private static final int RAX = 0, RCX = 1, RDX = 2, RSI = 6, RDI = 7;

    @Test
    void immediateAndDxForms() {
        TestMachine m = TestMachine.real().code("E6 80 E4 60 EC 66 ED").reg(RAX, 0x1234).reg(RDX, 0x3F8);
        m.steps(4);
        assertEquals(List.of("out 80/1=34", "in 60/1", "in 3f8/1", "in 3f8/4"), m.portLog);
        assertEquals(0x5A5A5A5AL, m.reg(RAX));
        assertEquals(List.of(SensitiveInstruction.IO, SensitiveInstruction.IO, SensitiveInstruction.IO, SensitiveInstruction.IO),
            m.intercepts);
        assertEquals(List.of(0x80L, 0x60L, 0x3F8L, 0x3F8L), m.interceptValues);
    }

    @Test
    void inWith32BitOperandZeroExtendsIn64BitMode() {
        TestMachine m = TestMachine.long64().code("ED").reg(RAX, -1).reg(RDX, 0x10);
        m.step();
        assertEquals(0x5A5A5A5AL, m.reg(RAX));
    }

    @Test
    void repOutsbSendsEachByte() {
        TestMachine m = TestMachine.protected32().code("F3 6E").reg(RCX, 2).reg(RSI, 0x2000).reg(RDX, 0xE9);
        m.poke(0x2000, 2, 0x6968);
        m.steps(2);
        assertEquals(List.of("out e9/1=68", "out e9/1=69"), m.portLog);
        assertEquals(TestMachine.CODE + 2, m.state.rip);
        assertEquals(m.cpu.interceptInfo().linearAddress, 0x2001);
        assertTrue(m.cpu.interceptInfo().string && m.cpu.interceptInfo().rep);
    }

    @Test
    void insbStoresPortData() {
        TestMachine m = TestMachine.protected32().code("6C").reg(RDI, 0x3000).reg(RDX, 0x71);
        m.portInValue = 0xC3;
        m.step();
        assertEquals(0xC3, m.peek(0x3000, 1));
        assertEquals(0x3001, m.reg(RDI));
    }

    private static TestMachine userWithTss(int deniedPort) {
        TestMachine m = TestMachine.protected32().userMode();
        m.state.seg(Segment.TR).set(0x28, 0x5000, 0x68 + 0x2000, 0x8B);
        m.poke(0x5066, 2, 0x68);
        if (deniedPort >= 0) m.poke(0x5068 + deniedPort / 8, 1, 1 << (deniedPort % 8));
        return m;
    }

    @Test
    void userModeNeedsBitmapPermission() {
        TestMachine m = userWithTss(0x81).code("66 E7 80").reg(RAX, 0xFFFF); // out 0x80, ax touches 0x80-0x81
        TestFaults.expectFault(m, 13);
        assertTrue(m.portLog.isEmpty());
        assertTrue(m.intercepts.isEmpty(), "#GP takes priority over the I/O exit");
    }

    @Test
    void userModeWithClearBitsMayAccessPort() {
        TestMachine m = userWithTss(0x82).code("66 E7 80").reg(RAX, 0xFFFF);
        m.step();
        assertEquals(List.of("out 80/2=ffff"), m.portLog);
    }

    @Test
    void ioplAtLeastCplSkipsBitmap() {
        TestMachine m = userWithTss(0x80).code("E6 80").flags(CpuState.RESERVED1 | CpuState.IOPL);
        m.step();
        assertEquals(1, m.portLog.size());
    }
}
