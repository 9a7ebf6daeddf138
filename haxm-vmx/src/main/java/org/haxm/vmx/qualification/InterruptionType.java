package org.haxm.vmx.qualification;

/**
 * Interruption type, bits 10:8 of the interruption-information fields (SDM Vol. 3C §25.8.3,
 * §25.9.2). Code 1 is reserved.
 */
public enum InterruptionType {
    /** External interrupt (0). */
    EXTERNAL_INTERRUPT(0),
    /** Non-maskable interrupt (2); vector must be 2. */
    NMI(2),
    /** Hardware exception (3): faults, traps and aborts raised by the processor. */
    HARDWARE_EXCEPTION(3),
    /** Software interrupt (4): INT n. */
    SOFTWARE_INTERRUPT(4),
    /** Privileged software exception (5): INT1 (ICEBP). */
    PRIVILEGED_SOFTWARE_EXCEPTION(5),
    /** Software exception (6): INT3 or INTO. */
    SOFTWARE_EXCEPTION(6),
    /** Other event (7): with vector 0 on entry, a pending MTF VM exit. */
    OTHER_EVENT(7);

    private static final InterruptionType[] BY_CODE = new InterruptionType[8];

    static {
        for (InterruptionType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    InterruptionType(int code) { this.code = code; }

    /** The 3-bit code of bits 10:8. */
    public int code() { return code; }

    /** True for the types injected "after" an instruction, whose delivery needs an instruction length (4, 5, 6). */
    public boolean isSoftware() {
        return this == SOFTWARE_INTERRUPT || this == PRIVILEGED_SOFTWARE_EXCEPTION || this == SOFTWARE_EXCEPTION;
    }

    /** The type with this code, or {@code null} for the reserved code 1 or codes outside 0..7. */
    public static InterruptionType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
