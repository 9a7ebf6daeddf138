package org.haxm.examples.setup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Prepares guest memory and the initial register state for each {@link GuestMode}, the way a
 * boot loader would have left the machine, so a flat binary can start directly in that mode.
 *
 * <p>The structures the CPU needs (GDT, page tables) live at a <b>fixed, documented layout</b> in
 * guest-physical {@code 0x1000..0xFFFF}, below the conventional load address 0x10000 and above the
 * real-mode interrupt vector table / BIOS data area at 0..0xFFF:
 * <pre>
 *  0x1000  GDT: 0x00 null, 0x08 flat code (32-bit, or 64-bit in long mode), 0x10 flat data
 *  0x2000  paged32: page directory          long: PML4
 *  0x3000  paged32: page table for 0..4 MiB long: PDPT
 *  0x4000  long: page directories, one per GiB identity-mapped (at most 12: 0x4000..0xFFFF)
 * </pre>
 * A mode reserves only what it uses ({@link #reservedRegion(GuestMode)}); real mode reserves nothing.
 *
 * <p>Common to every mode: RFLAGS = 0x2 (IF = 0, so no interrupt can arrive), IDTR limit 0 (no
 * IDT: an exception cannot be delivered and escalates to a triple fault, which the VMM reports),
 * LDTR unusable, and TR a busy 32-bit TSS (type 11, AR 0x8B, base 0, limit 0x67). No TSS is
 * written to memory and TR is not in the GDT: VM entry only checks TR's descriptor cache
 * (SDM Vol. 3C §27.3.1.2), and the guest never switches privilege level, so nothing reads it.
 */
public final class GuestModeSetup {

    /** Guest-physical address of the GDT. */
    public static final long GDT_BASE = 0x1000;
    /** GDTR limit: three 8-byte descriptors. */
    public static final int GDT_LIMIT = 3 * 8 - 1;
    /** Root of the page structures (paged32: page directory; long: PML4). */
    public static final long PAGING_ROOT = 0x2000;
    /** paged32: the page table mapping 0..4 MiB with 4 KiB pages; long: the PDPT. */
    public static final long SECOND_LEVEL = 0x3000;
    /** long: the first page directory. */
    public static final long FIRST_PD = 0x4000;
    /** End (exclusive) of the area the engine structures may use. */
    public static final long LAYOUT_END = 0x10000;
    /** long: how many page directories (GiB of identity map) fit in the layout. */
    public static final int MAX_LONG_MODE_PDS = (int) ((LAYOUT_END - FIRST_PD) / 0x1000);

    /** Selector of the flat code segment. */
    public static final int CODE_SELECTOR = 0x08;
    /** Selector of the flat data segment. */
    public static final int DATA_SELECTOR = 0x10;

    // CR0 bits (SDM Vol. 3A §2.5).
    static final long CR0_PE = 1, CR0_ET = 1 << 4, CR0_NE = 1 << 5, CR0_PG = 1L << 31;
    // CR4 bits.
    static final long CR4_PSE = 1 << 4, CR4_PAE = 1 << 5;
    /** IA32_EFER.LME (bit 8) and LMA (bit 10), SDM Vol. 3A §2.2.1. */
    public static final long EFER_LME = 1 << 8, EFER_LMA = 1 << 10;
    // Paging-entry bits (SDM Vol. 3A §4.3, §4.5): present, writable, page size.
    static final long PTE_P = 1, PTE_RW = 2, PTE_PS = 1 << 7;

    // VMX access rights (SDM Vol. 3C §25.4.1): P | S | type.
    static final int AR_CODE16 = 0x9B;   // present, DPL 0, execute/read, accessed
    static final int AR_DATA16 = 0x93;   // present, DPL 0, read/write, accessed
    static final int AR_CODE32 = 0xC09B; // + G (4 KiB granularity) + D (32-bit)
    static final int AR_DATA32 = 0xC093;
    static final int AR_CODE64 = 0xA09B; // + G + L (64-bit), D must be 0 when L = 1
    static final int AR_TSS32_BUSY = 0x8B;
    static final int TSS_LIMIT = 0x67;

    private static final long GIB = 1L << 30;
    private static final long FOUR_GIB = 4 * GIB;
    /** Real mode: the stack stays in the first 64 KiB so SP remains a 16-bit value. */
    private static final long REAL_MODE_STACK_TOP = 0x10000;
    /** 32-bit modes: ESP must be a 32-bit value; capped one page below 4 GiB when RAM reaches it. */
    private static final long PROTECTED_STACK_CAP = FOUR_GIB - 0x1000;

    private GuestModeSetup() {
    }

    /**
     * The guest-physical range a mode writes its structures into; a guest image must not overlap
     * it. Empty for real mode.
     */
    public static Optional<AddressRange> reservedRegion(GuestMode mode) {
        return switch (mode) {
            case REAL -> Optional.empty();
            case PROTECTED -> Optional.of(new AddressRange(GDT_BASE, PAGING_ROOT));
            case PAGED32 -> Optional.of(new AddressRange(GDT_BASE, FIRST_PD));
            case LONG -> Optional.of(new AddressRange(GDT_BASE, LAYOUT_END));
        };
    }

    /**
     * Writes the mode's structures into guest memory and returns the register state to start with.
     *
     * @param mode the mode to start in
     * @param ramSize bytes of RAM mapped at guest-physical 0
     * @param entry the first instruction's address (CS base is 0)
     * @param memory where to write the GDT and page tables
     * @throws IllegalArgumentException if the entry is not reachable in the mode, RAM is too small
     *         to hold the structures, or too large for the page tables that fit in the layout
     */
    public static InitialCpuState prepare(GuestMode mode, long ramSize, long entry, GuestMemory memory) {
        if (ramSize <= 0) {
            throw new IllegalArgumentException("ramSize " + ramSize + " must be positive");
        }
        if (entry < 0 || entry >= ramSize) {
            throw new IllegalArgumentException(String.format("entry 0x%x must lie in RAM 0x0..0x%x", entry, ramSize - 1));
        }
        checkRamSize(mode, ramSize);
        return switch (mode) {
            case REAL -> realMode(ramSize, entry);
            case PROTECTED -> protectedMode(mode, ramSize, entry, memory, 0, 0);
            case PAGED32 -> {
                writePaged32Tables(memory);
                yield protectedMode(mode, ramSize, entry, memory, PAGING_ROOT, CR4_PSE);
            }
            case LONG -> longMode(ramSize, entry, memory);
        };
    }

    /**
     * Checks that a mode can work with {@code ramSize} bytes of RAM: RAM must cover the mode's
     * structures, and in long mode the identity map of RAM must fit in the page directories the
     * layout has room for.
     *
     * @throws IllegalArgumentException naming the limit
     */
    public static void checkRamSize(GuestMode mode, long ramSize) {
        reservedRegion(mode).ifPresent(r -> {
            if (ramSize < r.end()) {
                throw new IllegalArgumentException(String.format(
                        "%s mode needs RAM covering its structures at %s; RAM is only 0x%x bytes", mode.cliName(), r, ramSize));
            }
        });
        if (mode == GuestMode.LONG) {
            int pds = longModePageDirectories(ramSize);
            if (pds > MAX_LONG_MODE_PDS) {
                throw new IllegalArgumentException(String.format(
                        "RAM 0x%x is too large for long mode: identity-mapping it needs %d page directories but only %d fit in "
                                + "0x%x..0x%x (at most %d GiB)", ramSize, pds, MAX_LONG_MODE_PDS, FIRST_PD, LAYOUT_END - 1,
                        MAX_LONG_MODE_PDS));
            }
        }
    }

    private static InitialCpuState realMode(long ramSize, long entry) {
        if (entry > 0xFFFF) {
            throw new IllegalArgumentException(String.format(
                    "real-mode entry 0x%x must be below 0x10000 (CS = 0, IP is 16 bits)", entry));
        }
        SegmentState code = new SegmentState(0, 0, 0xFFFF, AR_CODE16);
        SegmentState data = new SegmentState(0, 0, 0xFFFF, AR_DATA16);
        long sp = Math.min(ramSize, REAL_MODE_STACK_TOP) - 2;
        // CR0.NE stays set: it is fixed to 1 in VMX operation (IA32_VMX_CR0_FIXED0, SDM Vol. 3D A.7);
        // unrestricted guest only exempts PE and PG.
        return new InitialCpuState(GuestMode.REAL, entry, sp, 0x2,
                code, data, data, data, data, data, SegmentState.NONE, taskRegister(),
                0, 0, 0, 0, CR0_ET | CR0_NE, 0, 0, 0);
    }

    private static InitialCpuState protectedMode(GuestMode mode, long ramSize, long entry, GuestMemory memory,
                                                 long cr3, long cr4) {
        if (entry >= FOUR_GIB) {
            throw new IllegalArgumentException(String.format("%s-mode entry 0x%x must be below 4 GiB", mode.cliName(), entry));
        }
        writeGdt(memory, codeDescriptor32());
        long cr0 = CR0_PE | CR0_ET | CR0_NE | (cr3 != 0 ? CR0_PG : 0);
        SegmentState code = new SegmentState(CODE_SELECTOR, 0, 0xFFFF_FFFF, AR_CODE32);
        SegmentState data = flatData();
        long esp = Math.min(ramSize, PROTECTED_STACK_CAP);
        return new InitialCpuState(mode, entry, esp, 0x2,
                code, data, data, data, data, data, SegmentState.NONE, taskRegister(),
                GDT_BASE, GDT_LIMIT, 0, 0, cr0, cr3, cr4, 0);
    }

    private static InitialCpuState longMode(long ramSize, long entry, GuestMemory memory) {
        writeGdt(memory, codeDescriptor64());
        writeLongModeTables(memory, ramSize);
        SegmentState code = new SegmentState(CODE_SELECTOR, 0, 0xFFFF_FFFF, AR_CODE64);
        SegmentState data = flatData();
        return new InitialCpuState(GuestMode.LONG, entry, ramSize, 0x2,
                code, data, data, data, data, data, SegmentState.NONE, taskRegister(),
                GDT_BASE, GDT_LIMIT, 0, 0,
                CR0_PE | CR0_ET | CR0_NE | CR0_PG, PAGING_ROOT, CR4_PAE, EFER_LME | EFER_LMA);
    }

    private static SegmentState flatData() {
        return new SegmentState(DATA_SELECTOR, 0, 0xFFFF_FFFF, AR_DATA32);
    }

    private static SegmentState taskRegister() {
        return new SegmentState(0, 0, TSS_LIMIT, AR_TSS32_BUSY);
    }

    // ---- GDT -----------------------------------------------------------------------------------

    /**
     * Encodes a code/data segment descriptor (SDM Vol. 3A §3.4.5, Figure 3-8).
     *
     * @param base 32-bit base
     * @param limit 20-bit limit
     * @param access byte 5: P, DPL, S, type
     * @param flags the nibble G, D/B, L, AVL
     */
    static long segmentDescriptor(long base, int limit, int access, int flags) {
        return (limit & 0xFFFFL)
                | (base & 0xFFFFFFL) << 16
                | (access & 0xFFL) << 40
                | ((limit >>> 16) & 0xFL) << 48
                | (flags & 0xFL) << 52
                | ((base >>> 24) & 0xFFL) << 56;
    }

    static long codeDescriptor32() {
        return segmentDescriptor(0, 0xFFFFF, 0x9B, 0xC); // G=1, D=1
    }

    static long codeDescriptor64() {
        return segmentDescriptor(0, 0xFFFFF, 0x9B, 0xA); // G=1, L=1 (D=0)
    }

    static long dataDescriptor() {
        return segmentDescriptor(0, 0xFFFFF, 0x93, 0xC); // G=1, B=1
    }

    private static void writeGdt(GuestMemory memory, long codeDescriptor) {
        ByteBuffer gdt = littleEndian(GDT_LIMIT + 1);
        gdt.putLong(0, 0);
        gdt.putLong(CODE_SELECTOR, codeDescriptor);
        gdt.putLong(DATA_SELECTOR, dataDescriptor());
        memory.write(GDT_BASE, gdt.array(), 0, gdt.capacity());
    }

    // ---- page tables ---------------------------------------------------------------------------

    /**
     * 32-bit paging (SDM Vol. 3A §4.3): PDE 0 points to a page table of 4 KiB pages so the low
     * 4 MiB (where guests and these tables live) has fine-grained pages; PDEs 1..1023 are 4 MiB
     * pages (PS = 1, needs CR4.PSE). Together: the identity map of all 4 GiB.
     */
    private static void writePaged32Tables(GuestMemory memory) {
        ByteBuffer pd = littleEndian(4096);
        pd.putInt(0, (int) (SECOND_LEVEL | PTE_P | PTE_RW));
        for (int i = 1; i < 1024; i++) {
            pd.putInt(i * 4, (int) (((long) i << 22) | PTE_PS | PTE_P | PTE_RW));
        }
        ByteBuffer pt = littleEndian(4096);
        for (int i = 0; i < 1024; i++) {
            pt.putInt(i * 4, (int) (((long) i << 12) | PTE_P | PTE_RW));
        }
        memory.write(PAGING_ROOT, pd.array(), 0, 4096);
        memory.write(SECOND_LEVEL, pt.array(), 0, 4096);
    }

    /**
     * The number of 1-GiB page directories long mode needs to identity-map max(RAM, 4 GiB): all
     * of RAM plus the low 4 GiB, where MMIO windows conventionally sit.
     */
    public static int longModePageDirectories(long ramSize) {
        long mapped = Math.max(ramSize, FOUR_GIB);
        return (int) ((mapped + GIB - 1) / GIB);
    }

    /**
     * 4-level paging (SDM Vol. 3A §4.5): PML4[0] -> PDPT; PDPT[i] -> page directory i; each PDE a
     * 2 MiB page (PS = 1). One PML4 entry covers 512 GiB, far more than the layout allows.
     */
    private static void writeLongModeTables(GuestMemory memory, long ramSize) {
        int pds = longModePageDirectories(ramSize); // checkRamSize guarantees pds <= MAX_LONG_MODE_PDS
        ByteBuffer pml4 = littleEndian(4096);
        pml4.putLong(0, SECOND_LEVEL | PTE_P | PTE_RW);
        memory.write(PAGING_ROOT, pml4.array(), 0, 4096);
        ByteBuffer pdpt = littleEndian(4096);
        ByteBuffer pd = littleEndian(4096);
        for (int i = 0; i < pds; i++) {
            long pdAddress = FIRST_PD + i * 0x1000L;
            pdpt.putLong(i * 8, pdAddress | PTE_P | PTE_RW);
            for (int j = 0; j < 512; j++) {
                pd.putLong(j * 8, (i * GIB + ((long) j << 21)) | PTE_PS | PTE_P | PTE_RW);
            }
            memory.write(pdAddress, pd.array(), 0, 4096);
        }
        memory.write(SECOND_LEVEL, pdpt.array(), 0, 4096);
    }

    private static ByteBuffer littleEndian(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
