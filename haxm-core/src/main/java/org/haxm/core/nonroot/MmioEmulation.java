package org.haxm.core.nonroot;

import org.haxm.emulator.InstructionAbort;

/**
 * Completes an instruction that touched guest-physical addresses with no RAM behind them, the way
 * HAXM's instruction emulator does after an EPT violation (haxm-api.md §7): the instruction is
 * executed again by the same CPU model, and each access to MMIO becomes one exchange with the
 * caller (a FAST_MMIO exit).
 *
 * <p>The emulation is deterministic, so an MMIO read that has no value yet simply abandons the
 * attempt; once the caller supplied the value the instruction is executed again from the start
 * and the reads already answered are replayed in order. Writes are collected while an attempt runs
 * and handed to the caller, one per exit, only once the instruction has completed — an abandoned
 * attempt has no effect.
 */
public final class MmioEmulation {
    /** Accesses of one instruction the emulation records. PUSHA to MMIO with every dword split
     *  across a page boundary needs 16; more than this stops the VCPU (see {@link #overflowed()}). */
    private static final int MAX_ACCESSES = 32;
    private boolean overflowed;

    /** Values of the MMIO reads answered so far, in program order. */
    private final long[] readValues = new long[MAX_ACCESSES];
    private int readsAnswered;
    private int readsReplayed;

    /** The read that stopped the current attempt. */
    private long pendingReadGpa;
    private int pendingReadSize;
    private boolean readPending;

    /** Writes of the completed attempt, delivered one per exit. */
    private final long[] writeGpa = new long[MAX_ACCESSES];
    private final long[] writeValue = new long[MAX_ACCESSES];
    private final int[] writeSize = new int[MAX_ACCESSES];
    private int writeCount, writesDelivered;

    /** Starts emulating a new instruction. */
    public void begin() {
        readsAnswered = 0;
        overflowed = false;
        writeCount = 0;
        writesDelivered = 0;
        readPending = false;
        startAttempt();
    }

    /** Starts one execution attempt of the instruction. */
    public void startAttempt() {
        readsReplayed = 0;
        writeCount = 0;
        readPending = false;
    }

    /** True if an access to {@code gpa} belongs to this emulation: no RAM there, or a write to ROM
     *  (HAXM treats ROM writes as MMIO). */
    boolean claims(long gpa, boolean write, boolean mapped) {
        return !mapped || write;
    }

    long read(long gpa, int size) {
        if (readsReplayed < readsAnswered) return readValues[readsReplayed++] & mask(size);
        if (readsAnswered == MAX_ACCESSES) { overflowed = true; throw InstructionAbort.INSTANCE; }
        pendingReadGpa = gpa;
        pendingReadSize = size;
        readPending = true;
        throw InstructionAbort.INSTANCE;
    }

    void write(long gpa, int size, long value) {
        if (writeCount == MAX_ACCESSES) { overflowed = true; throw InstructionAbort.INSTANCE; }
        writeGpa[writeCount] = gpa;
        writeSize[writeCount] = size;
        writeValue[writeCount] = value & mask(size);
        writeCount++;
    }

    /** The caller answered the pending read. */
    public void answerRead(long value) {
        readValues[readsAnswered++] = value & mask(pendingReadSize);
        readPending = false;
    }

    public boolean readPending() { return readPending; }
    /** True if the instruction needed more MMIO accesses than the emulation records. */
    public boolean overflowed() { return overflowed; }
    public long pendingReadGpa() { return pendingReadGpa; }
    public int pendingReadSize() { return pendingReadSize; }

    /** True while completed writes still wait to be handed to the caller. */
    public boolean hasUndeliveredWrite() { return writesDelivered < writeCount; }
    public long nextWriteGpa() { return writeGpa[writesDelivered]; }
    public int nextWriteSize() { return writeSize[writesDelivered]; }
    public long nextWriteValue() { return writeValue[writesDelivered]; }
    public void writeDelivered() { writesDelivered++; }

    private static long mask(int size) { return size == 8 ? -1L : (1L << (8 * size)) - 1; }
}
