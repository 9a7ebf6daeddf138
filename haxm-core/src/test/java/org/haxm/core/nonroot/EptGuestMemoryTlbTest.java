package org.haxm.core.nonroot;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.InstructionAbort;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.mem.AccessType;
import org.haxm.emulator.mmu.Mmu;
import org.haxm.ept.EptEntry;
import org.haxm.ept.GuestPhysicalMemory;
import org.haxm.ept.RamBlock;
import org.haxm.vmx.ExitReason;
import org.junit.jupiter.api.Test;

/**
 * The MMU's TLB over EPT-translated memory (SDM Vol. 3C §29.4): folded translations reach RAM
 * directly, yet EPT dirty flags still record writes, remapping through the API makes the next
 * access exit as without a TLB, and ROM stays read-only.
 */
class EptGuestMemoryTlbTest {
    static final long RAM = 0x100000;

    final PendingExit exit = new PendingExit();
    final CpuState state = new CpuState();

    /** A CPU without paging (linear = guest-physical) over {@code memory}. */
    Mmu mmuOver(GuestPhysicalMemory memory, EptGuestMemory guest) {
        state.reset();
        return new Cpu(state, guest, null, null).mmu();
    }

    static long eptLeaf(GuestPhysicalMemory memory, long gpa) {
        for (int level = EptEntry.LEVEL_PML4; ; level--) {
            long e = memory.eptPageTables().entry(gpa, level);
            if (EptEntry.isLeaf(e, level)) return e;
        }
    }

    @Test void eptDirtyFlagsRecordWritesThroughTheTlb() {
        GuestPhysicalMemory memory = new GuestPhysicalMemory(true);
        RamBlock block = memory.allocateRamBlock(0x200000);
        memory.map(RAM, block, 0, 0x200000, false);
        EptGuestMemory guest = new EptGuestMemory(memory, exit);
        Mmu mmu = mmuOver(memory, guest);

        assertEquals(0, mmu.read(RAM + 0x10, 8, AccessType.READ, true));
        assertEquals(EptEntry.ACCESSED, eptLeaf(memory, RAM) & (EptEntry.ACCESSED | EptEntry.DIRTY), "a read sets A only");
        mmu.read(RAM + 0x18, 8, AccessType.READ, true);                 // a TLB hit
        mmu.write(RAM + 0x20, 8, 0x1234, true);
        assertEquals(EptEntry.DIRTY, eptLeaf(memory, RAM) & EptEntry.DIRTY, "the first write through a read-filled entry sets D (§29.3.5)");
        mmu.write(RAM + 0x28, 4, 0x55, true);
        assertEquals(0x1234, mmu.read(RAM + 0x20, 8, AccessType.READ, true));
        byte[] back = new byte[16];
        memory.readBytes(RAM + 0x20, back, 0, 16);
        assertEquals(0x1234, ByteBuffer.wrap(back).order(ByteOrder.LITTLE_ENDIAN).getLong(0), "the write reached the RAM block");
        assertEquals(0x55, ByteBuffer.wrap(back).order(ByteOrder.LITTLE_ENDIAN).getInt(8));

        // A new generation starts with clean flags; the TLB must not write around them.
        memory.map(RAM, block, 0, 0x200000, false);
        guest.syncWithMappings();
        mmu.write(RAM + 0x30, 8, 1, true);
        assertEquals(EptEntry.DIRTY, eptLeaf(memory, RAM) & EptEntry.DIRTY, "after remapping, a write records D again");
    }

    @Test void unmappingRamMakesTheNextAccessAnEptViolation() {
        GuestPhysicalMemory memory = new GuestPhysicalMemory();
        RamBlock block = memory.allocateRamBlock(0x200000);
        memory.map(RAM, block, 0, 0x200000, false);
        EptGuestMemory guest = new EptGuestMemory(memory, exit);
        Mmu mmu = mmuOver(memory, guest);
        mmu.write(RAM + 0x40, 8, 7, true);
        assertEquals(7, mmu.read(RAM + 0x40, 8, AccessType.READ, true));

        memory.unmap(RAM, 0x1000);
        guest.syncWithMappings();                                       // what the run loop does each slice
        assertThrows(InstructionAbort.class, () -> mmu.read(RAM + 0x40, 8, AccessType.READ, true));
        assertEquals(ExitReason.EPT_VIOLATION.number(), exit.reason);
        assertEquals(RAM + 0x40, exit.guestPhysical);
        assertEquals(0x181, exit.qualification, "data read, no permissions, linear valid, final translation");
        exit.clear();
        assertEquals(0, mmu.read(RAM + 0x1040, 8, AccessType.READ, true), "the next page is still RAM");
    }

    @Test void remappingToOtherRamIsSeenAfterTheGenerationChange() {
        GuestPhysicalMemory memory = new GuestPhysicalMemory();
        RamBlock block = memory.allocateRamBlock(0x400000);
        memory.map(RAM, block, 0, 0x1000, false);
        EptGuestMemory guest = new EptGuestMemory(memory, exit);
        Mmu mmu = mmuOver(memory, guest);
        mmu.write(RAM, 8, 0xAAAA, true);
        memory.map(RAM, block, 0x300000, 0x1000, false);
        guest.syncWithMappings();
        assertEquals(0, mmu.read(RAM, 8, AccessType.READ, true), "the new backing, not the cached one");
    }

    @Test void romStaysReadOnlyAfterAReadFilledTheTlb() {
        GuestPhysicalMemory memory = new GuestPhysicalMemory();
        RamBlock block = memory.allocateRamBlock(0x1000);
        memory.map(RAM, block, 0, 0x1000, true);
        memory.writeBytes(RAM, new byte[] {0x5A}, 0, 1);
        EptGuestMemory guest = new EptGuestMemory(memory, exit);
        Mmu mmu = mmuOver(memory, guest);
        assertEquals(0x5A, mmu.read(RAM, 1, AccessType.READ, true));
        assertThrows(InstructionAbort.class, () -> mmu.write(RAM, 1, 0, true));
        assertEquals(ExitReason.EPT_VIOLATION.number(), exit.reason);
        assertEquals(0x5A, mmu.read(RAM, 1, AccessType.READ, true), "the ROM byte is unchanged");
    }

    @Test void lockedCompareExchangeOnDirectBufferRam() {
        GuestPhysicalMemory memory = new GuestPhysicalMemory();
        ByteBuffer direct = ByteBuffer.allocateDirect(0x2000 + 3).position(3);
        RamBlock block = memory.addRamBlock(direct);                    // a caller buffer at an odd address
        memory.map(RAM, block, 0, 0x2000, false);
        EptGuestMemory guest = new EptGuestMemory(memory, exit);
        Mmu mmu = mmuOver(memory, guest);
        mmu.write(RAM + 8, 8, 41, true);
        assertEquals(41, mmu.compareExchange(RAM + 8, 8, 41, 42, true));
        assertEquals(42, mmu.compareExchange(RAM + 8, 8, 41, 43, true));
        assertEquals(42, mmu.read(RAM + 8, 8, AccessType.READ, true));
        assertEquals(42, direct.order(ByteOrder.LITTLE_ENDIAN).getLong(3 + 8), "the caller's buffer holds the value");
        assertEquals(0, mmu.compareExchange(RAM + 0x101, 2, 0, 0xBEEF, true));
        assertEquals(0xBEEF, mmu.read(RAM + 0x101, 2, AccessType.READ, true));
    }

    /** Hits, misses (4096 pages through a 1024-entry TLB), page-crossing accesses and LOCK allocate nothing. */
    @Test void accessesAllocateNothing() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
            "per-thread allocation counters not available: skipping");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        GuestPhysicalMemory memory = new GuestPhysicalMemory(true);
        RamBlock block = memory.allocateRamBlock(0x1000000);
        memory.map(0, block, 0, 0x1000000, false);
        EptGuestMemory guest = new EptGuestMemory(memory, exit);
        Mmu mmu = mmuOver(memory, guest);
        long sum = touch(mmu);                                              // warm-up: chunks, class init
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int round = 0; round < 5; round++) sum += touch(mmu);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 1024, "the MMU allocated " + allocated + " bytes for ~400,000 accesses (" + sum + ")");
    }

    private static long touch(Mmu mmu) {
        long sum = 0;
        for (int i = 0; i < 40_000; i++) {
            long hit = 0x10000 + (i & 0x3FF) * 8;
            sum += mmu.read(hit, 8, AccessType.READ, true);
            mmu.write(hit + 0x2000, 4, i, true);
            sum += mmu.compareExchange(hit + 0x4000, 8, i - 1, i, true);
            long miss = ((long) (i & 0xFFF) << 12) + 0x20;                // 4096 pages
            sum += mmu.read(miss, 4, AccessType.READ, true);
            mmu.write(miss + 8, 8, sum, true);
            sum += mmu.read(0x30FFE + ((long) (i & 7) << 12), 4, AccessType.READ, true);   // crosses a page
            if ((i & 0xFF) == 0) mmu.flush();
        }
        return sum;
    }
}
