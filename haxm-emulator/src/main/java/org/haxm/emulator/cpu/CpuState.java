package org.haxm.emulator.cpu;

/**
 * The architectural state of one logical processor, shaped like the VMCS guest-state area
 * (SDM Vol. 3C §25.4) so that VM entry and VM exit are field copies.
 *
 * <p>Fields are public for the execution core's sake; code outside the emulator should use the
 * accessors. RFLAGS is reached only through {@link #rflags()} / {@link #setRflags(long)} so that
 * the execution core may keep arithmetic flags lazily (the representation is private to it).
 */
public final class CpuState {
    /** RFLAGS bits (SDM Vol. 1 §3.4.3). */
    public static final long CF = 1, RESERVED1 = 1 << 1, PF = 1 << 2, AF = 1 << 4, ZF = 1 << 6, SF = 1 << 7,
        TF = 1 << 8, IF = 1 << 9, DF = 1 << 10, OF = 1 << 11, IOPL = 3 << 12, NT = 1 << 14, RF = 1 << 16,
        VM = 1 << 17, AC = 1 << 18, VIF = 1 << 19, VIP = 1 << 20, ID = 1 << 21;
    /** The arithmetic status flags. */
    public static final long STATUS_FLAGS = CF | PF | AF | ZF | SF | OF;

    /** CR0 bits (SDM Vol. 3A §2.5). */
    public static final long CR0_PE = 1, CR0_MP = 2, CR0_EM = 4, CR0_TS = 8, CR0_ET = 16, CR0_NE = 32,
        CR0_WP = 1L << 16, CR0_AM = 1L << 18, CR0_NW = 1L << 29, CR0_CD = 1L << 30, CR0_PG = 1L << 31;
    /** CR4 bits. */
    public static final long CR4_VME = 1, CR4_PVI = 2, CR4_TSD = 4, CR4_DE = 8, CR4_PSE = 16, CR4_PAE = 32,
        CR4_MCE = 64, CR4_PGE = 128, CR4_PCE = 256, CR4_OSFXSR = 512, CR4_OSXMMEXCPT = 1024, CR4_UMIP = 2048,
        CR4_LA57 = 1L << 12, CR4_VMXE = 1L << 13, CR4_SMXE = 1L << 14, CR4_FSGSBASE = 1L << 16,
        CR4_PCIDE = 1L << 17, CR4_OSXSAVE = 1L << 18, CR4_SMEP = 1L << 20, CR4_SMAP = 1L << 21, CR4_PKE = 1L << 22;
    /** IA32_EFER bits. */
    public static final long EFER_SCE = 1, EFER_LME = 1 << 8, EFER_LMA = 1 << 10, EFER_NXE = 1 << 11;

    /** Activity states, numbered as in the VMCS (SDM Vol. 3C §25.4.2). */
    public static final int ACTIVE = 0, HLT = 1, SHUTDOWN = 2, WAIT_FOR_SIPI = 3;
    /** Interruptibility-state bits, as in the VMCS. */
    public static final int BLOCKING_BY_STI = 1, BLOCKING_BY_MOV_SS = 2, BLOCKING_BY_SMI = 4, BLOCKING_BY_NMI = 8;

    /** RAX..R15 in encoding order. */
    public final long[] gpr = new long[16];
    public long rip;
    /** Stored RFLAGS; the status flags may be pending in the lazy record below — use rflags(). */
    private long rflags = RESERVED1;

    /** ES, CS, SS, DS, FS, GS, LDTR, TR, indexed by {@link Segment#ordinal()}. */
    public final SegmentRegister[] seg = new SegmentRegister[8];
    public long gdtrBase, idtrBase;
    public int gdtrLimit, idtrLimit;

    public long cr0 = CR0_ET | CR0_CD | CR0_NW, cr2, cr3, cr4, cr8, efer, xcr0 = 1;
    /** The four PAE page-directory-pointer-table registers, loaded from CR3 (SDM Vol. 3A §4.4.1);
     *  used only by PAE paging, mirrored by the VMCS guest PDPTE fields. */
    public final long[] pdpte = new long[4];
    /** DR0..DR7 (DR4/DR5 unused). */
    public final long[] dr = {0, 0, 0, 0, 0, 0, 0xFFFF0FF0L, 0x400};

    // Model-specific registers the processor itself keeps (SDM Vol. 4).
    public long sysenterCs, sysenterEsp, sysenterEip;
    public long star, lstar, cstar, sfmask, kernelGsBase, tscAux, pat = 0x0007040600070406L;
    public long debugCtl, apicBase = 0xFEE00900L;
    /** Added to the retired-instruction count to form the TSC the guest reads. */
    public long tscOffset;

    /** VMCS-style activity state (ACTIVE, HLT, SHUTDOWN, WAIT_FOR_SIPI). */
    public int activityState;
    /** VMCS-style interruptibility state (BLOCKING_BY_* bits). */
    public int interruptibility;
    /** Instructions retired since reset; the time base of the TSC. */
    public long instructionsRetired;

    // ----- Lazy arithmetic flags (owned by exec.FlagsUnit; see its class comment) -----
    /** The operation whose status flags are pending (FlagsUnit.OP_*), 0 when the stored RFLAGS
     *  hold every status flag. Execution core only. */
    public int flagsOp;
    /** Operand size in bytes of the pending operation. Execution core only. */
    public int flagsSize;
    /** Result and the two source operands of the pending operation. Execution core only. */
    public long flagsResult, flagsA, flagsB;

    public CpuState() {
        for (int i = 0; i < seg.length; i++) seg[i] = new SegmentRegister();
    }

    /**
     * The architectural RFLAGS value. Arithmetic instructions only record their operation and
     * operands ({@link #flagsOp}); the status flags are computed here, on read, by
     * {@code FlagsUnit.materialize} — the one place that computes them.
     */
    public long rflags() { return flagsOp == 0 ? rflags : org.haxm.emulator.exec.FlagsUnit.materialize(this); }

    /** Replaces RFLAGS (forgetting any pending lazy flags); bit 1 is forced to 1 and the reserved bits to 0 as hardware does. */
    public void setRflags(long value) {
        rflags = (value & 0x3F7FD5L) | RESERVED1;
        flagsOp = 0;
    }

    /** Replaces the stored RFLAGS word and keeps the pending lazy operation (execution core only:
     *  INC/DEC keep CF there while their other flags stay lazy). */
    public void setStoredRflags(long value) { rflags = (value & 0x3F7FD5L) | RESERVED1; }

    /** Raw stored RFLAGS (execution core only): the non-status flags (TF, IF, DF, IOPL, VM, ...)
     *  are always architectural here; the status flags only when {@link #flagsOp} is 0. */
    public long storedRflags() { return rflags; }

    public SegmentRegister seg(Segment s) { return seg[s.ordinal()]; }
    public long gpr(int i) { return gpr[i]; }
    public void setGpr(int i, long v) { gpr[i] = v; }

    /** Current privilege level: CS.DPL in protected mode (SDM Vol. 3A §5.5), 0 in real mode, 3 in virtual-8086 mode. */
    public int cpl() {
        if ((cr0 & CR0_PE) == 0) return 0;
        if ((rflags() & VM) != 0) return 3;
        return seg[Segment.CS.ordinal()].dpl();
    }

    /** IA-32e mode active (EFER.LMA). */
    public boolean longModeActive() { return (efer & EFER_LMA) != 0; }

    /** The TSC value the guest observes (RDTSC): retired instructions plus offset. */
    public long tsc() { return instructionsRetired + tscOffset; }

    /** Power-on/RESET state (SDM Vol. 3A §9.1.1, Table 9-1). */
    public void reset() {
        java.util.Arrays.fill(gpr, 0);
        gpr[2] = 0x000806C1; // EDX holds the processor signature after RESET
        rip = 0xFFF0;
        setRflags(RESERVED1);
        cr0 = 0x60000010L; cr2 = 0; cr3 = 0; cr4 = 0; cr8 = 0; efer = 0; xcr0 = 1;
        for (int i = 0; i < 6; i++) seg[i].set(0, 0, 0xFFFF, 0x93);
        seg[Segment.CS.ordinal()].set(0xF000, 0xFFFF0000L, 0xFFFF, 0x9B);
        seg[Segment.LDTR.ordinal()].set(0, 0, 0xFFFF, 0x82);
        seg[Segment.TR.ordinal()].set(0, 0, 0xFFFF, 0x8B);
        gdtrBase = 0; gdtrLimit = 0xFFFF; idtrBase = 0; idtrLimit = 0xFFFF;
        dr[0] = dr[1] = dr[2] = dr[3] = 0; dr[6] = 0xFFFF0FF0L; dr[7] = 0x400;
        activityState = ACTIVE; interruptibility = 0;
    }
}
