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

    /**
     * Resolves the page of {@code gpa} to the host memory behind it, for the MMU's software TLB
     * (which folds guest paging and this translation into one lookup). Must have exactly the side
     * effects a successful access of {@code type} would have (EPT accessed/dirty flags, SDM Vol. 3C
     * §29.3.5) and none when it returns false: no VM exit, no exception.
     *
     * <p>Returns false for anything that must keep going through {@link #read}/{@link #write}:
     * MMIO, unbacked addresses, an access the translation does not permit (the slow path then
     * produces the EPT violation), or a memory that does not support resolution (the default).
     * {@code out.permissions} may grant more than {@code type}, but only accesses that need no
     * further side effect: with EPT dirty flags enabled, WRITE only after a write set the dirty flag.
     * A resolution stays valid until the memory calls the listener given to
     * {@link #setInvalidationListener}.
     *
     * @param type {@link AccessType#READ}, {@link AccessType#WRITE} or {@link AccessType#EXECUTE}
     */
    default boolean resolveHost(long gpa, int type, long linear, HostPage out) { return false; }

    /**
     * Registers the one callback to run (on the VCPU's own thread) whenever resolutions handed out
     * by {@link #resolveHost} may have become stale: a change of the guest-physical mappings or of
     * the EPT (what INVEPT invalidates, SDM Vol. 3C §29.4.3.1). The default never resolves, so it
     * ignores the listener.
     */
    default void setInvalidationListener(Runnable listener) {}
}
