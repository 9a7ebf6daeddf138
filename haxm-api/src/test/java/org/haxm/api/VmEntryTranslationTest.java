package org.haxm.api;

import static org.haxm.api.TestGuest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

/**
 * The engine runs its VCPUs with VPID, so cached linear translations survive VM exits and
 * entries (SDM Vol. 3C §28.3.3.1). These tests pin down when they must not: a caller that
 * changes the guest's paging state through SET_REGS between two runs sees the new translation
 * at once, as HAXM users expect (they cannot issue INVVPID).
 */
class VmEntryTranslationTest {
    /** 64-bit: mov eax, [0x80000]; hlt; mov eax, [0x80000]; hlt */
    static final byte[] LOAD_TWICE = bytes(
        0x8B, 0x04, 0x25, 0x00, 0x00, 0x08, 0x00, 0xF4,
        0x8B, 0x04, 0x25, 0x00, 0x00, 0x08, 0x00, 0xF4);

    static final long PML4_2 = 0xE000, PDPT_2 = 0xF000, PD_2 = 0x10000, PT_2 = 0x11000;

    @Test
    void cr3WrittenThroughSetRegsBetweenRunsIsHonoured() {
        try (TestGuest g = TestGuest.long64(LOAD_TWICE)) {
            g.vm.writeMemory(0x80000, le32(0x1111_1111), 0, 4);
            g.vm.writeMemory(0x90000, le32(0x2222_2222), 0, 4);
            // A second hierarchy: identity with 4-KiB pages for the first 2 MiB, except linear page
            // 0x80 -> physical 0x90000.
            ByteBuffer t = ByteBuffer.allocate(0x4000).order(ByteOrder.LITTLE_ENDIAN);
            t.putLong(0, PDPT_2 | 3);
            t.putLong(0x1000, PD_2 | 3);
            t.putLong(0x2000, PT_2 | 3);
            for (int i = 0; i < 512; i++) t.putLong(0x3000 + 8 * i, ((long) i << 12) | 3);
            t.putLong(0x3000 + 8 * 0x80, 0x90000 | 3);
            g.vm.writeMemory(PML4_2, t.array(), 0, t.capacity());

            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0x1111_1111L, g.gpr(0));

            HaxVcpuState s = g.vcpu.getRegs();
            s.cr3 = PML4_2;
            g.vcpu.setRegs(s);
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0x2222_2222L, g.gpr(0), "the load after the CR3 change uses the new page tables");
        }
    }

    @Test
    void unchangedPagingKeepsWorkingAcrossManyExits() {
        try (TestGuest g = TestGuest.long64(LOAD_TWICE)) {
            g.vm.writeMemory(0x80000, le32(0x3333_3333), 0, 4);
            assertEquals(HaxExitStatus.HLT, g.run());
            g.vm.writeMemory(0x80000, le32(0x4444_4444), 0, 4);
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0x4444_4444L, g.gpr(0), "a host write between runs is seen through a kept translation");
        }
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
