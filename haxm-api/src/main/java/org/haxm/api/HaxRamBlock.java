package org.haxm.api;

import org.haxm.ept.RamBlock;

/** A registered block of host memory for guest RAM, named by its host "virtual address" as in HAXM. */
public final class HaxRamBlock {
    private final RamBlock block;
    HaxRamBlock(RamBlock block) { this.block = block; }

    /** The host address HAXM-style calls use to name this memory ({@code va} of SET_RAM). */
    public long va() { return block.va(); }
    /** Size in bytes. */
    public long size() { return block.size(); }
    RamBlock block() { return block; }
    @Override public String toString() { return "HaxRamBlock[va=0x" + Long.toHexString(va()) + ", size=0x" + Long.toHexString(size()) + "]"; }
}
