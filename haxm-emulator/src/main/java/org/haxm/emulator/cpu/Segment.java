package org.haxm.emulator.cpu;

/** Segment registers in x86 encoding order (the sreg field of ModRM), then LDTR and TR. */
public enum Segment {
    ES, CS, SS, DS, FS, GS, LDTR, TR;

    private static final Segment[] VALUES = values();

    /** The segment register encoded as {@code n} (0..7). */
    public static Segment of(int n) { return VALUES[n]; }
}
