package org.haxm.vmx;

/**
 * The full 32-bit exit-reason field (encoding 0x4402; SDM Vol. 3C §25.9.1, Table 25-17).
 *
 * <p>Layout: bits 15:0 basic exit reason; bit 16 always 0; bits 24:17 not defined (0);
 * bit 25 shadow stack prematurely busy; bit 26 bus lock detected alongside another exit;
 * bit 27 exit from enclave mode; bit 28 pending MTF VM exit; bit 29 exit from VMX root
 * operation; bit 30 not defined; bit 31 VM-entry failure.
 *
 * @param basicReason      bits 15:0; kept as a number so undefined reasons still round-trip
 * @param shadowStackBusy  bit 25
 * @param busLockDetected  bit 26
 * @param enclaveMode      bit 27
 * @param pendingMtf       bit 28
 * @param fromVmxRoot      bit 29
 * @param entryFailure     bit 31
 */
public record ExitReasonField(int basicReason, boolean shadowStackBusy, boolean busLockDetected,
                              boolean enclaveMode, boolean pendingMtf, boolean fromVmxRoot,
                              boolean entryFailure) {

    public static final int BASIC_REASON_MASK = 0xFFFF;
    public static final int SHADOW_STACK_BUSY = 1 << 25;
    public static final int BUS_LOCK_DETECTED = 1 << 26;
    public static final int ENCLAVE_MODE = 1 << 27;
    public static final int PENDING_MTF = 1 << 28;
    public static final int FROM_VMX_ROOT = 1 << 29;
    public static final int ENTRY_FAILURE = 1 << 31;
    /** Bits that are defined; every other bit of the 64-bit value must be zero. */
    public static final long DEFINED_BITS = Integer.toUnsignedLong(BASIC_REASON_MASK | SHADOW_STACK_BUSY
        | BUS_LOCK_DETECTED | ENCLAVE_MODE | PENDING_MTF | FROM_VMX_ROOT | ENTRY_FAILURE);

    /** @throws IllegalArgumentException if {@code basicReason} is outside 0..0xFFFF */
    public ExitReasonField {
        if ((basicReason & ~BASIC_REASON_MASK) != 0) {
            throw new IllegalArgumentException("basicReason must be in 0..0xFFFF, got " + basicReason);
        }
    }

    /** The field for an ordinary exit: just the basic reason, entry-failure bit set for reasons 33/34/41. */
    public static ExitReasonField of(ExitReason reason) {
        return new ExitReasonField(reason.number(), false, false, false, false, false, reason.isEntryFailure());
    }

    /** The field's raw 32-bit value, zero-extended (ready for {@link Vmcs#writeExitInformation}). */
    public static long encode(ExitReason reason) {
        return reason.number() | (reason.isEntryFailure() ? Integer.toUnsignedLong(ENTRY_FAILURE) : 0);
    }

    /** The basic reason as an enum, or {@code null} if the number is undefined. */
    public ExitReason reason() { return ExitReason.fromNumber(basicReason); }

    /** The field's raw value, zero-extended to 64 bits. */
    public long encode() {
        int v = basicReason
            | (shadowStackBusy ? SHADOW_STACK_BUSY : 0)
            | (busLockDetected ? BUS_LOCK_DETECTED : 0)
            | (enclaveMode ? ENCLAVE_MODE : 0)
            | (pendingMtf ? PENDING_MTF : 0)
            | (fromVmxRoot ? FROM_VMX_ROOT : 0)
            | (entryFailure ? ENTRY_FAILURE : 0);
        return Integer.toUnsignedLong(v);
    }

    /** @throws IllegalArgumentException if {@code bits} sets a bit the SDM does not define */
    public static ExitReasonField decode(long bits) {
        if ((bits & ~DEFINED_BITS) != 0) {
            throw new IllegalArgumentException("exit-reason value 0x" + Long.toHexString(bits)
                + " sets undefined bits 0x" + Long.toHexString(bits & ~DEFINED_BITS));
        }
        return new ExitReasonField((int) bits & BASIC_REASON_MASK, (bits & SHADOW_STACK_BUSY) != 0,
            (bits & BUS_LOCK_DETECTED) != 0, (bits & ENCLAVE_MODE) != 0, (bits & PENDING_MTF) != 0,
            (bits & FROM_VMX_ROOT) != 0, (bits & Integer.toUnsignedLong(ENTRY_FAILURE)) != 0);
    }
}
