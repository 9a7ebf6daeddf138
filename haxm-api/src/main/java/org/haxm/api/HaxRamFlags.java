package org.haxm.api;

/** Flags of {@link HaxVm#setRam} ({@code HAX_RAM_INFO_*}). */
public final class HaxRamFlags {
    private HaxRamFlags() {}
    /** Read-only mapping: guest writes become MMIO writes. */
    public static final int ROM = 0x01;
    /** The engine allocates private RAM for the range (no va needed). */
    public static final int STANDALONE = 0x40;
    /** Unmap the range (va must be 0). */
    public static final int INVALID = 0x80;
}
