package org.haxm.emulator.cpu;

import static org.haxm.emulator.cpu.TestMachine.descriptor;
import static org.junit.jupiter.api.Assertions.*;

import org.haxm.emulator.CpuException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SegmentationTest {
    static final int ES = 0, CS = 1, SS = 2, DS = 3;
    TestMachine m;
    CpuState s;

    @BeforeEach void setUp() {
        m = new TestMachine();
        s = m.state;
    }

    void assertFault(int vector, int errorCode, Runnable r) {
        CpuException e = m.expectFault(r);
        assertEquals(vector, e.vector, "vector");
        assertEquals(errorCode, e.errorCode, "error code");
    }

    @Test void realModeBaseIsSelectorTimes16AndLimitIs64K() {
        m.cpu.loadSegment(Segment.DS, 0x1234);
        assertEquals(0x12340, s.seg(Segment.DS).base);
        assertEquals(0x12345, m.cpu.linearAddress(DS, 5, 1, false));
        assertFault(13, 0, () -> m.cpu.linearAddress(DS, 0xFFFF, 2, false));
        assertFault(12, 0, () -> m.cpu.linearAddress(SS, 0xFFFF, 2, true));
    }

    @Test void unrealModeKeepsCachedLimit() {
        m.protectedMode32();
        m.cpu.loadSegment(Segment.DS, 0x10); // flat 4 GiB data
        m.cpu.writeCr(0, s.cr0 & ~CpuState.CR0_PE);
        m.cpu.loadSegment(Segment.DS, 0);
        assertEquals(0, s.seg(Segment.DS).base);
        assertEquals(0x200000, m.cpu.linearAddress(DS, 0x200000, 4, false), "4 GiB limit survives the real-mode load");
    }

    @Test void protectedLimitAndTypeChecks() {
        m.protectedMode32();
        m.setGdt(7, descriptor(0x50000, 0xFFF, 0x92, 0x4));      // 4 KiB data
        m.setGdt(8, descriptor(0x60000, 0xFFFF, 0x98, 0x4));     // execute-only code
        m.setGdt(9, descriptor(0x70000, 0xFFFF, 0x90, 0x4));     // read-only data
        m.cpu.loadSegment(Segment.DS, 7 * 8);
        assertEquals(0x50FFC, m.cpu.linearAddress(DS, 0xFFC, 4, false));
        assertFault(13, 0, () -> m.cpu.linearAddress(DS, 0xFFD, 4, false));
        m.cpu.loadSegment(Segment.ES, 9 * 8);
        assertFault(13, 0, () -> m.cpu.linearAddress(ES, 0, 1, true));
        // Execute-only code cannot be loaded into a data register (#GP(selector)).
        assertFault(13, 8 * 8, () -> m.cpu.loadSegment(Segment.DS, 8 * 8));
        assertFault(13, 0, () -> m.cpu.linearAddress(CS, 0, 1, true)); // no writes to code
    }

    @Test void expandDownSegments() {
        m.protectedMode32();
        m.setGdt(7, descriptor(0, 0x0FFF, 0x96, 0x0));   // expand-down, 16-bit: valid 0x1000..0xFFFF
        m.cpu.loadSegment(Segment.DS, 7 * 8);
        assertEquals(0x1000, m.cpu.linearAddress(DS, 0x1000, 4, false));
        assertFault(13, 0, () -> m.cpu.linearAddress(DS, 0xFFF, 1, false));
        assertFault(13, 0, () -> m.cpu.linearAddress(DS, 0xFFFE, 4, false));
    }

    @Test void nullSelectorRules() {
        m.protectedMode32();
        m.cpu.loadSegment(Segment.ES, 3); // null with RPL 3: allowed
        assertTrue(s.seg(Segment.ES).unusable());
        assertFault(13, 0, () -> m.cpu.readMemory(ES, 0, 1));
        assertFault(13, 0, () -> m.cpu.loadSegment(Segment.SS, 0));
    }

    @Test void descriptorChecksUseSelectorErrorCodes() {
        m.protectedMode32();
        assertFault(13, 0x80, () -> m.cpu.loadSegment(Segment.DS, 0x83)); // beyond GDT limit (index 16)
        m.setGdt(7, descriptor(0, 0xFFFF, 0x12, 0x4));                    // not present
        assertFault(11, 0x38, () -> m.cpu.loadSegment(Segment.DS, 0x38));
        assertFault(12, 0x38, () -> m.cpu.loadSegment(Segment.SS, 0x38));
        assertFault(13, 0x28, () -> m.cpu.loadSegment(Segment.DS, 0x28)); // TSS is a system descriptor
        assertFault(13, 0x20, () -> m.cpu.loadSegment(Segment.SS, 0x23)); // RPL 3 != CPL 0
        m.userMode();
        assertFault(13, 0x10, () -> m.cpu.loadSegment(Segment.DS, 0x13)); // DPL 0 < CPL 3
    }

    @Test void loadingSetsAccessedBitAndMovSsShadow() {
        m.protectedMode32();
        m.setGdt(7, descriptor(0x1000, 0xFFFF, 0x92, 0x4));
        m.cpu.loadSegment(Segment.SS, 0x38);
        assertEquals(0x93, m.mem.get(TestMachine.GDT + 0x38 + 5, 1));
        assertEquals(0x1000, s.seg(Segment.SS).base);
        assertEquals(CpuState.BLOCKING_BY_MOV_SS, s.interruptibility);
        assertFalse(m.cpu.interruptible());
    }

    @Test void farJumpAndCallAndReturnInProtectedMode() {
        m.protectedMode32();
        m.setGdt(7, descriptor(0x10000, 0xFFFF, 0x9A, 0x4));
        s.gpr[4] = 0x8000;
        m.cpu.farCall(0x38, 0x1234, 4, 0x5678);
        assertEquals(0x38, s.seg(Segment.CS).selector);
        assertEquals(0x10000, s.seg(Segment.CS).base);
        assertEquals(0x1234, s.rip);
        assertEquals(0x7FF8, s.gpr[4]);
        assertEquals(0x08, m.mem.get(0x7FFC, 4));
        assertEquals(0x5678, m.mem.get(0x7FF8, 4));
        m.cpu.farReturn(4, 8);
        assertEquals(0x08, s.seg(Segment.CS).selector);
        assertEquals(0x5678, s.rip);
        assertEquals(0x8008, s.gpr[4]);
        assertFault(13, 0, () -> m.cpu.farJump(0x38, 0x10000, 4));   // beyond the limit
        assertFault(13, 0x18, () -> m.cpu.farJump(0x1B, 0, 4));      // non-conforming DPL 3 from CPL 0
        assertFault(13, 0, () -> m.cpu.farJump(0, 0, 4));
    }

    @Test void farReturnToOuterPrivilegeSwitchesStack() {
        m.protectedMode32();
        s.gpr[4] = 0x8000;
        m.mem.put(0x8000, 4, 0x401000);  // EIP
        m.mem.put(0x8004, 4, 0x1B);      // CS (RPL 3)
        m.mem.put(0x8008, 4, 0x9000);    // ESP
        m.mem.put(0x800C, 4, 0x23);      // SS
        m.cpu.farReturn(4, 0);
        assertEquals(3, s.cpl());
        assertEquals(0x23, s.seg(Segment.SS).selector);
        assertEquals(0x9000, s.gpr[4]);
        assertEquals(0x401000, s.rip);
        assertTrue(s.seg(Segment.DS).unusable(), "DPL-0 data segments are nulled on the way out");
    }

    @Test void realModeFarCallAndIret() {
        s.gpr[4] = 0x100;
        m.cpu.farCall(0x2000, 0x10, 2, 0x1234);
        assertEquals(0x20000, s.seg(Segment.CS).base);
        assertEquals(0xFC, s.gpr[4]);
        m.mem.put(0xF6, 2, 0x4444);
        m.mem.put(0xF8, 2, 0x3000);
        m.mem.put(0xFA, 2, 0x0202 | 0x8000); // IF
        s.gpr[4] = 0xF6;
        m.cpu.iret(2);
        assertEquals(0x4444, s.rip);
        assertEquals(0x30000, s.seg(Segment.CS).base);
        assertTrue((s.rflags() & CpuState.IF) != 0);
        assertEquals(0xFC, s.gpr[4]);
    }

    @Test void stackWrapsAt64KWithBigClear() {
        s.gpr[4] = 0x0001_0000L; // real mode SS.B = 0: only SP counts
        s.gpr[4] = 0;
        m.cpu.push(0xABCD, 2);
        assertEquals(0xFFFE, s.gpr[4]);
        assertEquals(0xABCD, m.mem.get(0xFFFE, 2));
        assertEquals(0xABCD, m.cpu.pop(2));
        assertEquals(0, s.gpr[4]);
    }

    @Test void controlRegisterChecks() {
        assertFault(13, 0, () -> m.cpu.writeCr(0, CpuState.CR0_PG));          // PG without PE
        assertFault(13, 0, () -> m.cpu.writeCr(0, CpuState.CR0_NW | CpuState.CR0_PE)); // NW without CD
        assertFault(13, 0, () -> m.cpu.writeCr(4, CpuState.CR4_VMXE));
        // Reserved because CPUID reports no XSAVE and no SMAP (SDM Vol. 3A §2.5).
        assertFault(13, 0, () -> m.cpu.writeCr(4, CpuState.CR4_OSXSAVE));
        assertFault(13, 0, () -> m.cpu.writeCr(4, CpuState.CR4_SMAP));
        assertFault(13, 0, () -> m.cpu.writeCr(8, 16));
        m.cpu.writeEfer(CpuState.EFER_LME);
        assertFault(13, 0, () -> m.cpu.writeCr(0, CpuState.CR0_PE | CpuState.CR0_PG)); // IA-32e needs PAE
        assertFalse(s.longModeActive());
        m.cpu.writeCr(4, CpuState.CR4_PAE);
        m.cpu.writeCr(0, CpuState.CR0_PE | CpuState.CR0_PG);
        assertTrue(s.longModeActive());
        assertFault(13, 0, () -> m.cpu.writeEfer(0)); // LME may not change while paging
        assertFault(13, 0, () -> m.cpu.writeCr(4, 0)); // PAE may not be cleared in IA-32e mode
    }

    @Test void msrs() {
        m.cpu.writeMsr(0xC000_0100, 0x1234_5000L);
        assertEquals(0x1234_5000L, s.seg(Segment.FS).base);
        assertEquals(0x1234_5000L, m.cpu.readMsr(0xC000_0100));
        assertFault(13, 0, () -> m.cpu.writeMsr(0xC000_0082, 0x0000_8000_0000_0000L));
        assertFault(13, 0, () -> m.cpu.readMsr(0x12345));
        assertFault(13, 0, () -> m.cpu.writeMsr(0x277, 0x0202020202020202L));
        s.instructionsRetired = 100;
        m.cpu.writeMsr(0x10, 1000);
        s.instructionsRetired = 150;
        assertEquals(1050, m.cpu.readMsr(0x10));
    }
}
