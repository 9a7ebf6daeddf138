package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.haxm.emulator.cpu.CpuState;
import org.junit.jupiter.api.Test;

/** MOV and the other data-movement instructions, executed from real encodings. */
class DataMoveTest {
    private static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4;

    @Test
    void movImm64AndRipAdvance() {
        TestMachine m = TestMachine.long64().code("48 B8 88 77 66 55 44 33 22 11").step();
        assertEquals(0x1122334455667788L, m.reg(RAX));
        assertEquals(TestMachine.CODE + 10, m.state.rip);
    }

    @Test
    void thirtyTwoBitWritesZeroExtendButNarrowerWritesMerge() {
        TestMachine m = TestMachine.long64().code("89 D8 66 89 D9 88 DC").reg(RAX, -1).reg(RCX, -1).reg(RBX, 0x1234_5678_9ABC_DEF0L);
        m.step();
        assertEquals(0x9ABC_DEF0L, m.reg(RAX), "mov eax, ebx zero-extends");
        m.step();
        assertEquals(0xFFFF_FFFF_FFFF_DEF0L, m.reg(RCX), "mov cx, bx keeps bits 63:16");
        m.step();
        assertEquals(0x9ABC_F0F0L, m.reg(RAX), "mov ah, bl without REX writes AH");
    }

    @Test
    void rexMakesByteRegister4Spl() {
        TestMachine m = TestMachine.long64().code("40 88 DC").reg(RBX, 0x77).reg(RSP, 0x8000).step();
        assertEquals(0x8077, m.reg(RSP));
    }

    @Test
    void ripRelativeLoad() {
        TestMachine m = TestMachine.long64().code("48 8B 05 F9 0F 00 00");
        m.poke(0x2000, 8, 0xCAFEBABE_DEADBEEFL);
        m.step();
        assertEquals(0xCAFEBABE_DEADBEEFL, m.reg(RAX));
    }

    @Test
    void moffsLoadAndStoreIn32BitMode() {
        TestMachine m = TestMachine.protected32().code("A1 00 30 00 00 A3 04 30 00 00");
        m.poke(0x3000, 4, 0x11223344);
        m.steps(2);
        assertEquals(0x11223344, m.reg(RAX));
        assertEquals(0x11223344, m.peek(0x3004, 4));
    }

    @Test
    void zeroAndSignExtension() {
        TestMachine m = TestMachine.long64().code("0F B6 C3 48 0F BE CB 48 63 D3").reg(RBX, 0x8000_0080L);
        m.steps(3);
        assertEquals(0x80, m.reg(RAX));
        assertEquals(-128L, m.reg(RCX));
        assertEquals(0xFFFF_FFFF_8000_0080L, m.reg(RDX));
    }

    @Test
    void leaComputesAndTruncatesWithoutMemory() {
        TestMachine m = TestMachine.long64().code("48 8D 44 8B 10 8D 14 19").reg(RBX, 0x1000).reg(RCX, 0xFFFF_FFFFL);
        m.step();
        assertEquals(0x1000 + 0xFFFF_FFFFL * 4 + 0x10, m.reg(RAX));
        m.reg(RBX, 2).step();
        assertEquals(1, m.reg(RDX), "32-bit operand size truncates ecx+ebx");
    }

    @Test
    void xchgWithMemoryIsLocked() {
        TestMachine m = TestMachine.long64().code("48 87 03").reg(RAX, 5).reg(RBX, 0x2000);
        m.poke(0x2000, 8, 9);
        m.step();
        assertEquals(9, m.reg(RAX));
        assertEquals(5, m.peek(0x2000, 8));
        assertEquals(1, m.lockedAccesses);
    }

    @Test
    void cmpxchgSuccessAndFailure() {
        TestMachine m = TestMachine.long64().code("48 0F B1 0B F0 48 0F B1 0B").reg(RAX, 7).reg(RBX, 0x2000).reg(RCX, 42);
        m.poke(0x2000, 8, 7);
        m.step();
        assertEquals(42, m.peek(0x2000, 8));
        assertTrue(m.flag(CpuState.ZF));
        m.step(); // lock cmpxchg: RAX (7) != 42 -> RAX := 42
        assertEquals(42, m.reg(RAX));
        assertFalse(m.flag(CpuState.ZF));
        assertEquals(1, m.lockedAccesses);
    }

    @Test
    void cmpxchg8bComparesEdxEax() {
        TestMachine m = TestMachine.protected32().code("0F C7 0B 0F C7 0B").reg(RBX, 0x2000);
        m.poke(0x2000, 8, 0x11111111_22222222L);
        m.reg(RDX, 0x11111111).reg(RAX, 0x22222222).reg(RCX, 0x33333333).state.gpr[RBX] = 0x2000;
        // ECX:EBX is the replacement; EBX also addresses memory here, so the new low half is 0x2000.
        m.step();
        assertEquals(0x33333333_00002000L, m.peek(0x2000, 8));
        assertTrue(m.flag(CpuState.ZF));
        m.step(); // now memory differs from EDX:EAX -> loaded into EDX:EAX
        assertFalse(m.flag(CpuState.ZF));
        assertEquals(0x33333333, m.reg(RDX));
        assertEquals(0x2000, m.reg(RAX));
    }

    @Test
    void xaddExchangesAndAdds() {
        TestMachine m = TestMachine.long64().code("48 0F C1 03").reg(RAX, 3).reg(RBX, 0x2000);
        m.poke(0x2000, 8, 10);
        m.step();
        assertEquals(13, m.peek(0x2000, 8));
        assertEquals(10, m.reg(RAX));
    }

    @Test
    void bswapAndMovbe() {
        TestMachine m = TestMachine.long64().code("0F C8 48 0F C9 0F 38 F0 13").reg(RAX, 0x11223344).reg(RCX, 0x0102030405060708L).reg(RBX, 0x2000);
        m.poke(0x2000, 4, 0xAABBCCDDL);
        m.steps(3);
        assertEquals(0x44332211, m.reg(RAX));
        assertEquals(0x0807060504030201L, m.reg(RCX));
        assertEquals(0xDDCCBBAAL, m.reg(RDX));
    }

    @Test
    void cmovFalseStillZeroExtendsAndSetccWritesByte() {
        TestMachine m = TestMachine.long64().code("0F 44 C3 0F 95 C1").reg(RAX, 0xFFFF_FFFF_0000_0001L).reg(RBX, 2).reg(RCX, -1);
        m.flags(CpuState.RESERVED1).steps(2); // ZF = 0: cmove not taken, setne -> 1
        assertEquals(1, m.reg(RAX));
        assertEquals(0xFFFF_FFFF_FFFF_FF01L, m.reg(RCX));
    }

    @Test
    void conversions() {
        TestMachine m = TestMachine.long64().code("66 98 98 48 98 99 48 99").reg(RAX, 0x80);
        m.step();
        assertEquals(0xFF80, m.reg(RAX) & 0xFFFF, "cbw");
        m.step();
        assertEquals(0xFFFF_FF80L, m.reg(RAX), "cwde");
        m.step();
        assertEquals(-128L, m.reg(RAX), "cdqe");
        m.step();
        assertEquals(0xFFFF_FFFFL, m.reg(RDX), "cdq");
        m.reg(RAX, 5).step();
        assertEquals(0, m.reg(RDX), "cqo of a positive value");
    }

    @Test
    void xlatLooksUpAl() {
        TestMachine m = TestMachine.real().code("D7").reg(RBX, 0x2000).reg(RAX, 0x05);
        m.poke(0x2005, 1, 0x99);
        m.step();
        assertEquals(0x99, m.reg(RAX) & 0xFF);
    }

    @Test
    void movToSsInhibitsInterruptsInRealMode() {
        TestMachine m = TestMachine.real().code("8E D0").reg(RAX, 0x1234).step();
        assertEquals(0x1234, m.state.seg[2].selector);
        assertEquals(0x12340, m.state.seg[2].base);
        assertTrue((m.state.interruptibility & CpuState.BLOCKING_BY_MOV_SS) != 0);
    }
}
