package org.haxm.api;

import org.haxm.core.tunnel.ExitStatus;

/** Why {@link HaxVcpu#run()} returned: HAXM's {@code HAX_EXIT_*} values. */
public enum HaxExitStatus {
    IO(1), MMIO(2), REALMODE(3), INTERRUPT(4), UNKNOWN(5), HLT(6), STATECHANGE(7), PAUSED(8), FAST_MMIO(9),
    PAGEFAULT(10), DEBUG(11);

    private final int code;
    HaxExitStatus(int code) { this.code = code; }

    /** The HAX_EXIT_* number. */
    public int code() { return code; }

    /** The status with number {@code c}. */
    public static HaxExitStatus fromCode(int c) {
        for (HaxExitStatus s : values()) if (s.code == c) return s;
        throw new IllegalArgumentException("no HAX exit status " + c + " (valid: 1..11)");
    }

    static HaxExitStatus of(ExitStatus s) { return s == null ? null : fromCode(s.code()); }
}
