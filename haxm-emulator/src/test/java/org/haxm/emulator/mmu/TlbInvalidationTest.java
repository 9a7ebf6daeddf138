package org.haxm.emulator.mmu;

import static org.junit.jupiter.api.Assertions.*;

import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.TestMachine;
import org.haxm.emulator.cpu.TestMemory;
import org.haxm.emulator.mem.AccessType;
import org.haxm.emulator.mem.CodePageTracker;
import org.haxm.emulator.mem.HostPage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the TLB forgets (SDM Vol. 3A §4.10.4): a paging entry changed without invalidation may go
 * on being used; INVLPG, MOV to CR3 and paging-mode changes make the new entry take effect;
 * global pages survive MOV to CR3 while CR4.PGE = 1. Also the host side of an entry: writes use
 * host memory only through a dirty entry, every write reaches the code-page tracker, and the
 * memory's invalidation drops host locations.
 */
class TlbInvalidationTest {
    static final long P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80, G = 0x100;
    static final long PML4 = 0x20000, PDPT = 0x21000, PD = 0x22000, PT = 0x23000, PTE = PT + 8;
    static final long LINEAR = 0x1000, OLD = 0x80000, NEW = 0x90000;

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
        mem.put(OLD, 8, 0x01D);
        mem.put(NEW, 8, 0x0E3);
    }

    /** 4-level paging; linear 0x1000 -> OLD with {@code pteFlags}. */
    void paging64(long pteFlags, boolean pge) {
        mem.put(PML4, 8, PDPT | P | RW | US);
        mem.put(PDPT, 8, PD | P | RW | US);
        mem.put(PD, 8, PT | P | RW | US);
        mem.put(PTE, 8, OLD | pteFlags);
        s.cr4 |= CpuState.CR4_PAE | (pge ? CpuState.CR4_PGE : 0);
        s.cr3 = PML4;
        m.cpu.writeEfer(CpuState.EFER_LME);
        m.cpu.writeCr(0, s.cr0 | CpuState.CR0_PG);
    }

    long read() { return mmu.read(LINEAR, 8, AccessType.READ, true); }

    void remap() { mem.put(PTE, 8, NEW | P | RW | US); }

    @Test void aChangedEntryMayStillBeUsedUntilInvlpg() {
        paging64(P | RW | US, false);
        assertEquals(0x01D, read());
        remap();
        assertEquals(0x01D, read(), "no invalidation yet: the cached translation is still used (§4.10.4.2)");
        m.cpu.invalidatePage(LINEAR + 0xABC);
        assertEquals(0x0E3, read(), "INVLPG of any address in the page drops it");
    }

    @Test void movToCr3UsesTheNewEntry() {
        paging64(P | RW | US, false);
        assertEquals(0x01D, read());
        remap();
        m.cpu.writeCr(3, PML4);
        assertEquals(0x0E3, read(), "MOV to CR3 with the same value still invalidates");
    }

    @Test void globalPagesSurviveMovToCr3WithPgeButNotInvlpg() {
        paging64(P | RW | US | G, true);
        assertEquals(0x01D, read());
        remap();
        m.cpu.writeCr(3, PML4);
        assertEquals(0x01D, read(), "a global translation survives MOV to CR3 when CR4.PGE = 1 (§4.10.4.1)");
        m.cpu.invalidatePage(LINEAR);
        assertEquals(0x0E3, read(), "INVLPG drops global translations too");
    }

    @Test void theGlobalFlagMeansNothingWithoutPge() {
        paging64(P | RW | US | G, false);
        assertEquals(0x01D, read());
        remap();
        m.cpu.writeCr(3, PML4);
        assertEquals(0x0E3, read());
    }

    @Test void togglingPgeDropsGlobalPages() {
        paging64(P | RW | US | G, true);
        assertEquals(0x01D, read());
        remap();
        m.cpu.writeCr(4, s.cr4 & ~CpuState.CR4_PGE);
        assertEquals(0x0E3, read());
    }

    @Test void cr3RewrittenBehindTheMmusBackActsAsMovToCr3() {
        paging64(P | RW | US | G, true);
        assertEquals(0x01D, read());
        // A second hierarchy at 0x30000 that maps the page elsewhere, loaded as VM entry would.
        mem.put(0x30000, 8, 0x31000 | P | RW | US);
        mem.put(0x31000, 8, 0x32000 | P | RW | US);
        mem.put(0x32000, 8, 0x33000 | P | RW | US);
        mem.put(0x33008, 8, NEW | P | RW | US);
        s.cr3 = 0x30000;
        assertEquals(0x01D, read(), "the global entry is kept, as by MOV to CR3");
        m.cpu.invalidatePage(LINEAR);
        assertEquals(0x0E3, read());
        s.cr0 &= ~CpuState.CR0_WP;
        s.cr0 |= CpuState.CR0_WP;
        s.efer &= ~CpuState.EFER_NXE;
        assertEquals(0x0E3, read());
    }

    @Test void invlpgAnywhereInALargePageDropsEveryCachedPiece() {
        paging64(P | RW | US, false);
        mem.put(PD, 8, 0x400000 | P | RW | US | PS);       // 2-MiB page: linear 0..2M -> 4M..6M
        m.cpu.writeCr(3, PML4);
        mem.put(0x401000, 8, 0x11);
        mem.put(0x5FF000, 8, 0x22);
        mem.put(0x601000, 8, 0x33);
        mem.put(0x7FF000, 8, 0x44);
        assertEquals(0x11, mmu.read(0x1000, 8, AccessType.READ, true));
        assertEquals(0x22, mmu.read(0x1FF000, 8, AccessType.READ, true));
        mem.put(PD, 8, 0x600000 | P | RW | US | PS);
        m.cpu.invalidatePage(0x1000);
        assertEquals(0x44, mmu.read(0x1FF000, 8, AccessType.READ, true), "INVLPG invalidates the whole large page");
    }

    @Test void writesUseHostMemoryOnlyThroughADirtyEntry() {
        paging64(P | RW | US | A, false);
        assertEquals(0x01D, read());
        int fills = mem.resolutions;
        mmu.write(LINEAR + 8, 8, 0x77, true);
        assertEquals(D, mem.get(PTE, 8) & D, "the first write walks and sets D (§4.8)");
        mmu.write(LINEAR + 16, 8, 0x78, true);
        assertEquals(fills + 1, mem.resolutions, "the second write is a pure hit");
        assertEquals(0, mem.writes, "both writes went to the host page, not through PhysicalMemory.write");
        assertEquals(0x77, mem.get(OLD + 8, 8));
        assertEquals(0x78, mem.get(OLD + 16, 8));
    }

    @Test void aHostPageWithoutWritePermissionSendsWritesToTheSlowPath() {
        mem.hostPermissions = HostPage.READ | HostPage.EXECUTE;      // like ROM behind EPT
        paging64(P | RW | US | A | D, false);
        assertEquals(0x01D, read());
        mmu.write(LINEAR, 8, 5, true);
        mmu.write(LINEAR, 8, 6, true);
        assertEquals(2, mem.writes, "every write goes through PhysicalMemory.write, which decides (EPT violation/MMIO)");
        assertEquals(6, mem.get(OLD, 8));
    }

    @Test void everyGuestWriteReachesTheCodePageTracker() {
        CodePageTracker tracker = new CodePageTracker();
        mmu.setCodePageTracker(tracker);
        paging64(P | RW | US | A | D, false);
        read();
        int before = tracker.markCode(OLD);
        mmu.write(LINEAR + 0x10, 4, 1, true);                       // fast path
        assertNotEquals(before, tracker.version(OLD));
        int again = tracker.markCode(OLD);
        mmu.compareExchange(LINEAR + 0x20, 4, 0, 9, true);          // LOCK CMPXCHG, fast path
        assertNotEquals(again, tracker.version(OLD));
        int third = tracker.markCode(OLD);
        mem.put(PTE + 8, 8, NEW | P | RW | US | A | D);              // linear 0x2000 -> NEW
        mmu.write(LINEAR + 0xFFC, 8, -1L, true);                    // page-crossing: slow path
        assertNotEquals(third, tracker.version(OLD));
    }

    @Test void theMemorysInvalidationDropsHostLocations() {
        paging64(P | RW | US | A, false);
        read();
        int fills = mem.resolutions;
        read();
        assertEquals(fills, mem.resolutions, "a hit");
        mem.invalidateHostPages();
        read();
        assertEquals(fills + 1, mem.resolutions, "after the memory's invalidation the page is resolved again");
    }

    @Test void lockedCompareExchangeThroughTheFastPath() {
        paging64(P | RW | US | A | D, false);
        read();
        assertEquals(0x01D, mmu.compareExchange(LINEAR, 8, 0x01D, 0x42, true));
        assertEquals(0x42, mem.get(OLD, 8));
        assertEquals(0x42, mmu.compareExchange(LINEAR, 8, 0x01D, 0x99, true), "mismatch: unchanged");
        assertEquals(0x42, mem.get(OLD, 8));
        assertEquals(0, mem.writes);
    }
}
