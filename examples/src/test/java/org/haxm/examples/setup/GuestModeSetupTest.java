package org.haxm.examples.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class GuestModeSetupTest {

    private static final int RAM = 2 << 20;

    // ---- reference page walks (SDM Vol. 3A §4.3 and §4.5), independent of the builder -------------

    /** 32-bit paging walk; returns the physical address or -1 if not present. */
    static long walk32(ArrayGuestMemory m, long cr3, long linear) {
        long pde = m.u32((cr3 & ~0xFFFL) + ((linear >>> 22) & 0x3FF) * 4);
        if ((pde & 1) == 0) return -1;
        if ((pde & 0x80) != 0) return (pde & 0xFFC0_0000L) | (linear & 0x3F_FFFF);
        long pte = m.u32((pde & ~0xFFFL) + ((linear >>> 12) & 0x3FF) * 4);
        if ((pte & 1) == 0) return -1;
        return (pte & ~0xFFFL) | (linear & 0xFFF);
    }

    /** 4-level walk; returns the physical address or -1 if not present. */
    static long walk64(ArrayGuestMemory m, long cr3, long linear) {
        long addrMask = 0x000F_FFFF_FFFF_F000L;
        long pml4e = m.u64((cr3 & addrMask) + ((linear >>> 39) & 0x1FF) * 8);
        if ((pml4e & 1) == 0) return -1;
        long pdpte = m.u64((pml4e & addrMask) + ((linear >>> 30) & 0x1FF) * 8);
        if ((pdpte & 1) == 0) return -1;
        if ((pdpte & 0x80) != 0) return (pdpte & 0x000F_FFFF_C000_0000L) | (linear & 0x3FFF_FFFF);
        long pde = m.u64((pdpte & addrMask) + ((linear >>> 21) & 0x1FF) * 8);
        if ((pde & 1) == 0) return -1;
        if ((pde & 0x80) != 0) return (pde & 0x000F_FFFF_FFE0_0000L) | (linear & 0x1F_FFFF);
        long pte = m.u64((pde & addrMask) + ((linear >>> 12) & 0x1FF) * 8);
        if ((pte & 1) == 0) return -1;
        return (pte & addrMask) | (linear & 0xFFF);
    }

    // ---- GDT -------------------------------------------------------------------------------------

    @Test
    void protectedModeGdtHoldsFlat32BitCodeAndData() {
        ArrayGuestMemory m = new ArrayGuestMemory(RAM);
        InitialCpuState s = GuestModeSetup.prepare(GuestMode.PROTECTED, RAM, 0x10000, m);
        assertEquals(0x1000, s.gdtBase());
        assertEquals(0x17, s.gdtLimit());
        assertEquals(0L, m.u64(0x1000));
        // base 0, limit 0xFFFFF, access 0x9B, flags G|D: the classic flat descriptors
        assertEquals(0x00CF_9B00_0000_FFFFL, m.u64(0x1008));
        assertEquals(0x00CF_9300_0000_FFFFL, m.u64(0x1010));
        assertEquals(new SegmentState(0x08, 0, 0xFFFF_FFFF, 0xC09B), s.cs());
        assertEquals(new SegmentState(0x10, 0, 0xFFFF_FFFF, 0xC093), s.ss());
        assertEquals(0x31, s.cr0());
        assertEquals(0, s.cr4());
        assertEquals(0, s.efer());
        assertEquals(RAM, s.rsp());
        assertEquals(0x10000, s.rip());
    }

    @Test
    void longModeGdtHas64BitCodeSegment() {
        ArrayGuestMemory m = new ArrayGuestMemory(1 << 20);
        InitialCpuState s = GuestModeSetup.prepare(GuestMode.LONG, 1 << 20, 0x10000, m);
        assertEquals(0x00AF_9B00_0000_FFFFL, m.u64(0x1008), "L=1, D=0");
        assertEquals(0x00CF_9300_0000_FFFFL, m.u64(0x1010));
        assertEquals(0xA09B, s.cs().accessRights());
        assertEquals(0x8000_0031L, s.cr0());
        assertEquals(0x20, s.cr4(), "PAE");
        assertEquals(0x500, s.efer(), "LME | LMA");
        assertEquals(0x2000, s.cr3());
    }

    @Test
    void everyModeHasInterruptsOffNoIdtAndABusyTss() {
        for (GuestMode mode : GuestMode.values()) {
            InitialCpuState s = GuestModeSetup.prepare(mode, RAM, 0x7C00, new ArrayGuestMemory(RAM));
            assertEquals(0x2, s.rflags(), mode.toString());
            assertEquals(0, s.idtLimit(), mode.toString());
            assertEquals(new SegmentState(0, 0, 0x67, 0x8B), s.tr(), mode.toString());
            assertEquals(SegmentState.UNUSABLE, s.ldtr().accessRights() & SegmentState.UNUSABLE, mode.toString());
            assertEquals(s.mode(), mode);
        }
    }

    @Test
    void realModeUsesSegmentZeroAndA16BitStack() {
        ArrayGuestMemory m = new ArrayGuestMemory(RAM);
        InitialCpuState s = GuestModeSetup.prepare(GuestMode.REAL, RAM, 0x7C00, m);
        assertEquals(new SegmentState(0, 0, 0xFFFF, 0x9B), s.cs());
        assertEquals(new SegmentState(0, 0, 0xFFFF, 0x93), s.ds());
        assertEquals(0xFFFE, s.rsp());
        assertEquals(0x30, s.cr0(), "PE=0, ET|NE");
        assertTrue(java.util.stream.IntStream.range(0, RAM).allMatch(i -> m.bytes[i] == 0), "real mode writes nothing");
        InitialCpuState small = GuestModeSetup.prepare(GuestMode.REAL, 0x8000, 0x7C00, m);
        assertEquals(0x7FFE, small.rsp());
    }

    @Test
    void realModeEntryAbove64KiBIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestModeSetup.prepare(GuestMode.REAL, RAM, 0x10000, new ArrayGuestMemory(RAM)));
        assertTrue(e.getMessage().contains("0x10000"), e.getMessage());
    }

    @Test
    void reservedRegionsMatchTheLayout() {
        assertEquals(Optional.empty(), GuestModeSetup.reservedRegion(GuestMode.REAL));
        assertEquals(Optional.of(new AddressRange(0x1000, 0x2000)), GuestModeSetup.reservedRegion(GuestMode.PROTECTED));
        assertEquals(Optional.of(new AddressRange(0x1000, 0x4000)), GuestModeSetup.reservedRegion(GuestMode.PAGED32));
        assertEquals(Optional.of(new AddressRange(0x1000, 0x10000)), GuestModeSetup.reservedRegion(GuestMode.LONG));
    }

    @Test
    void setupWritesOnlyInsideTheReservedRegion() {
        for (GuestMode mode : GuestMode.values()) {
            ArrayGuestMemory m = new ArrayGuestMemory(RAM);
            GuestModeSetup.prepare(mode, RAM, 0x7000, (gpa, data, off, len) -> {
                AddressRange written = AddressRange.ofLength(gpa, len);
                assertTrue(GuestModeSetup.reservedRegion(mode).orElseThrow().contains(written), mode + " wrote " + written);
                m.write(gpa, data, off, len);
            });
        }
    }

    @Test
    void ramTooSmallForTheStructuresIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestModeSetup.prepare(GuestMode.LONG, 0x8000, 0x100, new ArrayGuestMemory(0x8000)));
        assertTrue(e.getMessage().contains("0x1000..0xffff"), e.getMessage());
    }

    @Test
    void ramTooLargeForLongModeTablesIsRefused() {
        long ram = 13L << 30;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestModeSetup.prepare(GuestMode.LONG, ram, 0x10000, (gpa, d, o, l) -> { }));
        assertTrue(e.getMessage().contains("too large") && e.getMessage().contains("12"), e.getMessage());
        assertEquals(12, GuestModeSetup.longModePageDirectories(12L << 30));
        assertEquals(4, GuestModeSetup.longModePageDirectories(2 << 20));
        assertEquals(5, GuestModeSetup.longModePageDirectories((4L << 30) + 4096));
    }

    // ---- page tables: a reference walk maps addresses identically ---------------------------------

    @Property(tries = 200)
    void paged32IdentityMapsTheLow4GiB(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long linear) {
        ArrayGuestMemory m = paged32Memory();
        assertEquals(linear, walk32(m, GuestModeSetup.PAGING_ROOT, linear));
    }

    @Test
    void paged32UsesSmallPagesBelow4MiBAndPsePagesAbove() {
        ArrayGuestMemory m = paged32Memory();
        assertEquals(0x3003, m.u32(0x2000), "PDE 0 -> page table at 0x3000");
        assertEquals(0x0040_0083L, m.u32(0x2004), "PDE 1: 4 MiB page at 4 MiB");
        assertEquals(0xFFC0_0083L, m.u32(0x2000 + 1023 * 4));
        assertEquals(0x0000_7003L, m.u32(0x3000 + 7 * 4));
        for (long a : new long[] {0, 0x400, 0x7C00, 0x10000, 0x3F_FFFF, 0x40_0000, 0xD000_0004L, 0xFFFF_FFFFL}) {
            assertEquals(a, walk32(m, 0x2000, a));
        }
    }

    @Property(tries = 200)
    void longModeIdentityMapsAtLeast4GiB(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long linear) {
        ArrayGuestMemory m = longMemory(RAM);
        assertEquals(linear, walk64(m, GuestModeSetup.PAGING_ROOT, linear));
    }

    @Test
    void longModeMapsExactlyTheNeededGibibytes() {
        ArrayGuestMemory m = longMemory(RAM);
        for (long a : new long[] {0, 0x400, 0x10000, 0x1F_FFFF, 0x20_0000, 0xD000_0008L, 0xFFFF_FFFFL}) {
            assertEquals(a, walk64(m, 0x2000, a));
        }
        assertEquals(-1, walk64(m, 0x2000, 4L << 30), "5th GiB unmapped when RAM < 4 GiB");
        assertEquals(-1, walk64(m, 0x2000, 1L << 39), "PML4 entry 1 not present");
        assertEquals(0x3003, m.u64(0x2000));
        assertEquals(0x7003, m.u64(0x3000 + 3 * 8));
        assertEquals(0, m.u64(0x3000 + 4 * 8));
    }

    @Test
    void longModeWithLargeRamMapsAllOfIt() {
        long ram = 6L << 30;
        ArrayGuestMemory m = new ArrayGuestMemory(0x10000);
        GuestModeSetup.prepare(GuestMode.LONG, ram, 0x10000, m);
        assertEquals(ram - 1, walk64(m, 0x2000, ram - 1));
        assertEquals((5L << 30) + 0x12345, walk64(m, 0x2000, (5L << 30) + 0x12345));
        assertEquals(-1, walk64(m, 0x2000, ram));
    }

    private static ArrayGuestMemory paged32Memory() {
        ArrayGuestMemory m = new ArrayGuestMemory(0x10000);
        InitialCpuState s = GuestModeSetup.prepare(GuestMode.PAGED32, RAM, 0x8000, m);
        assertEquals(0x8000_0031L, s.cr0());
        assertEquals(0x10, s.cr4(), "PSE");
        assertEquals(0x2000, s.cr3());
        return m;
    }

    private static ArrayGuestMemory longMemory(int ram) {
        ArrayGuestMemory m = new ArrayGuestMemory(0x10000);
        GuestModeSetup.prepare(GuestMode.LONG, ram, 0x8000, m);
        return m;
    }
}
