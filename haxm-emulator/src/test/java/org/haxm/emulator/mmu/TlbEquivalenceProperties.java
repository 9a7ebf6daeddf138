package org.haxm.emulator.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.haxm.emulator.CpuException;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.TestMachine;
import org.haxm.emulator.mem.AccessType;

/**
 * The software TLB is invisible to the guest (SDM Vol. 3A §4.10): over random page tables (all
 * three paging modes, large and global pages, random P/RW/US/A/D/G/XD and reserved bits, CR0.WP,
 * EFER.NXE, CR4.SMEP/PGE) and random sequences of reads, writes, fetches, LOCK compare-exchanges
 * and write probes — page-crossing ones included — a TLB-enabled MMU over memory whose pages it
 * may access directly gives exactly the results of a walk-every-time MMU over memory it may not:
 * the same values, the same #PF error codes and faulting linear addresses (CR2), and the same
 * memory afterwards, accessed and dirty flags included. Paging entries are changed between
 * accesses only together with the invalidation the SDM requires (INVLPG for a leaf, MOV to CR3 or
 * a CR4.PGE toggle for an upper level), so the two must never differ.
 */
class TlbEquivalenceProperties {
    static final int MODE_32 = 0, MODE_PAE = 1, MODE_4LEVEL = 2;
    static final long P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80, G = 0x100, XD = 1L << 63;
    static final long TABLE_POOL = 0x100000, DATA_POOL = 0x200000;

    @Property(tries = 250)
    void tlbHitsAndMissesAreInvisible(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int mode,
                                      @ForAll boolean wp, @ForAll boolean nxe, @ForAll boolean smep, @ForAll boolean pge) {
        Machine cached = new Machine(true);
        Machine reference = new Machine(false);
        List<Long> pages = new ArrayList<>();
        List<Long> leafAddresses = new ArrayList<>();
        List<Long> upperAddresses = new ArrayList<>();
        for (Machine m : new Machine[] {cached, reference}) {
            Random r = new Random(seed);
            pages.clear(); leafAddresses.clear(); upperAddresses.clear();
            new TableBuilder(r, m.m, mode, nxe).build(pages, leafAddresses, upperAddresses);
            m.enterPaging(mode, wp, nxe, smep, pge);
        }
        Random r = new Random(seed ^ 0x5DEECE66DL);
        int hits = 0;
        for (int step = 0; step < 60; step++) {
            if (r.nextInt(8) == 0) {
                // Change one paging entry in both, with the invalidation the SDM requires.
                boolean leaf = r.nextBoolean() || upperAddresses.isEmpty();
                List<Long> from = leaf ? leafAddresses : upperAddresses;
                int which = r.nextInt(from.size());
                long flip = new long[] {P, RW, US, A, D, G}[r.nextInt(6)];
                for (Machine m : new Machine[] {cached, reference}) m.flipEntry(from.get(which), flip, mode);
                if (leaf) {
                    long page = pages.get(Math.min(which, pages.size() - 1));
                    // A leaf slot belongs to one linear page (leafAddresses parallels pages).
                    cached.m.cpu.invalidatePage(page);
                    reference.m.cpu.invalidatePage(page);
                } else {
                    for (Machine m : new Machine[] {cached, reference}) m.invalidateAll(pge);
                }
                continue;
            }
            long page = pages.get(r.nextInt(pages.size()));
            int size = new int[] {1, 2, 4, 8}[r.nextInt(4)];
            int offset = r.nextInt(6) == 0 ? 0x1000 - r.nextInt(size + 1) : r.nextInt(4096 - 8) & ~(r.nextBoolean() ? size - 1 : 0);
            long linear = page + offset;
            int op = r.nextInt(5);
            boolean supervisor = r.nextInt(3) != 0;
            long value = r.nextLong();
            String a = cached.run(op, linear, size, value, supervisor);
            String b = reference.run(op, linear, size, value, supervisor);
            assertEquals(b, a, () -> String.format("op %d at %x size %d sup %b", op, linear, size, supervisor));
            assertTrue(cached.m.mem.sameContents(reference.m.mem), "memory (data, A and D flags) differs after " + a);
            if (!a.startsWith("#")) hits++;
        }
        assertEquals(0, reference.m.mem.resolutions, "the reference never uses host pages");
        Statistics.label("TLB host fills").collect(cached.m.mem.resolutions == 0 ? "none" : "some");
        Statistics.label("successful accesses").collect(hits > 30 ? "more than half" : "half or less");
    }

    /** One machine under test: an MMU with or without its TLB. */
    static final class Machine {
        final TestMachine m = new TestMachine();
        final Mmu mmu = m.cpu.mmu();

        Machine(boolean tlb) {
            m.protectedMode32();
            m.mem.resolvable = tlb;
            mmu.setTlbEnabled(tlb);
        }

        void enterPaging(int mode, boolean wp, boolean nxe, boolean smep, boolean pge) {
            CpuState s = m.state;
            s.cr3 = TABLE_POOL;
            s.cr4 |= CpuState.CR4_PSE | (mode != MODE_32 ? CpuState.CR4_PAE : 0)
                | (smep ? CpuState.CR4_SMEP : 0) | (pge ? CpuState.CR4_PGE : 0);
            m.cpu.writeEfer((mode == MODE_4LEVEL ? CpuState.EFER_LME : 0) | (nxe ? CpuState.EFER_NXE : 0));
            m.cpu.writeCr(0, s.cr0 | CpuState.CR0_PG | (wp ? CpuState.CR0_WP : 0));
        }

        void flipEntry(long address, long bit, int mode) {
            int size = mode == MODE_32 ? 4 : 8;
            m.mem.put(address, size, m.mem.get(address, size) ^ bit);
        }

        /** Every non-global translation via MOV to CR3, global ones too via a CR4.PGE toggle. */
        void invalidateAll(boolean pge) {
            if (pge) {
                m.cpu.writeCr(4, m.state.cr4 & ~CpuState.CR4_PGE);
                m.cpu.writeCr(4, m.state.cr4 | CpuState.CR4_PGE);
            } else {
                m.cpu.writeCr(3, m.state.cr3);
            }
        }

        /** Performs one access; describes its outcome (value or fault) for comparison. */
        String run(int op, long linear, int size, long value, boolean supervisor) {
            try {
                return switch (op) {
                    case 0 -> "read " + mmu.read(linear, size, AccessType.READ, supervisor);
                    case 1 -> { mmu.write(linear, size, value, supervisor); yield "written"; }
                    case 2 -> "fetch " + mmu.read(linear, 1, AccessType.EXECUTE, supervisor);
                    case 3 -> "cmpxchg " + mmu.compareExchange(linear, size, value & 1, value, supervisor);
                    default -> { mmu.probeWrite(linear, size, supervisor); yield "probed"; }
                };
            } catch (CpuException e) {
                return String.format("#%d error %x at %x", e.vector, e.errorCode, e.qualification);
            }
        }
    }

    /**
     * Random page tables for a handful of linear pages. Tables come from one pool, data frames
     * from another, so guest data writes never touch a paging structure. Upper-level entries are
     * shared by pages that share the path, as in real tables.
     */
    static final class TableBuilder {
        final Random r;
        final TestMachine m;
        final int mode;
        final boolean nxe;
        long nextTable = TABLE_POOL + 0x1000;

        TableBuilder(Random r, TestMachine m, int mode, boolean nxe) {
            this.r = r; this.m = m; this.mode = mode; this.nxe = nxe;
        }

        void build(List<Long> pages, List<Long> leaves, List<Long> uppers) {
            long base = mode == MODE_4LEVEL && r.nextBoolean() ? 0xFFFF_8000_0000_0000L : 0;
            long region = (r.nextInt(4) + 1L) << 30;
            for (int i = 0; i < 6; i++) {
                long linear = switch (r.nextInt(3)) {
                    case 0 -> region + ((long) i << 12);              // neighbours share every upper level
                    case 1 -> region + ((long) r.nextInt(1 << 10) << 21) + ((long) r.nextInt(512) << 12);
                    default -> ((long) r.nextInt(1 << 20)) << 12;
                };
                if (mode != MODE_4LEVEL) linear &= 0xFFFF_F000L; else linear = (base | linear) & ~0xFFFL;
                if (pages.contains(linear)) continue;
                pages.add(linear);
                leaves.add(map(linear, uppers));
            }
        }

        /** Creates the missing entries on the walk of {@code linear}; returns the leaf entry's address. */
        long map(long linear, List<Long> uppers) {
            if (mode == MODE_32) {
                long pdeAddr = TABLE_POOL + ((linear >>> 22) & 0x3FF) * 4;
                long pde = m.mem.get(pdeAddr, 4);
                if (pde == 0) {
                    if (r.nextInt(5) == 0) {
                        m.mem.put(pdeAddr, 4, (0x40_0000L << r.nextInt(2)) << 1 | PS | flags(true));
                        return pdeAddr;
                    }
                    pde = table() | flags(false);
                    m.mem.put(pdeAddr, 4, pde);
                    uppers.add(pdeAddr);
                }
                if ((pde & PS) != 0) return pdeAddr;
                long pteAddr = (pde & 0xFFFF_F000L) + ((linear >>> 12) & 0x3FF) * 4;
                m.mem.put(pteAddr, 4, data() | flags(true));
                return pteAddr;
            }
            long table;
            int shift;
            if (mode == MODE_PAE) {
                long pdpteAddr = TABLE_POOL + ((linear >>> 30) & 3) * 8;
                long pdpte = m.mem.get(pdpteAddr, 8);
                if (pdpte == 0) {
                    pdpte = table() | P;
                    m.mem.put(pdpteAddr, 8, pdpte);
                }
                table = pdpte & ~0xFFFL;
                shift = 21;
            } else {
                table = TABLE_POOL;
                shift = 39;
            }
            for (; ; shift -= 9) {
                long addr = table + ((linear >>> shift) & 0x1FF) * 8;
                long e = m.mem.get(addr, 8);
                if (shift == 12) {
                    m.mem.put(addr, 8, data() | flags(true) | xd());
                    return addr;
                }
                if (e == 0) {
                    if (shift == 21 && r.nextInt(5) == 0) {
                        m.mem.put(addr, 8, (0x40_0000L << r.nextInt(2)) | PS | flags(true) | xd());
                        return addr;
                    }
                    e = table() | flags(false) | xd();
                    m.mem.put(addr, 8, e);
                    uppers.add(addr);
                }
                if ((e & PS) != 0) return addr;
                table = e & 0xF_FFFF_F000L & ~0xFFFL;
            }
        }

        long table() {
            long t = nextTable;
            nextTable += 0x1000;
            return t;
        }

        long data() { return DATA_POOL + ((long) r.nextInt(256) << 12); }

        /** P mostly, RW/US mostly, A and D (and G on leaves) at random; now and then a reserved bit. */
        long flags(boolean leaf) {
            long f = (r.nextInt(20) == 0 ? 0 : P) | (r.nextInt(6) == 0 ? 0 : RW) | (r.nextInt(6) == 0 ? 0 : US)
                | (r.nextBoolean() ? A : 0);
            if (leaf) f |= (r.nextBoolean() ? D : 0) | (r.nextBoolean() ? G : 0);
            if (mode != MODE_32 && r.nextInt(40) == 0) f |= 1L << (40 + r.nextInt(10)); // beyond MAXPHYADDR
            return f;
        }

        long xd() { return r.nextInt(6) == 0 && (nxe || r.nextInt(3) == 0) ? XD : 0; }
    }
}
