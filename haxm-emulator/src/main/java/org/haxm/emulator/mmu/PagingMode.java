package org.haxm.emulator.mmu;

import org.haxm.emulator.cpu.CpuState;

/**
 * The four ways a linear address becomes physical (SDM Vol. 3A §4.1.1, Table 4-1), chosen by
 * CR0.PG, CR4.PAE and EFER.LME (through EFER.LMA).
 */
public enum PagingMode {
    /** CR0.PG = 0: linear = physical. */
    NONE,
    /** 32-bit paging (§4.3): two levels of 4-byte entries, 4-MiB pages with CR4.PSE. */
    BITS32,
    /** PAE paging (§4.4): four PDPTE registers, then two levels of 8-byte entries. */
    PAE,
    /** 4-level paging (§4.5): PML4, PDPT, PD, PT; only in IA-32e mode. */
    LEVEL4;

    /** The mode the control registers of {@code s} select. */
    public static PagingMode of(CpuState s) {
        if ((s.cr0 & CpuState.CR0_PG) == 0) return NONE;
        if ((s.cr4 & CpuState.CR4_PAE) == 0) return BITS32;
        return (s.efer & CpuState.EFER_LMA) != 0 ? LEVEL4 : PAE;
    }
}
