package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.haxm.emulator.cpu.CpuState;
import org.junit.jupiter.api.Test;

/** BT family with memory bit strings, scans and counts, BMI1/BMI2, ADCX/ADOX, CRC32. */
class BitOpsTest {
    private static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3;

    @Test
    void btWithNegativeRegisterOffsetReachesBelowTheOperand() {
        TestMachine m = TestMachine.protected32().code("0F A3 03").reg(RAX, 0xFFFF_FFFFL).reg(RBX, 0x2000);
        m.poke(0x1FFC, 4, 0x8000_0000L);
        m.step();
        assertTrue(m.flag(CpuState.CF));
    }

    @Test
    void btsSetsBitFarAbove() {
        TestMachine m = TestMachine.protected32().code("0F AB 03").reg(RAX, 100).reg(RBX, 0x2000);
        m.step();
        assertEquals(1 << 4, m.peek(0x200C, 4));
        assertFalse(m.flag(CpuState.CF));
    }

    @Test
    void btImmediateIsMasked() {
        TestMachine m = TestMachine.protected32().code("0F BA E0 25").reg(RAX, 1 << 5).step();
        assertTrue(m.flag(CpuState.CF));
    }

    @Test
    void lockedBtrUsesCompareExchange() {
        TestMachine m = TestMachine.long64().code("F0 48 0F B3 03").reg(RAX, 3).reg(RBX, 0x2000);
        m.poke(0x2000, 8, 0xF);
        m.step();
        assertEquals(0x7, m.peek(0x2000, 8));
        assertTrue(m.flag(CpuState.CF));
        assertEquals(1, m.lockedAccesses);
    }

    @Test
    void bsfWithZeroSourceSetsZfAndKeepsDestination() {
        TestMachine m = TestMachine.protected32().code("0F BC C3 0F BD C3").reg(RAX, 77).reg(RBX, 0);
        m.step();
        assertTrue(m.flag(CpuState.ZF));
        assertEquals(77, m.reg(RAX));
        m.reg(RBX, 0x0001_0100).step();
        assertEquals(16, m.reg(RAX), "bsr finds the highest set bit");
        assertFalse(m.flag(CpuState.ZF));
    }

    @Test
    void lzcntTzcntPopcnt() {
        TestMachine m = TestMachine.long64().code("F3 0F BD C3 F3 0F BC CB F3 48 0F B8 D3").reg(RBX, 0x0000_0000_00F0_0000L);
        m.steps(3);
        assertEquals(8, m.reg(RAX));
        assertEquals(20, m.reg(RCX));
        assertEquals(4, m.reg(RDX));
        m = TestMachine.long64().code("F3 0F BD C3").reg(RBX, 0).step();
        assertEquals(32, m.reg(RAX));
        assertTrue(m.flag(CpuState.CF));
    }

    @Test
    void andnAndPdep() {
        TestMachine m = TestMachine.long64().code("C4 E2 60 F2 C1 C4 E2 63 F5 D1").reg(RBX, 0b1010).reg(RCX, 0b1111_0000_1111);
        m.step(); // andn eax, ebx, ecx = ~ebx & ecx
        assertEquals(0b1111_0000_0101, m.reg(RAX));
        m.reg(RBX, 0b101).step(); // pdep edx, ebx, ecx: bits 1,0,1 into positions 0,1,2 of the mask
        assertEquals(0b0000_0000_0101, m.reg(RDX));
    }

    @Test
    void mulxLeavesFlagsAndWritesBothHalves() {
        TestMachine m = TestMachine.long64().code("C4 E2 E3 F6 C1").reg(RDX, -1L).reg(RCX, 2);
        m.flags(CpuState.RESERVED1 | CpuState.CF).step();
        assertEquals(1, m.reg(RAX), "high half");
        assertEquals(-2L, m.reg(RBX), "low half");
        assertTrue(m.flag(CpuState.CF));
    }

    @Test
    void adcxAndAdoxUseSeparateCarries() {
        TestMachine m = TestMachine.long64().code("66 48 0F 38 F6 C3 F3 48 0F 38 F6 CB").reg(RAX, -1L).reg(RBX, 1).reg(RCX, 5);
        m.flags(CpuState.RESERVED1 | CpuState.OF).step();
        assertEquals(0, m.reg(RAX));
        assertTrue(m.flag(CpuState.CF));
        m.step(); // adox rcx, rbx with OF = 1 -> 7
        assertEquals(7, m.reg(RCX));
        assertFalse(m.flag(CpuState.OF));
        assertTrue(m.flag(CpuState.CF), "ADOX leaves CF");
    }

    @Test
    void crc32cOfCheckString() {
        TestMachine m = TestMachine.long64().reg(RAX, 0xFFFF_FFFFL);
        byte[] check = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (byte b : check) {
            m.state.rip = TestMachine.CODE;
            m.code("F2 0F 38 F0 C3").reg(RBX, b).step();
        }
        assertEquals(0xE3069283L, m.reg(RAX) ^ 0xFFFF_FFFFL);
    }
}
