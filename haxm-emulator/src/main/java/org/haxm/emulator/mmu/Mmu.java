package org.haxm.emulator.mmu;

import org.haxm.emulator.CpuException;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.mem.AccessType;
import org.haxm.emulator.mem.CodePageTracker;
import org.haxm.emulator.mem.HostAccess;
import org.haxm.emulator.mem.HostPage;
import org.haxm.emulator.mem.PhysicalMemory;

/**
 * The guest's paging unit (SDM Vol. 3A ch. 4): translates linear addresses with the paging mode
 * the control registers select, checks U/S, R/W (with CR0.WP), NX (with EFER.NXE) and SMEP,
 * raises #PF with the architectural error code, sets accessed and dirty flags, and splits
 * accesses that cross a 4-KiB boundary into two all-or-nothing translations.
 *
 * <p><b>The software TLB</b> ({@link Tlb}) maps a linear page straight to the host memory behind
 * it, folding guest paging and the physical memory's own translation (the EPT in the engine,
 * SDM Vol. 3C §29.4) into one entry. A data access or instruction fetch that hits an entry
 * allowing it is one array index and one little-endian host access — no walk, no EPT lookup, no
 * allocation. Any other access takes the slow path, which is exactly the walk-every-time
 * behaviour: #PF with the error code and CR2 of §4.7, accessed flags on every level and the dirty
 * flag on the leaf (§4.8), EPT violations and MMIO through {@link PhysicalMemory#read}/{@code write}.
 * A write may use the fast path only through an entry whose leaf the walk found or made dirty and
 * whose host page the memory reported writable (with EPT dirty flags on: already EPT-dirty).
 *
 * <p><b>When entries are dropped</b> (§4.10.4, "Invalidation of TLBs and Paging-Structure Caches"):
 * <ul>
 *   <li>MOV to CR3 ({@link #flushNonGlobal}): all entries but those of global pages when CR4.PGE = 1;</li>
 *   <li>INVLPG ({@link #invalidatePage}): the entries of the page, global or not;</li>
 *   <li>a change of CR0.PG/WP, CR4.PSE/PAE/PGE/PCIDE/SMEP/SMAP/PKE/LA57 or EFER.NXE/LMA, INVPCID,
 *       VM entry, a new PDPTE load, {@link #setMemory}, and every change of the memory's
 *       guest-physical mappings or EPT (the memory's invalidation listener): everything.</li>
 * </ul>
 * The MMU also compares CR0, CR3, CR4 and EFER with the values its entries were filled under
 * before every access, so code that rewrites the state directly (VM entry, the API, tests) cannot
 * see stale translations: a different CR3 acts as a MOV to CR3, a relevant CR0/CR4/EFER bit as a
 * full flush. Between those events a changed paging-structure entry may still be served from the
 * TLB, as on hardware (§4.10.4.2: software must invalidate).
 *
 * <p>Not modelled: SMAP, protection keys, PCIDs (CR3 bits 11:0 are ignored), 5-level paging.
 * {@link #setTlbEnabled setTlbEnabled(false)} turns the TLB into a walk-every-time reference.
 */
public final class Mmu {
    /** MAXPHYADDR, as HAXM reports it (CPUID.80000008H:EAX[7:0]). */
    public static final int PHYS_ADDR_BITS = 36;
    private static final long PHYS_MASK = (1L << PHYS_ADDR_BITS) - 1;
    /** Bits 51:MAXPHYADDR of 4-level entries and 62:MAXPHYADDR of PAE entries (§4.4.2, §4.5.4). */
    private static final long RSVD_HIGH_LEVEL4 = ((1L << 52) - 1) & ~PHYS_MASK;
    private static final long RSVD_HIGH_PAE = ((1L << 63) - 1) & ~PHYS_MASK;
    private static final long XD = 1L << 63;
    private static final long P = 1, RW = 2, US = 4, A = 32, D = 64, PS = 128, G = 256;
    /** Control-register bits whose change invalidates every translation (§4.10.4.1). */
    private static final long CR0_PAGING = CpuState.CR0_PG | CpuState.CR0_WP | CpuState.CR0_PE;
    private static final long CR4_PAGING = CpuState.CR4_PSE | CpuState.CR4_PAE | CpuState.CR4_PGE
        | CpuState.CR4_PCIDE | CpuState.CR4_SMEP | CpuState.CR4_SMAP | CpuState.CR4_PKE | CpuState.CR4_LA57;
    private static final long EFER_PAGING = CpuState.EFER_NXE | CpuState.EFER_LMA;
    private static final int READ_BIT = 1 << (AccessType.READ << 1), WRITE_BITS = 3 << (AccessType.WRITE << 1);

    private final CpuState state;
    private final CpuException exception;
    private final Tlb tlb = new Tlb();
    private final HostPage host = new HostPage();
    private PhysicalMemory memory;
    private CodePageTracker codePages = new CodePageTracker();
    private boolean tlbEnabled = true;
    private long tlbCr0, tlbCr3, tlbCr4, tlbEfer;

    // Scratch of the current walk (no allocation per walk).
    private final long[] walkAddr = new long[4];
    private final long[] walkEntry = new long[4];
    private int walkDepth;
    private int walkPerms;

    public Mmu(CpuState state, PhysicalMemory memory, CpuException exception) {
        this.state = state;
        this.exception = exception;
        setMemory(memory);
    }

    /** Uses {@code memory} from now on; forgets every translation, including the host locations of the old memory. */
    public void setMemory(PhysicalMemory memory) {
        this.memory = memory;
        memory.setInvalidationListener(this::flush);
        flush();
    }

    /**
     * The tracker every guest write is reported to ({@link CodePageTracker#noteWrite}), so that a
     * decode cache forgets code exactly when it is written. By default a private one.
     */
    public void setCodePageTracker(CodePageTracker tracker) {
        if (tracker == null) throw new IllegalArgumentException("tracker must not be null");
        this.codePages = tracker;
    }

    /** @return the tracker guest writes are reported to */
    public CodePageTracker codePageTracker() { return codePages; }

    /**
     * With {@code false}, every access walks the paging structures and goes through
     * {@link PhysicalMemory#read}/{@code write} as if the TLB were flushed before it — the
     * reference behaviour the TLB must be indistinguishable from (tests compare the two).
     */
    public void setTlbEnabled(boolean enabled) {
        tlbEnabled = enabled;
        flush();
    }

    /** Forgets every cached translation, global ones included (mode changes, INVPCID, VM entry, remapping). */
    public void flush() {
        tlb.flush();
        snapshotContext();
    }

    /**
     * MOV to CR3 (SDM Vol. 3A §4.10.4.1): forgets every translation except those of global pages,
     * which survive when CR4.PGE = 1 (entries are marked global only then).
     */
    public void flushNonGlobal() {
        tlb.flushNonGlobal();
        snapshotContext();
    }

    /**
     * INVLPG (SDM Vol. 3A §4.10.4.1, Vol. 2 "INVLPG"): forgets the translation of the page holding
     * {@code linear}, global or not. When a large page may be cached in pieces, everything goes.
     */
    public void invalidatePage(long linear) {
        if (tlb.holdsLarge) tlb.flush(); else tlb.invalidate(linear >>> 12);
    }

    private void snapshotContext() {
        tlbCr0 = state.cr0; tlbCr3 = state.cr3; tlbCr4 = state.cr4; tlbEfer = state.efer;
    }

    /** CR0, CR3, CR4 or EFER differ from the values the TLB was filled under (checked before every access). */
    private boolean contextChanged() {
        return state.cr0 != tlbCr0 || state.cr3 != tlbCr3 || state.cr4 != tlbCr4 || state.efer != tlbEfer;
    }

    /** Reacts to control registers rewritten behind the MMU's back: CR3 as MOV CR3, paging bits as a full flush. */
    private void syncContext() {
        if (((state.cr0 ^ tlbCr0) & CR0_PAGING) != 0 || ((state.cr4 ^ tlbCr4) & CR4_PAGING) != 0
            || ((state.efer ^ tlbEfer) & EFER_PAGING) != 0 || !tlbEnabled) {
            tlb.flush();
        } else if (state.cr3 != tlbCr3) {
            tlb.flushNonGlobal();
        }
        snapshotContext();
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
        if (!tlbEnabled || state.cr0 != tlbCr0 || state.cr3 != tlbCr3 || state.cr4 != tlbCr4 || state.efer != tlbEfer) {
            syncContext();
        }
        return translate(linear, access, supervisor, true);
    }

    /**
     * Translates; afterwards (when {@code update}) the TLB slot of the page holds its paging part.
     * The caller has synchronised the context.
     */
    private long translate(long linear, int access, boolean supervisor, boolean update) {
        long page = linear >>> 12;
        if ((state.cr0 & CpuState.CR0_PG) == 0) {
            // Without paging linear = physical (bits 31:0), every access is allowed (§4.1.1).
            long physical = linear & 0xFFFF_FFFFL;
            if (update && tlb.lookup(page) < 0) {
                tlb.fill(page, physical & ~0xFFFL, Tlb.WRITABLE | Tlb.USER | Tlb.DIRTY);
            }
            return physical;
        }
        int slot = tlb.lookup(page);
        if (slot >= 0) {
            int perms = tlb.perms[slot];
            boolean needsDirty = access == AccessType.WRITE && (perms & Tlb.DIRTY) == 0;
            if (!needsDirty && permissionFault(perms, access, supervisor) == 0) {
                return tlb.frame[slot] | (linear & 0xFFF);
            }
        }
        return walk(linear, access, supervisor, update);
    }

    // ------------------------------------------------------------------------------------------
    // Accesses: the fast path (a TLB hit allowing the access), else the slow path

    /** Reads {@code size} (1, 2, 4, 8) bytes; a page-crossing read translates both pages first. */
    public long read(long linear, int size, int access, boolean supervisor) {
        if (contextChanged()) syncContext();
        long page = linear >>> 12;
        int i = (int) page & Tlb.MASK;
        int offset = (int) linear & 0xFFF;
        Tlb t = tlb;
        if (Tlb.hit(t.key[i], page, Tlb.accessBit(access, supervisor)) && offset <= 0x1000 - size) {
            byte[] a = t.array[i];
            int at = t.base[i] + offset;
            return a != null ? HostAccess.read(a, at, size) : HostAccess.read(t.buffer[i], at, size);
        }
        return readSlow(linear, size, access, supervisor);
    }

    /** Writes {@code size} bytes; both pages of a crossing write are translated before either is written. */
    public void write(long linear, int size, long value, boolean supervisor) {
        if (contextChanged()) syncContext();
        long page = linear >>> 12;
        int i = (int) page & Tlb.MASK;
        int offset = (int) linear & 0xFFF;
        Tlb t = tlb;
        if (Tlb.hit(t.key[i], page, Tlb.accessBit(AccessType.WRITE, supervisor)) && offset <= 0x1000 - size) {
            byte[] a = t.array[i];
            int at = t.base[i] + offset;
            if (a != null) HostAccess.write(a, at, size, value); else HostAccess.write(t.buffer[i], at, size, value);
            codePages.noteWrite(t.frame[i] | offset, size);
            return;
        }
        writeSlow(linear, size, value, supervisor);
    }

    /** LOCK compare-and-exchange, atomic on the host memory ({@link HostAccess}); a split (page-crossing) lock is performed as read-compare-write. */
    public long compareExchange(long linear, int size, long expected, long update, boolean supervisor) {
        if (contextChanged()) syncContext();
        long page = linear >>> 12;
        int i = (int) page & Tlb.MASK;
        int offset = (int) linear & 0xFFF;
        Tlb t = tlb;
        if (Tlb.hit(t.key[i], page, Tlb.accessBit(AccessType.WRITE, supervisor)) && offset <= 0x1000 - size) {
            long old = HostAccess.compareAndExchange(t.array[i], t.buffer[i], t.base[i] + offset, size, expected, update);
            codePages.noteWrite(t.frame[i] | offset, size);
            return old;
        }
        return compareExchangeSlow(linear, size, expected, update, supervisor);
    }

    /** Raises the fault a write of {@code size} bytes would raise, without touching memory or A/D flags. */
    public void probeWrite(long linear, int size, boolean supervisor) {
        if (contextChanged()) syncContext();
        int offset = (int) linear & 0xFFF;
        long page = linear >>> 12;
        int i = (int) page & Tlb.MASK;
        // A cached dirty, writable entry proves the write allowed (the common case: PUSH, string stores).
        if (Tlb.hit(tlb.key[i], page, Tlb.accessBit(AccessType.WRITE, supervisor)) && offset <= 0x1000 - size) return;
        if (!tlbEnabled) syncContext();
        int inPage = 0x1000 - offset;
        translate(linear, AccessType.WRITE, supervisor, false);
        if (size > inPage) translate(wrap(linear + inPage), AccessType.WRITE, supervisor, false);
    }

    private long readSlow(long linear, int size, int access, boolean supervisor) {
        if (!tlbEnabled) syncContext();
        int inPage = 0x1000 - (int) (linear & 0xFFF);
        if (size <= inPage) {
            long gpa = translate(linear, access, supervisor, true);
            int i = resolveHost(linear, gpa, access, supervisor);
            if (i >= 0) return HostAccess.read(tlb.array[i], tlb.buffer[i], tlb.base[i] + (int) (linear & 0xFFF), size);
            return memory.read(gpa, size, access, linear);
        }
        long second = wrap(linear + inPage);
        long gpa1 = translate(linear, access, supervisor, true);
        long gpa2 = translate(second, access, supervisor, true);
        long low = readBytes(gpa1, inPage, access, linear);
        long high = readBytes(gpa2, size - inPage, access, second);
        return low | (high << (8 * inPage));
    }

    private void writeSlow(long linear, int size, long value, boolean supervisor) {
        if (!tlbEnabled) syncContext();
        int inPage = 0x1000 - (int) (linear & 0xFFF);
        if (size <= inPage) {
            long gpa = translate(linear, AccessType.WRITE, supervisor, true);
            int i = resolveHost(linear, gpa, AccessType.WRITE, supervisor);
            if (i >= 0) {
                HostAccess.write(tlb.array[i], tlb.buffer[i], tlb.base[i] + (int) (linear & 0xFFF), size, value);
            } else {
                memory.write(gpa, size, value, AccessType.WRITE, linear);
            }
            codePages.noteWrite(gpa, size);
            return;
        }
        long second = wrap(linear + inPage);
        long gpa1 = translate(linear, AccessType.WRITE, supervisor, true);
        long gpa2 = translate(second, AccessType.WRITE, supervisor, true);
        writeBytes(gpa1, inPage, value, linear);
        writeBytes(gpa2, size - inPage, value >>> (8 * inPage), second);
    }

    private long compareExchangeSlow(long linear, int size, long expected, long update, boolean supervisor) {
        if (!tlbEnabled) syncContext();
        int inPage = 0x1000 - (int) (linear & 0xFFF);
        if (size <= inPage) {
            long gpa = translate(linear, AccessType.WRITE, supervisor, true);
            int i = resolveHost(linear, gpa, AccessType.WRITE, supervisor);
            long old = i >= 0
                ? HostAccess.compareAndExchange(tlb.array[i], tlb.buffer[i], tlb.base[i] + (int) (linear & 0xFFF), size, expected, update)
                : memory.compareAndExchange(gpa, size, expected, update, linear);
            codePages.noteWrite(gpa, size);
            return old;
        }
        probeWrite(linear, size, supervisor);
        long old = read(linear, size, AccessType.READ, supervisor);
        long mask = size == 8 ? -1L : (1L << (8 * size)) - 1;
        if (((old ^ expected) & mask) == 0) write(linear, size, update, supervisor);
        return old;
    }

    /**
     * After a successful translation of {@code linear} to {@code gpa} for {@code access}, asks the
     * memory for the host location of the frame and records it in the TLB slot with the accesses
     * both the paging part and the host allow. Returns the slot when {@code access} itself may be
     * completed on the host, else -1 (MMIO, EPT violation, no resolution: the memory decides).
     */
    private int resolveHost(long linear, long gpa, int access, boolean supervisor) {
        if (!tlbEnabled || access > AccessType.EXECUTE) return -1;
        int i = tlb.lookup(linear >>> 12);
        if (i < 0 || !memory.resolveHost(gpa & ~0xFFFL, access, linear, host)) return -1;
        int fast = pagingFastBits(tlb.perms[i]) & hostFastBits(host.permissions);
        tlb.setHost(i, host, fast);
        return (fast & Tlb.accessBit(access, supervisor)) != 0 ? i : -1;
    }

    /** The (access, privilege) pairs the paging rights {@code perms} allow with no A/D update still due (§4.6, §4.8). */
    private int pagingFastBits(int perms) {
        int bits = 0;
        for (int access = AccessType.READ; access <= AccessType.EXECUTE; access++) {
            for (int user = 0; user < 2; user++) {
                boolean supervisor = user == 0;
                if (access == AccessType.WRITE && (perms & Tlb.DIRTY) == 0) continue;
                if (permissionFault(perms, access, supervisor) == 0) bits |= Tlb.accessBit(access, supervisor);
            }
        }
        return bits;
    }

    /** The (access, privilege) pairs a host resolution with {@link HostPage} permissions allows. */
    private static int hostFastBits(int hostPermissions) {
        int bits = 0;
        if ((hostPermissions & HostPage.READ) != 0) bits |= READ_BIT * 3;
        if ((hostPermissions & HostPage.WRITE) != 0) bits |= WRITE_BITS;
        if ((hostPermissions & HostPage.EXECUTE) != 0) bits |= 3 << (AccessType.EXECUTE << 1);
        return bits;
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
        codePages.noteWrite(gpa, n);
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
            if (want != e) {
                memory.write(walkAddr[i], 4, want & 0xFFFF_FFFFL, AccessType.PAGING_WRITE, linear);
                codePages.noteWrite(walkAddr[i], 4);
            }
        }
        long leaf = walkEntry[last];
        int cached = walkPerms;
        if ((leaf & D) != 0 || access == AccessType.WRITE) cached |= Tlb.DIRTY;
        // G in the leaf makes the translation global only while CR4.PGE = 1 (§4.10.2.4).
        if ((leaf & G) != 0 && (state.cr4 & CpuState.CR4_PGE) != 0) cached |= Tlb.GLOBAL;
        if (pageMask != 0xFFF) cached |= Tlb.LARGE;
        long pageFrame = (frame | (linear & pageMask)) & ~0xFFFL;
        tlb.fill(linear >>> 12, pageFrame, cached);
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
        // Loaded by MOV to CR3 (which keeps global translations, §4.10.4.1) or by a MOV to CR0/CR4
        // that changes paging bits (whose caller flushes everything).
        flushNonGlobal();
        return true;
    }
}
