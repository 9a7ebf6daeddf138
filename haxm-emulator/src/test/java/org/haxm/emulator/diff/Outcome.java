package org.haxm.emulator.diff;

/**
 * The state after one case, from either side: registers, RFLAGS, RIP, the exception vector
 * (-1 for none; registers, flags and RIP are then not meaningful), whether anything outside the
 * window was written, and the window.
 */
record Outcome(long[] regs, long rflags, long rip, int vector, boolean outsideWritten, byte[] window) {}
