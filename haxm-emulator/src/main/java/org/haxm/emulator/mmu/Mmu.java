package org.haxm.emulator.mmu;

import org.haxm.emulator.CpuException;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.mem.AccessType;
import org.haxm.emulator.mem.CodePageTracker;
import org.haxm.emulator.mem.PhysicalMemory;

/**
 * The guest's paging unit (SDM Vol. 3A ch. 4): translates linear addresses with the paging mode
 * the control registers select, checks U/S, R/W (with CR0.WP), NX (with EFER.NXE) and SMEP,
 * raises #PF with the architectural error code, sets accessed and dirty flags, and splits
 * accesses that cross a 4-KiB boundary into two all-or-nothing translations.
 *
 * <p>Not modelled: SMAP, protection keys, PCIDs (CR3 bits 11:0 are ignored), 5-level paging,
 * global-page retention (every flush is total, which the SDM permits, §4.10.4).
 *
 * <p>Hot path: a TLB hit costs a few compares and allocates nothing. The TLB is also flushed
 * whenever CR0, CR3, CR4 or EFER differ from the values it was filled under, so code that
 * rewrites the state directly (VM entry) cannot see stale translations.
 */
public final class Mmu {
    /** MAXPHYADDR, as HAXM reports it (CPUID.80000008H:EAX[7:0]). */
    public static final int PHYS_ADDR_BITS = 36;
    private static final long PHYS_MASK = (1L << PHYS_ADDR_BITS) - 1;
    /** Bits 51:MAXPHYADDR of 4-level entries and 62:MAXPHYADDR of PAE entries (§4.4.2, §4.5.4). */
    private static final long RSVD_HIGH_LEVEL4 = ((1L << 52) - 1) & ~PHYS_MASK;
    private static final long RSVD_HIGH_PAE = ((1L << 63) - 1) & ~PHYS_MASK;
    private static final long XD = 1L << 63;
    private static final long P = 1, RW = 2, US = 4, A = 32, D = 64, PS = 128;

    private final CpuState state;
    private final CpuException exception;
    private final Tlb tlb = new Tlb();
    private PhysicalMemory memory;
    /** Told of every guest-physical write so decoded code of the page is forgotten (SMC). */
    private CodePageTracker codePages = new CodePageTracker();
    private long tlbCr0, tlbCr3, tlbCr4, tlbEfer;

    // Scratch of the current walk (no allocation per walk).
    private final long[] walkAddr = new long[4];
    private final long[] walkEntry = new long[4];
    private int walkDepth;
    private int walkPerms;

    public Mmu(CpuState state, PhysicalMemory memory, CpuException exception) {
        this.state = state;
        this.memory = memory;
        this.exception = exception;
    }

    public void setMemory(PhysicalMemory memory) { this.memory = memory; tlb.flush(); }

    /** The tracker every write through this MMU is reported to (after translation, physical address). */
    public void setCodePageTracker(CodePageTracker t) {
        if (t == null) throw new IllegalArgumentException("tracker must not be null");
        this.codePages = t;
    }

    /** Forgets every cached translation (MOV CR3, INVLPG, mode changes). */
    public void flush() {
        tlb.flush();
        tlbCr0 = state.cr0; tlbCr3 = state.cr3; tlbCr4 = state.cr4; tlbEfer = state.efer;
    }

    /** Current paging mode. */
    public PagingMode mode() { return PagingMode.of(state); }

    /**
     * Translates one linear address.
     *
     * @param access     {@link AccessType#READ}, {@link AccessType#WRITE} or {@link AccessType#EXECUTE}
     * @param supervisor true for CPL 0-2 accesses and implicit system-structure accesses
     * @return the guest-physical address
     * @throws CpuException #PF (vector 14, qualification = linear) or #GP(0) for a non-canonical address
     */
    public long translate(long linear, int access, boolean supervisor) {
        return translate(linear, access, supervisor, true);
    }

    private long translate(long linear, int access, boolean supervisor, boolean update) {
        long cr0 = state.cr0;
        if ((cr0 & CpuState.CR0_PG) == 0) return linear & 0xFFFF_FFFFL;
        if (cr0 != tlbCr0 || state.cr3 != tlbCr3 || state.cr4 != tlbCr4 || state.efer != tlbEfer) flush();
        long page = linear >>> 12;
        int slot = tlb.lookup(page);
        if (slot >= 0) {
            int perms = tlb.perms(slot);
            boolean needsDirty = access == AccessType.WRITE && (perms & Tlb.DIRTY) == 0;
            if (!needsDirty && permissionFault(perms, access, supervisor) == 0) {
                return tlb.frame(slot) | (linear & 0xFFF);
            }
        }
        return walk(linear, access, supervisor, update);
    }

    /** Reads {@code size} (1, 2, 4, 8) bytes; a page-crossing read translates both pages first. */
    public long read(long linear, int size, int access, boolean supervisor) {
        int inPage = 0x1000 - (int) (linear & 0xFFF);
        if (size <= inPage) {
            return memory.read(translate(linear, access, supervisor), size, access, linear);
        }
        long second = wrap(linear + inPage);
        long gpa1 = translate(linear, access, supervisor);
        long gpa2 = translate(second, access, supervisor);
        long low = readBytes(gpa1, inPage, access, linear);
        long high = readBytes(gpa2, size - inPage, access, second);
        return low | (high << (8 * inPage));
    }

    /** Writes {@code size} bytes; both pages of a crossing write are translated before either is written. */
    public void write(long linear, int size, long value, boolean supervisor) {
        int inPage = 0x1000 - (int) (linear & 0xFFF);
        if (size <= inPage) {
            long gpa = translate(linear, AccessType.WRITE, supervisor);
            memory.write(gpa, size, value, AccessType.WRITE, linear);
            codePages.noteWrite(gpa, size);
            return;
        }
        long second = wrap(linear + inPage);
        long gpa1 = translate(linear, AccessType.WRITE, supervisor);
        long gpa2 = translate(second, AccessType.WRITE, supervisor);
        writeBytes(gpa1, inPage, value, linear);
        writeBytes(gpa2, size - inPage, value >>> (8 * inPage), second);
        codePages.noteWrite(gpa1, inPage);
        codePages.noteWrite(gpa2, size - inPage);
    }

    /** Raises the fault a write of {@code size} bytes would raise, without touching memory or A/D flags. */
    public void probeWrite(long linear, int size, boolean supervisor) {
        int inPage = 0x1000 - (int) (linear & 0xFFF);
        translate(linear, AccessType.WRITE, supervisor, false);
        if (size > inPage) translate(wrap(linear + inPage), AccessType.WRITE, supervisor, false);
    }

    /** LOCK compare-and-exchange; a split (page-crossing) lock is performed as read-compare-write. */
    public long compareExchange(long linear, int size, long expected, long update, boolean supervisor) {
        int inPage = 0x1000 - (int) (linear & 0xFFF);
        if (size <= inPage) {
            long gpa = translate(linear, AccessType.WRITE, supervisor);
            long old = memory.compareAndExchange(gpa, size, expected, update, linear);
            codePages.noteWrite(gpa, size);
            return old;
        }
        probeWrite(linear, size, supervisor);
        long old = read(linear, size, AccessType.READ, supervisor);
        long mask = size == 8 ? -1L : (1L << (8 * size)) - 1;
        if (((old ^ expected) & mask) == 0) write(linear, size, update, supervisor);
        return old;
    }

    private long wrap(long linear) {
        return (state.efer & CpuState.EFER_LMA) != 0 ? linear : linear & 0xFFFF_FFFFL;
    }

    private long readBytes(long gpa, int n, int access, long linear) {
        long v = 0;
        for (int i = 0; i < n; i++) v |= memory.read(gpa + i, 1, access, linear + i) << (8 * i);
        return v;
    }

    private void writeBytes(long gpa, int n, long value, long linear) {
        for (int i = 0; i < n; i++) memory.write(gpa + i, 1, (value >>> (8 * i)) & 0xFF, AccessType.WRITE, linear + i);
    }

    // ------------------------------------------------------------------------------------------
    // Permission rules (SDM Vol. 3A §4.6)

    /** The #PF error code bits of a protection violation, or 0 when the access is allowed. */
    private int permissionFault(int perms, int access, boolean supervisor) {
        boolean user = (perms & Tlb.USER) != 0;
        boolean violation;
        if (!supervisor && !user) {
            violation = true; // user access to a supervisor-mode page
        } else if (access == AccessType.WRITE) {
            // Supervisor writes ignore R/W unless CR0.WP = 1 (§4.6.1).
            violation = (perms & Tlb.WRITABLE) == 0 && (!supervisor || (state.cr0 & CpuState.CR0_WP) != 0);
        } else if (access == AccessType.EXECUTE) {
            violation = (perms & Tlb.NX) != 0
                || (supervisor && user && (state.cr4 & CpuState.CR4_SMEP) != 0);
        } else {
            violation = false;
        }
        return violation ? PageFaultError.P | accessBits(access, supervisor) : 0;
    }

    private int accessBits(int access, boolean supervisor) {
        int bits = 0;
        if (access == AccessType.WRITE) bits |= PageFaultError.W;
        if (!supervisor) bits |= PageFaultError.U;
        // I/D is reported only when execute-disable or SMEP can make fetches fault (§4.7).
        if (access == AccessType.EXECUTE
            && (((state.efer & CpuState.EFER_NXE) != 0 && (state.cr4 & CpuState.CR4_PAE) != 0)
                || (state.cr4 & CpuState.CR4_SMEP) != 0)) {
            bits |= PageFaultError.ID;
        }
        return bits;
    }

    private CpuException pageFault(long linear, int errorCode) {
        return exception.set(14, errorCode, linear);
    }

    // ------------------------------------------------------------------------------------------
    // Page walks

    private long walk(long linear, int access, boolean supervisor, boolean update) {
        walkDepth = 0;
        walkPerms = Tlb.WRITABLE | Tlb.USER;
        long frame;
        long pageMask;
        switch (mode()) {
            case BITS32 -> {
                long pde = entry(state.cr3 & 0xFFFF_F000L, (linear >>> 22) & 0x3FF, 4, linear, access, supervisor);
                if ((pde & PS) != 0 && (state.cr4 & CpuState.CR4_PSE) != 0) {
                    // 4-MiB page: PA bits 39:32 in PDE bits 20:13; bits 21:(M-19) reserved (§4.3, Table 4-4).
                    if ((pde & (((1L << 22) - 1) & ~((1L << (PHYS_ADDR_BITS - 19)) - 1))) != 0) {
                        throw pageFault(linear, PageFaultError.P | PageFaultError.RSVD | accessBits(access, supervisor));
                    }
                    frame = (pde & 0xFFC0_0000L) | (((pde >>> 13) & 0xFF) << 32);
                    pageMask = 0x3F_FFFFL;
                } else {
                    frame = entry(pde & 0xFFFF_F000L, (linear >>> 12) & 0x3FF, 4, linear, access, supervisor) & 0xFFFF_F000L;
                    pageMask = 0xFFF;
                }
            }
            case PAE -> {
                long pdpte = state.pdpte[(int) (linear >>> 30) & 3];
                if ((pdpte & P) == 0) throw pageFault(linear, accessBits(access, supervisor));
                frame = directory64(pdpte & PHYS_MASK & ~0xFFFL, linear, access, supervisor);
                pageMask = walkPageMask;
            }
            case LEVEL4 -> {
                if (((linear << 16) >> 16) != linear) throw exception.set(13, 0, 0); // non-canonical (§3.3.7.1)
                long pml4e = entry(state.cr3 & PHYS_MASK & ~0xFFFL, (linear >>> 39) & 0x1FF, 8, linear, access, supervisor);
                checkReserved(pml4e, PS, linear, access, supervisor);
                long pdpte = entry(pml4e & PHYS_MASK & ~0xFFFL, (linear >>> 30) & 0x1FF, 8, linear, access, supervisor);
                if ((pdpte & PS) != 0) {
                    checkReserved(pdpte, 0x3FFF_E000L, linear, access, supervisor);
                    frame = pdpte & PHYS_MASK & ~0x3FFF_FFFFL;
                    pageMask = 0x3FFF_FFFFL;
                } else {
                    frame = directory64(pdpte & PHYS_MASK & ~0xFFFL, linear, access, supervisor);
                    pageMask = walkPageMask;
                }
            }
            default -> throw new IllegalStateException("walk without paging");
        }
        int fault = permissionFault(walkPerms, access, supervisor);
        if (fault != 0) throw pageFault(linear, fault);
        if (!update) return frame | (linear & pageMask);
        // The walk succeeded: set accessed flags along it, and dirty on the leaf for a write (§4.8).
        int last = walkDepth - 1;
        for (int i = 0; i <= last; i++) {
            long e = walkEntry[i];
            long want = e | A;
            if (i == last && access == AccessType.WRITE) want |= D;
            if (want != e) memory.write(walkAddr[i], 4, want & 0xFFFF_FFFFL, AccessType.PAGING_WRITE, linear);
        }
        boolean dirty = (walkEntry[last] & D) != 0 || access == AccessType.WRITE;
        long pageFrame = (frame | (linear & pageMask)) & ~0xFFFL;
        tlb.fill(linear >>> 12, pageFrame, walkPerms | (dirty ? Tlb.DIRTY : 0));
        return pageFrame | (linear & 0xFFF);
    }

    /** Page mask of the leaf {@link #directory64} found: 2 MiB or 4 KiB. */
    private long walkPageMask;

    /**
     * The page-directory and page-table levels, identical in PAE and 4-level paging (SDM Vol. 3A
     * §4.4.2, §4.5.4): a PDE maps a 2-MiB page (PS = 1) or points to a page table. Returns the
     * page frame; {@link #walkPageMask} says its size.
     */
    private long directory64(long directory, long linear, int access, boolean supervisor) {
        long pde = entry(directory, (linear >>> 21) & 0x1FF, 8, linear, access, supervisor);
        if ((pde & PS) != 0) {
            checkReserved(pde, 0x1FE000L, linear, access, supervisor);
            walkPageMask = 0x1F_FFFFL;
            return pde & PHYS_MASK & ~0x1F_FFFFL;
        }
        walkPageMask = 0xFFF;
        return entry(pde & PHYS_MASK & ~0xFFFL, (linear >>> 12) & 0x1FF, 8, linear, access, supervisor) & PHYS_MASK & ~0xFFFL;
    }

    /** Reads one paging-structure entry, checks P and the reserved bits common to its format, and folds its rights in. */
    private long entry(long table, long index, int size, long linear, int access, boolean supervisor) {
        long addr = table + index * size;
        long e = memory.read(addr, size, AccessType.PAGING_READ, linear);
        if ((e & P) == 0) throw pageFault(linear, accessBits(access, supervisor));
        if (size == 8) {
            long reserved = (mode() == PagingMode.LEVEL4 ? RSVD_HIGH_LEVEL4 : RSVD_HIGH_PAE)
                | ((state.efer & CpuState.EFER_NXE) == 0 ? XD : 0);
            checkReserved(e, reserved, linear, access, supervisor);
            if ((e & XD) != 0) walkPerms |= Tlb.NX;
        }
        if ((e & RW) == 0) walkPerms &= ~Tlb.WRITABLE;
        if ((e & US) == 0) walkPerms &= ~Tlb.USER;
        walkAddr[walkDepth] = addr;
        walkEntry[walkDepth++] = e;
        return e;
    }

    private void checkReserved(long e, long reservedMask, long linear, int access, boolean supervisor) {
        if ((e & reservedMask) != 0) {
            throw pageFault(linear, PageFaultError.P | PageFaultError.RSVD | accessBits(access, supervisor));
        }
    }

    /**
     * Loads the four PAE PDPTE registers from CR3 (SDM Vol. 3A §4.4.1): done on MOV to CR3, and on
     * MOV to CR0/CR4 that enters or changes PAE paging. Returns false if an entry sets a reserved
     * bit, in which case the caller raises #GP(0) and the registers are unchanged.
     */
    public boolean loadPdptes() {
        long base = state.cr3 & 0xFFFF_FFE0L;
        long[] tmp = walkEntry; // scratch, 4 entries
        for (int i = 0; i < 4; i++) {
            long e = memory.read(base + 8L * i, 8, AccessType.PAGING_READ, -1);
            if ((e & P) != 0 && (e & (0x1E6L | ~PHYS_MASK)) != 0) return false;
            tmp[i] = e;
        }
        System.arraycopy(tmp, 0, state.pdpte, 0, 4);
        flush();
        return true;
    }
}
