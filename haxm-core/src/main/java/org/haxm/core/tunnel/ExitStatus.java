package org.haxm.core.tunnel;

/**
 * Why {@code run} returned to the caller: HAXM's {@code HAX_EXIT_*} statuses, with HAXM's numbers
 * (written to {@code hax_tunnel._exit_status}).
 */
public enum ExitStatus {
    /** Port I/O the caller must carry out (tunnel io fields and the I/O buffer). */
    IO(1),
    /** Legacy MMIO exit; never produced (HAXM 7.x does not either). */
    MMIO(2),
    /** Real mode without unrestricted guest; never produced (this engine always has UG). */
    REALMODE(3),
    /** An event for the caller: a kick, a requested interrupt window. */
    INTERRUPT(4),
    /** VM entry failed for a reason other than invalid guest state. */
    UNKNOWN(5),
    /** The guest executed HLT with no interrupt pending. */
    HLT(6),
    /** The VCPU can no longer run: triple fault, invalid guest state, unhandled exit. Sticky. */
    STATECHANGE(7),
    /** The VCPU was paused (this engine: its instruction budget, the VMX-preemption timer, ran out). */
    PAUSED(8),
    /** One MMIO access the caller must carry out ({@code hax_fastmmio} in the I/O buffer). */
    FAST_MMIO(9),
    /** Access to RAM protected with PROTECT_RAM. */
    PAGEFAULT(10),
    /** A guest debug event while debugging is enabled. */
    DEBUG(11);

    private final int code;
    ExitStatus(int code) { this.code = code; }

    /** The HAX_EXIT_* number. */
    public int code() { return code; }

    /** The status with HAXM number {@code code}. */
    public static ExitStatus fromCode(int code) {
        if (code < 1 || code >= BY_CODE.length) throw new IllegalArgumentException("no HAX exit status " + code + " (valid: 1..11)");
        return BY_CODE[code];
    }

    /** Indexed by code, so looking a status up on every run() return allocates nothing. */
    private static final ExitStatus[] BY_CODE = new ExitStatus[12];
    static { for (ExitStatus s : values()) BY_CODE[s.code] = s; }
}
