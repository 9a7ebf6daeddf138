package org.haxm.emulator.mem;

/**
 * Guest-physical memory as the CPU sees it after segmentation and paging. In the engine this is
 * EPT-translated memory supplied by haxm-core; an access it cannot complete (EPT violation, MMIO)
 * ends the instruction with an {@link org.haxm.emulator.InstructionAbort}, which the emulator lets
 * propagate untouched.
 *
 * <p>Accesses are little-endian and at most 8 bytes; they never cross a 4-KiB page boundary (the
 * MMU splits accesses that do). {@code linear} is the guest-linear address that produced
 * {@code gpa}, or -1 when there is none (reported in EPT-violation exits).
 */
public interface PhysicalMemory {
    /** Reads {@code size} (1, 2, 4, 8) bytes, zero-extended. {@code type} is an {@link AccessType}. */
    long read(long gpa, int size, int type, long linear);

    /** Writes the low {@code size} bytes of {@code value}. {@code type} is WRITE or PAGING_WRITE. */
    void write(long gpa, int size, long value, int type, long linear);

    /** Atomic compare-and-exchange for LOCK-prefixed read-modify-write (SDM Vol. 3A §9.1.2.2):
     *  if the {@code size}-byte value at gpa equals {@code expected}, stores {@code update}; returns
     *  the old value either way. */
    long compareAndExchange(long gpa, int size, long expected, long update, long linear);
}
