package org.haxm.emulator.mmu;

import static org.junit.jupiter.api.Assertions.*;

import org.haxm.emulator.CpuException;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.cpu.TestMachine;
import org.haxm.emulator.cpu.TestMemory;
import org.haxm.emulator.mem.AccessType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MmuTest {
    static final long P = 1, RW = 2, US = 4, A = 32, D = 64, PS = 128, XD = 1L << 63;

    TestMachine m;
    TestMemory mem;
    CpuState s;
    Mmu mmu;

    @BeforeEach void setUp() {
        m = new TestMachine();
        m.protectedMode32();
        mem = m.mem;
        s = m.state;
        mmu = m.cpu.mmu();
    }

    /** 32-bit paging: PD at 0x10000, PT at 0x11000 mapping linear 0x400000.. (PDE 1). */
    void paging32(long pteFlags) {
        mem.put(0x10000 + 1 * 4, 4, 0x11000 | P | RW | US);
        mem.put(0x11000 + 5 * 4, 4, 0x80000 | pteFlags);   // linear 0x405000 -> 0x80000
        mem.put(0x11000 + 6 * 4, 4, 0x90000 | pteFlags);   // linear 0x406000 -> 0x90000
        s.cr3 = 0x10000;
        m.cpu.writeCr(0, s.cr0 | CpuState.CR0_PG);
    }

    /** 4-level paging: PML4 0x20000, PDPT 0x21000, PD 0x22000, PT 0x23000; linear 0x1000 -> 0x80000. */
    void paging64(long pteFlags) {
        mem.put(0x20000, 8, 0x21000 | P | RW | US);
        mem.put(0x21000, 8, 0x22000 | P | RW | US);
        mem.put(0x22000, 8, 0x23000 | P | RW | US);
        mem.put(0x23000 + 8, 8, 0x80000 | pteFlags);
        s.cr4 |= CpuState.CR4_PAE;
        s.cr3 = 0x20000;
        m.cpu.writeEfer(CpuState.EFER_LME);
        m.cpu.writeCr(0, s.cr0 | CpuState.CR0_PG);
        assertTrue(s.longModeActive(), "EFER.LMA = LME & PG");
    }

    int pfError(Runnable r) {
        CpuException e = m.expectFault(r);
        assertEquals(14, e.vector);
        return e.errorCode;
    }

    @Test void withoutPagingLinearIsPhysical() {
        mem.put(0x12345, 4, 0xCAFEBABEL);
        assertEquals(PagingMode.NONE, mmu.mode());
        assertEquals(0xCAFEBABEL, m.cpu.readLinear(0x12345, 4, AccessType.READ, true));
    }

    @Test void bits32TranslatesAndSetsAccessedAndDirty() {
        paging32(P | RW | US);
        mem.put(0x80123, 4, 0x11223344);
        assertEquals(0x11223344, m.cpu.readLinear(0x405123, 4, AccessType.READ, false));
        assertEquals(A, mem.get(0x10004, 4) & A, "PDE accessed");
        assertEquals(A, mem.get(0x11014, 4) & (A | D), "PTE accessed, not dirty after a read");
        m.cpu.writeLinear(0x405200, 2, 0xBEEF, false);
        assertEquals(0xBEEF, mem.get(0x80200, 2));
        assertEquals(A | D, mem.get(0x11014, 4) & (A | D), "PTE dirty after a write");
        assertEquals(0, mem.get(0x10004, 4) & D, "directory entries never get D");
    }

    @Test void dirtySetOnWriteEvenAfterCachedRead() {
        paging32(P | RW | US);
        m.cpu.readLinear(0x405000, 1, AccessType.READ, true);
        m.cpu.writeLinear(0x405000, 1, 7, true);
        assertEquals(D, mem.get(0x11014, 4) & D);
    }

    @Test void pse4MiBPageOnlyWithCr4Pse() {
        mem.put(0x10000 + 2 * 4, 4, 0x00C00000L | P | RW | PS | (1L << 13)); // 4 MiB page at 0x1_00C00000
        s.cr3 = 0x10000;
        s.cr4 |= CpuState.CR4_PSE;
        m.cpu.writeCr(0, s.cr0 | CpuState.CR0_PG);
        assertEquals(0x1_00C12345L, mmu.translate(0x812345, AccessType.READ, true), "PSE-36 bits 39:32 from PDE 20:13");
        // Without PSE, bit 7 is ignored and the PDE points at a page table at 0xC00000 + 0x2000.
        m.cpu.writeCr(4, 0);
        mem.put(0x00C02000L + 0x12 * 4, 4, 0x55000 | P);
        assertEquals(0x55345, mmu.translate(0x812345, AccessType.READ, true));
    }

    @Test void pse4MiBPageReservedBitFaults() {
        mem.put(0x10000 + 2 * 4, 4, 0x00C00000L | P | RW | PS | (1L << 21));
        s.cr3 = 0x10000;
        s.cr4 |= CpuState.CR4_PSE;
        m.cpu.writeCr(0, s.cr0 | CpuState.CR0_PG);
        assertEquals(PageFaultError.P | PageFaultError.RSVD, pfError(() -> mmu.translate(0x800000, AccessType.READ, true)));
    }

    @Test void notPresentErrorCodeAndLinearQualification() {
        paging32(RW | US);
        CpuException e = m.expectFault(() -> m.cpu.writeLinear(0x405010, 4, 1, false));
        assertEquals(14, e.vector);
        assertEquals(PageFaultError.W | PageFaultError.U, e.errorCode, "P=0, W=1, U=1");
        assertEquals(0x405010, e.qualification);
        assertEquals(0, s.cr2, "CR2 is written on delivery, not on detection");
    }

    @Test void userMayNotTouchSupervisorPages() {
        paging32(P | RW);
        assertEquals(PageFaultError.P | PageFaultError.U, pfError(() -> m.cpu.readLinear(0x405000, 1, AccessType.READ, false)));
        assertEquals(0, m.cpu.readLinear(0x405000, 1, AccessType.READ, true));
    }

    @Test void readOnlyPagesAndCr0Wp() {
        paging32(P | US);
        assertEquals(PageFaultError.P | PageFaultError.W | PageFaultError.U,
            pfError(() -> m.cpu.writeLinear(0x405000, 1, 1, false)));
        m.cpu.writeLinear(0x405000, 1, 1, true); // supervisor ignores R/W while WP = 0
        assertEquals(1, mem.get(0x80000, 1));
        m.cpu.writeCr(0, s.cr0 | CpuState.CR0_WP);
        assertEquals(PageFaultError.P | PageFaultError.W, pfError(() -> m.cpu.writeLinear(0x405000, 1, 2, true)));
        assertEquals(1, mem.get(0x80000, 1));
    }

    @Test void executeDisableNeedsNxeAndReportsInstructionFetch() {
        paging64(P | RW | XD);
        // XD with EFER.NXE = 0 is a reserved bit.
        assertEquals(PageFaultError.P | PageFaultError.RSVD, pfError(() -> mmu.translate(0x1000, AccessType.READ, true)));
        m.cpu.writeEfer(s.efer | CpuState.EFER_NXE);
        assertEquals(0x80000, mmu.translate(0x1000, AccessType.READ, true));
        assertEquals(PageFaultError.P | PageFaultError.ID, pfError(() -> mmu.translate(0x1000, AccessType.EXECUTE, true)));
    }

    @Test void smepForbidsSupervisorFetchFromUserPage() {
        paging64(P | RW | US);
        assertEquals(0x80000, mmu.translate(0x1000, AccessType.EXECUTE, true));
        m.cpu.writeCr(4, s.cr4 | CpuState.CR4_SMEP);
        assertEquals(PageFaultError.P | PageFaultError.ID, pfError(() -> mmu.translate(0x1000, AccessType.EXECUTE, true)));
    }

    @Test void reservedPhysicalAddressBitsFault() {
        paging64(P | RW);
        mem.put(0x22000, 8, 0x23000 | P | RW | US | (1L << 40)); // beyond MAXPHYADDR 36
        m.cpu.flushTlb();
        assertEquals(PageFaultError.P | PageFaultError.RSVD | PageFaultError.W,
            pfError(() -> mmu.translate(0x1000, AccessType.WRITE, true)));
    }

    @Test void level4LargePages() {
        paging64(P | RW);
        mem.put(0x21000 + 8, 8, 0x4000_0000L | P | RW | PS);        // 1 GiB page at linear 1 GiB
        mem.put(0x22000 + 8, 8, 0x0060_0000L | P | RW | PS);        // 2 MiB page at linear 2 MiB
        assertEquals(0x4012_3456L, mmu.translate(0x4012_3456L, AccessType.READ, true));
        assertEquals(0x0065_4321L, mmu.translate(0x0025_4321L, AccessType.READ, true));
        mem.put(0x22000 + 8, 8, 0x0060_0000L | P | RW | PS | (1L << 13));
        m.cpu.flushTlb();
        assertEquals(PageFaultError.P | PageFaultError.RSVD, pfError(() -> mmu.translate(0x0025_4321L, AccessType.READ, true)));
    }

    @Test void paeUsesPdptesLoadedAtCr3Write() {
        mem.put(0x30000 + 8, 8, 0x31000 | P);                        // PDPTE 1: linear 1..2 GiB
        mem.put(0x31000, 8, 0x0020_0000L | P | RW | PS);             // 2 MiB page
        s.cr4 |= CpuState.CR4_PAE;
        s.cr3 = 0x30000;
        m.cpu.writeCr(0, s.cr0 | CpuState.CR0_PG);
        assertEquals(PagingMode.PAE, mmu.mode());
        assertEquals(0x0021_2345L, mmu.translate(0x4001_2345L, AccessType.READ, true));
        // Changing memory does not change the PDPTE registers until CR3 is written again.
        mem.put(0x30000 + 8, 8, 0);
        m.cpu.flushTlb();
        assertEquals(0x0021_2345L, mmu.translate(0x4001_2345L, AccessType.READ, true));
        m.cpu.writeCr(3, 0x30000);
        assertEquals(0, pfError(() -> mmu.translate(0x4001_2345L, AccessType.READ, true)));
        // A PDPTE with reserved bits makes MOV CR3 fault with #GP(0) and keeps CR3.
        mem.put(0x40000, 8, P | 2);
        CpuException e = m.expectFault(() -> m.cpu.writeCr(3, 0x40000));
        assertEquals(13, e.vector);
        assertEquals(0x30000, s.cr3);
    }

    @Test void pageCrossingWriteIsAllOrNothing() {
        paging32(P | RW | US);
        mem.put(0x11000 + 6 * 4, 4, 0x90000 | P | US); // second page read-only
        CpuException e = m.expectFault(() -> m.cpu.writeLinear(0x405FFE, 4, 0x11223344, false));
        assertEquals(14, e.vector);
        assertEquals(0x406000, e.qualification, "the fault names the second page");
        assertEquals(0, mem.get(0x80FFE, 2), "first page untouched");
    }

    @Test void pageCrossingReadAndWriteJoinTwoFrames() {
        paging32(P | RW | US);
        m.cpu.writeLinear(0x405FFD, 8, 0x8877665544332211L, false);
        assertEquals(0x332211, mem.get(0x80FFD, 3));
        assertEquals(0x8877665544L, mem.get(0x90000, 5));
        assertEquals(0x8877665544332211L, m.cpu.readLinear(0x405FFD, 8, AccessType.READ, false));
    }

    @Test void cr3WriteFlushesTheTlb() {
        paging32(P | RW | US);
        mem.put(0x80000, 1, 0x11);
        mem.put(0x70000, 1, 0x22);
        assertEquals(0x11, m.cpu.readLinear(0x405000, 1, AccessType.READ, true));
        mem.put(0x11000 + 5 * 4, 4, 0x70000 | P | RW | US);
        assertEquals(0x11, m.cpu.readLinear(0x405000, 1, AccessType.READ, true), "stale until invalidated, as hardware");
        m.cpu.writeCr(3, 0x10000);
        assertEquals(0x22, m.cpu.readLinear(0x405000, 1, AccessType.READ, true));
    }

    @Test void nonCanonicalAddressesFaultInLongMode() {
        paging64(P | RW);
        s.seg(Segment.CS).accessRights |= 1 << 13; // 64-bit code
        CpuException gp = m.expectFault(() -> m.cpu.readMemory(Segment.DS.ordinal(), 0x0000_8000_0000_0000L, 1));
        assertEquals(13, gp.vector);
        assertEquals(0, gp.errorCode);
        CpuException ss = m.expectFault(() -> m.cpu.readMemory(Segment.SS.ordinal(), 0x0000_7FFF_FFFF_FFFEL, 4));
        assertEquals(12, ss.vector, "an access straddling the canonical boundary through SS is #SS(0)");
        assertEquals(0, ss.errorCode);
    }

    @Test void probeWriteFaultsWithoutSettingDirty() {
        paging32(P | RW | US);
        m.cpu.probeWrite(Segment.DS.ordinal(), 0x405000, 4);
        assertEquals(0, mem.get(0x11014, 4) & (A | D));
        mem.put(0x11000 + 5 * 4, 4, 0x80000 | P | US);
        m.cpu.flushTlb();
        m.userMode();
        assertEquals(PageFaultError.P | PageFaultError.W | PageFaultError.U,
            pfError(() -> m.cpu.probeWrite(Segment.DS.ordinal(), 0x405000, 4)));
    }
}
