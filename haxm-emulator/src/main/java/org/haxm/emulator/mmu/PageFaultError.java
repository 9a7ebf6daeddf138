package org.haxm.emulator.mmu;

/** Bits of the #PF error code (SDM Vol. 3A §4.7, Figure 4-12). */
public final class PageFaultError {
    private PageFaultError() {}
    /** 0: the page was not present; 1: a protection violation (or reserved bit). */
    public static final int P = 1;
    /** The access was a write. */
    public static final int W = 1 << 1;
    /** The access was a user-mode access (CPL = 3, not an implicit supervisor access). */
    public static final int U = 1 << 2;
    /** A reserved bit was set in some paging-structure entry. */
    public static final int RSVD = 1 << 3;
    /** The access was an instruction fetch (reported only with NX or SMEP enabled). */
    public static final int ID = 1 << 4;
}
