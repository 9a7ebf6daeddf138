package org.haxm.emulator.mmu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.haxm.emulator.CpuException;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.TestMachine;
import org.haxm.emulator.cpu.TestMemory;

/**
 * The MMU agrees with a separately and plainly written page walker (SDM Vol. 3A §4.3-4.7) over
 * random page-table configurations: same physical address, or same #PF error code; A/D flags set
 * only on success, D only for writes.
 */
class PageWalkProperties {
    static final int MODE_32 = 0, MODE_PAE = 1, MODE_4LEVEL = 2;
    static final int READ = 0, WRITE = 1, EXECUTE = 2;
    static final long ADDR_36 = 0xF_FFFF_F000L;

    /** Result of the reference walk: a physical address, or a fault (vector, error code). */
    record Outcome(boolean fault, int vector, int errorCode, long gpa) {
        static Outcome ok(long gpa) { return new Outcome(false, 0, 0, gpa); }
        static Outcome pf(int error) { return new Outcome(true, 14, error, 0); }
    }

    @Property(tries = 600)
    void translationAgreesWithReferenceWalker(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int mode,
                                              @ForAll @IntRange(min = 0, max = 2) int access, @ForAll boolean supervisor,
                                              @ForAll boolean wp, @ForAll boolean nxe, @ForAll boolean pse) {
        Random r = new Random(seed);
        TestMachine m = new TestMachine();
        m.protectedMode32();
        TestMemory mem = m.mem;
        CpuState s = m.state;
        long linear = mode == MODE_4LEVEL ? ((r.nextLong() << 16) >> 16) : r.nextLong() & 0xFFFF_FFFFL;
        long cr3 = randomPage(r, mode);
        buildTables(r, mem, mode, cr3, linear);

        s.cr3 = cr3;
        if (mode != MODE_32) s.cr4 |= CpuState.CR4_PAE;
        if (pse) s.cr4 |= CpuState.CR4_PSE;
        m.cpu.writeEfer((mode == MODE_4LEVEL ? CpuState.EFER_LME : 0) | (nxe ? CpuState.EFER_NXE : 0));
        Outcome expected = reference(mem, mode, cr3, pse, nxe, wp, linear, access, supervisor);
        m.cpu.writeCr(0, s.cr0 | CpuState.CR0_PG | (wp ? CpuState.CR0_WP : 0));
        mem.pagingWrites = 0;

        Outcome actual;
        try {
            actual = Outcome.ok(m.cpu.mmu().translate(linear, access, supervisor));
        } catch (CpuException e) {
            actual = new Outcome(true, e.vector, e.errorCode, 0);
            assertEquals(linear, e.qualification, "#PF reports the linear address");
        }
        assertEquals(expected, actual, () -> String.format("mode %d linear %x access %d sup %b", mode, linear, access, supervisor));
        Statistics.collect(actual.fault() ? "fault" : "translated", (actual.errorCode() & 8) != 0 ? "rsvd" : "");
        if (actual.fault()) {
            assertEquals(0, mem.pagingWrites, "no A/D update on a faulting walk");
        } else {
            Outcome again = reference(mem, mode, cr3, pse, nxe, wp, linear, access, supervisor);
            assertEquals(expected, again, "A/D updates do not change the translation");
        }
    }

    /** Cached translations (TLB hits) grant exactly what a fresh walk grants, for every access kind. */
    @Property(tries = 300)
    void cachedTranslationsAgreeWithReferenceWalker(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int mode,
                                                    @ForAll boolean wp, @ForAll boolean nxe) {
        Random r = new Random(seed);
        TestMachine m = new TestMachine();
        m.protectedMode32();
        CpuState s = m.state;
        long linear = mode == MODE_4LEVEL ? ((r.nextLong() << 16) >> 16) : r.nextLong() & 0xFFFF_FFFFL;
        long cr3 = randomPage(r, mode);
        buildTables(r, m.mem, mode, cr3, linear);
        s.cr3 = cr3;
        s.cr4 |= CpuState.CR4_PSE | (mode != MODE_32 ? CpuState.CR4_PAE : 0);
        m.cpu.writeEfer((mode == MODE_4LEVEL ? CpuState.EFER_LME : 0) | (nxe ? CpuState.EFER_NXE : 0));
        m.cpu.writeCr(0, s.cr0 | CpuState.CR0_PG | (wp ? CpuState.CR0_WP : 0));
        for (int round = 0; round < 2; round++) {
            for (int access = 0; access < 3; access++) {
                for (boolean supervisor : new boolean[] {true, false}) {
                    long offset = r.nextInt(4096);
                    long address = (linear & ~0xFFFL) | offset;
                    Outcome expected = reference(m.mem, mode, cr3, true, nxe, wp, address, access, supervisor);
                    Outcome actual;
                    try {
                        actual = Outcome.ok(m.cpu.mmu().translate(address, access, supervisor));
                    } catch (CpuException e) {
                        actual = new Outcome(true, e.vector, e.errorCode, 0);
                    }
                    assertEquals(expected, actual, "round " + round + " access " + access + " supervisor " + supervisor);
                }
            }
        }
    }

    private static long randomPage(Random r, int mode) {
        long limit = mode == MODE_32 ? 1L << 32 : 1L << 36;
        return (0x100000 + (long) (r.nextDouble() * (limit - 0x200000))) & ~0xFFFL;
    }

    /** Writes one random entry at every level along {@code linear}'s walk. */
    private static void buildTables(Random r, TestMemory mem, int mode, long cr3, long linear) {
        if (mode == MODE_32) {
            long pdeAddr = (cr3 & 0xFFFF_F000L) + ((linear >>> 22) & 0x3FF) * 4;
            long pt = randomPage(r, mode);
            long pde = pt | flags(r) | (r.nextInt(4) == 0 ? 0x80 : 0) | ((long) r.nextInt(512) << 13) * (r.nextInt(3) == 0 ? 1 : 0);
            mem.put(pdeAddr, 4, pde);
            long ptAddr = (pde & 0xFFFF_F000L) + ((linear >>> 12) & 0x3FF) * 4;
            mem.put(ptAddr, 4, randomPage(r, mode) | flags(r));
            return;
        }
        long table;
        int firstShift;
        if (mode == MODE_PAE) {
            long pdpteAddr = (cr3 & 0xFFFF_FFE0L) + ((linear >>> 30) & 3) * 8;
            table = randomPage(r, mode);
            mem.put(pdpteAddr, 8, table | (r.nextInt(8) == 0 ? 0 : 1)); // PDPTE: only P, no reserved bits
            firstShift = 21;
        } else {
            table = cr3;
            firstShift = 39;
        }
        for (int shift = firstShift; shift >= 12; shift -= 9) {
            long next = randomPage(r, mode);
            long e = next | flags(r);
            if (shift != 12 && r.nextInt(4) == 0) e |= 0x80;                 // PS
            if (r.nextInt(10) == 0) e |= 1L << (36 + r.nextInt(16));         // beyond MAXPHYADDR
            if (r.nextInt(6) == 0) e |= 1L << (13 + r.nextInt(17));          // large-page reserved range
            if (r.nextInt(3) == 0) e |= 1L << 63;                            // XD
            mem.put((table & ADDR_36) + ((linear >>> shift) & 0x1FF) * 8, 8, e);
            table = e;
        }
    }

    /** P (mostly), R/W, U/S, A, D at random. */
    private static long flags(Random r) {
        return (r.nextInt(10) == 0 ? 0 : 1) | (r.nextInt(4) == 0 ? 0 : 2) | (r.nextInt(4) == 0 ? 0 : 4)
            | (r.nextBoolean() ? 0x20 : 0) | (r.nextBoolean() ? 0x40 : 0);
    }

    // ------------------------------------------------------------------------------------------
    // The reference walker: straight from the SDM tables, no sharing with the MMU.

    static Outcome reference(TestMemory mem, int mode, long cr3, boolean pse, boolean nxe, boolean wp,
                             long linear, int access, boolean supervisor) {
        int bits = (access == WRITE ? 2 : 0) | (supervisor ? 0 : 4)
            | (access == EXECUTE && nxe && mode != MODE_32 ? 16 : 0);
        boolean writable = true, user = true, executeDisabled = false;
        long gpa;
        if (mode == MODE_32) {
            long pde = mem.get((cr3 & 0xFFFF_F000L) + ((linear >>> 22) & 0x3FF) * 4, 4);
            if ((pde & 1) == 0) return Outcome.pf(bits);
            writable = (pde & 2) != 0;
            user = (pde & 4) != 0;
            if (pse && (pde & 0x80) != 0) {
                if ((pde & 0x3E_0000L) != 0) return Outcome.pf(1 | 8 | bits); // bits 21:17 reserved with MAXPHYADDR 36
                gpa = (pde & 0xFFC0_0000L) | (((pde >>> 13) & 0xF) << 32) | (linear & 0x3F_FFFFL);
            } else {
                long pte = mem.get((pde & 0xFFFF_F000L) + ((linear >>> 12) & 0x3FF) * 4, 4);
                if ((pte & 1) == 0) return Outcome.pf(bits);
                writable &= (pte & 2) != 0;
                user &= (pte & 4) != 0;
                gpa = (pte & 0xFFFF_F000L) | (linear & 0xFFF);
            }
        } else {
            long table;
            int level;
            if (mode == MODE_PAE) {
                long pdpte = mem.get((cr3 & 0xFFFF_FFE0L) + ((linear >>> 30) & 3) * 8, 8);
                if ((pdpte & 1) == 0) return Outcome.pf(bits);
                table = pdpte & ADDR_36;
                level = 2;
            } else {
                table = cr3 & ADDR_36;
                level = 4;
            }
            while (true) {
                int shift = 12 + 9 * (level - 1);
                long e = mem.get(table + ((linear >>> shift) & 0x1FF) * 8, 8);
                if ((e & 1) == 0) return Outcome.pf(bits);
                boolean large = (e & 0x80) != 0 && level > 1;
                long reserved = mode == MODE_PAE ? 0x7FFF_FFF0_0000_0000L : 0x000F_FFF0_0000_0000L;
                if (!nxe) reserved |= 1L << 63;
                if (level == 4 && large) return Outcome.pf(1 | 8 | bits);                    // PS in a PML4E
                if (large && level == 3) reserved |= 0x3FFF_E000L;                           // 1-GiB page bits 29:13
                if (large && level == 2) reserved |= 0x1F_E000L;                             // 2-MiB page bits 20:13
                if ((e & reserved) != 0) return Outcome.pf(1 | 8 | bits);
                writable &= (e & 2) != 0;
                user &= (e & 4) != 0;
                executeDisabled |= nxe && (e & (1L << 63)) != 0;
                if (large || level == 1) {
                    long size = 1L << shift;
                    gpa = (e & ADDR_36 & ~(size - 1)) | (linear & (size - 1));
                    break;
                }
                table = e & ADDR_36;
                level--;
            }
        }
        boolean violation = (!supervisor && !user)
            || (access == WRITE && !writable && (!supervisor || wp))
            || (access == EXECUTE && executeDisabled);
        return violation ? Outcome.pf(1 | bits) : Outcome.ok(gpa);
    }
}
