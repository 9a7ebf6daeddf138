package org.haxm.emulator.diff;

/**
 * The fixed addresses both sides of the differential test share (they must match
 * {@code src/test/c/diffharness.c}): a code page, two data pages whose first {@link #WINDOW}
 * bytes are the case's memory, and where a taken branch lands.
 */
final class Layout {
    static final long CODE = 0x40000;
    static final long DATA = 0x50000;
    static final int DATA_SIZE = 0x2000;
    static final int WINDOW = 512;
    /** A branch case jumps {@code TAKEN} bytes past the end of its instruction. */
    static final int TAKEN = 0x20;
    /** Initial stack pointer for cases that use the stack (inside the window, room both ways). */
    static final long STACK = DATA + 0x1C0;
    /** Memory operands of ordinary cases land in [MEM_LO, MEM_HI). */
    static final long MEM_LO = DATA + 0x100, MEM_HI = DATA + 0x180;
    /** 64-bit mode: the GS base both sides use, so GS overrides address the window. */
    static final long GS_BASE = DATA + 0x40;
    /** The data pages are also mapped here (when the host allows), for 16-bit addresses. */
    static final long LOW = 0x8000;

    static final int IN_RECORD = 16 + 16 * 8 + 8 + WINDOW;
    static final int OUT_RECORD = 16 * 8 + 8 + 8 + 4 + 4 + WINDOW;

    private Layout() {}
}
