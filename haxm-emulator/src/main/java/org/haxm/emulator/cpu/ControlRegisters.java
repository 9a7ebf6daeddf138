package org.haxm.emulator.cpu;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.mmu.Mmu;
import org.haxm.emulator.mmu.PagingMode;

/**
 * MOV to/from CR0, CR2, CR3, CR4, CR8 and writes of IA32_EFER with their architectural checks
 * (#GP(0)) and side effects (SDM Vol. 3A §2.5, §2.6; Vol. 2 "MOV—Move to/from Control
 * Registers"): IA-32e mode activation (EFER.LMA = LME &amp; PG, §10.8.5), PAE PDPTE loading
 * (§4.4.1) and TLB invalidation (§4.10.4).
 */
public final class ControlRegisters {
    private static final int GP = 13, UD = 6;
    /** CR0 bits software may set; ET is hardwired to 1 (§2.5). */
    private static final long CR0_WRITABLE = CpuState.CR0_PE | CpuState.CR0_MP | CpuState.CR0_EM | CpuState.CR0_TS
        | CpuState.CR0_ET | CpuState.CR0_NE | CpuState.CR0_WP | CpuState.CR0_AM | CpuState.CR0_NW | CpuState.CR0_CD
        | CpuState.CR0_PG;
    /**
     * CR4 bits this processor implements; others are reserved (#GP). PCIDE, LA57, VMXE, SMXE, PKE
     * are absent, and so are OSXSAVE and SMAP: a bit is reserved when CPUID says its feature is
     * absent (SDM Vol. 3A §2.5), and CPUID reports neither XSAVE (no XSAVE/XRSTOR execution) nor
     * SMAP (not enforced) — so XGETBV/XSETBV stay #UD, as on a part without XSAVE.
     */
    public static final long CR4_SUPPORTED = CpuState.CR4_VME | CpuState.CR4_PVI | CpuState.CR4_TSD | CpuState.CR4_DE
        | CpuState.CR4_PSE | CpuState.CR4_PAE | CpuState.CR4_MCE | CpuState.CR4_PGE | CpuState.CR4_PCE
        | CpuState.CR4_OSFXSR | CpuState.CR4_OSXMMEXCPT | CpuState.CR4_UMIP | CpuState.CR4_FSGSBASE
        | CpuState.CR4_SMEP;
    /** CR4 bits whose change invalidates translations (§4.10.4.1). */
    private static final long CR4_PAGING = CpuState.CR4_PSE | CpuState.CR4_PAE | CpuState.CR4_PGE | CpuState.CR4_SMEP
        | CpuState.CR4_SMAP;
    private static final long EFER_WRITABLE = CpuState.EFER_SCE | CpuState.EFER_LME | CpuState.EFER_NXE;

    private final Cpu cpu;
    private final CpuState state;
    private final Mmu mmu;
    private final Segmentation seg;

    public ControlRegisters(Cpu cpu, Mmu mmu, Segmentation seg) {
        this.cpu = cpu;
        this.state = cpu.state();
        this.mmu = mmu;
        this.seg = seg;
    }

    public long read(int cr) {
        return switch (cr) {
            case 0 -> state.cr0;
            case 2 -> state.cr2;
            case 3 -> state.cr3;
            case 4 -> state.cr4;
            case 8 -> state.cr8;
            default -> throw cpu.fault(UD, -1);
        };
    }

    public void write(int cr, long value) {
        switch (cr) {
            case 0 -> writeCr0(value);
            case 2 -> state.cr2 = seg.mode64() ? value : value & 0xFFFF_FFFFL;
            case 3 -> writeCr3(value);
            case 4 -> writeCr4(value);
            case 8 -> {
                if ((value & ~0xFL) != 0) throw cpu.fault(GP, 0); // TPR bits 63:4 reserved
                state.cr8 = value;
            }
            default -> throw cpu.fault(UD, -1);
        }
    }

    private boolean lme() { return (state.efer & CpuState.EFER_LME) != 0; }

    private void writeCr0(long value) {
        if ((value >>> 32) != 0) throw cpu.fault(GP, 0);
        value = (value & CR0_WRITABLE) | CpuState.CR0_ET;
        boolean pg = (value & CpuState.CR0_PG) != 0;
        if (pg && (value & CpuState.CR0_PE) == 0) throw cpu.fault(GP, 0);
        if ((value & CpuState.CR0_NW) != 0 && (value & CpuState.CR0_CD) == 0) throw cpu.fault(GP, 0);
        boolean wasPg = (state.cr0 & CpuState.CR0_PG) != 0;
        if (pg && !wasPg && lme()) {
            // Activating IA-32e mode needs PAE and a CS that is not 64-bit (§10.8.5).
            if ((state.cr4 & CpuState.CR4_PAE) == 0 || state.seg[Segment.CS.ordinal()].longMode()) throw cpu.fault(GP, 0);
        }
        if (!pg && wasPg && seg.mode64()) throw cpu.fault(GP, 0); // cannot leave paging from 64-bit code
        long old = state.cr0;
        long oldEfer = state.efer;
        state.cr0 = value;
        state.efer = pg && lme() ? state.efer | CpuState.EFER_LMA : state.efer & ~CpuState.EFER_LMA;
        if (paePaging() && !mmu.loadPdptes()) {
            state.cr0 = old;
            state.efer = oldEfer;
            throw cpu.fault(GP, 0);
        }
        if (((old ^ value) & (CpuState.CR0_PG | CpuState.CR0_WP | CpuState.CR0_PE)) != 0) mmu.flush();
    }

    /** PAE paging in effect: MOV to CR0 then (re)loads the PDPTE registers (§4.4.1). */
    private boolean paePaging() {
        return mmu.mode() == PagingMode.PAE;
    }

    private void writeCr3(long value) {
        if ((state.efer & CpuState.EFER_LMA) != 0) {
            if ((value & ~((1L << Mmu.PHYS_ADDR_BITS) - 1)) != 0) throw cpu.fault(GP, 0);
        } else {
            value &= 0xFFFF_FFFFL;
        }
        long old = state.cr3;
        state.cr3 = value;
        if (mmu.mode() == PagingMode.PAE && !mmu.loadPdptes()) {
            state.cr3 = old;
            throw cpu.fault(GP, 0);
        }
        mmu.flushNonGlobal(); // global translations survive MOV to CR3 (SDM Vol. 3A §4.10.4.1)
    }

    private void writeCr4(long value) {
        if ((value & ~CR4_SUPPORTED) != 0) throw cpu.fault(GP, 0);
        if ((state.efer & CpuState.EFER_LMA) != 0 && (value & CpuState.CR4_PAE) == 0) throw cpu.fault(GP, 0);
        long old = state.cr4;
        state.cr4 = value;
        if (((old ^ value) & CR4_PAGING) != 0) {
            if (mmu.mode() == PagingMode.PAE && !mmu.loadPdptes()) {
                state.cr4 = old;
                throw cpu.fault(GP, 0);
            }
            mmu.flush();
        }
    }

    /** WRMSR IA32_EFER: reserved bits and changing LME while paging are #GP(0); LMA is read-only (§2.2.1). */
    public void writeEfer(long value) {
        if ((value & ~(EFER_WRITABLE | CpuState.EFER_LMA)) != 0) throw cpu.fault(GP, 0);
        boolean pg = (state.cr0 & CpuState.CR0_PG) != 0;
        if (pg && ((value ^ state.efer) & CpuState.EFER_LME) != 0) throw cpu.fault(GP, 0);
        state.efer = (value & EFER_WRITABLE) | (state.efer & CpuState.EFER_LMA);
        mmu.flush();
    }
}
