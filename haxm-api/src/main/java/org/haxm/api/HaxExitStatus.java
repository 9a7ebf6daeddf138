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
        if (c < 1 || c >= BY_CODE.length) throw new IllegalArgumentException("no HAX exit status " + c + " (valid: 1..11)");
        return BY_CODE[c];
    }

    static HaxExitStatus of(ExitStatus s) { return s == null ? null : BY_CODE[s.code()]; }

    /** Indexed by code: mapping the engine's status on every run() return allocates nothing. */
    private static final HaxExitStatus[] BY_CODE = new HaxExitStatus[12];
    static { for (HaxExitStatus s : values()) BY_CODE[s.code] = s; }
}
