package org.haxm.ept;

/**
 * Memory types an EPT leaf entry (bits 5:3) or the EPT pointer (bits 2:0) may name.
 *
 * <p>SDM Vol. 3C §29.3.7 (memory typing with EPT) and Vol. 3A §12.3 (memory types). Codes 2, 3
 * and 7 are reserved: a leaf entry using one is an EPT misconfiguration (SDM §29.3.3.1).
 */
public enum EptMemoryType {
    /** Uncacheable. */
    UC(0),
    /** Write combining. */
    WC(1),
    /** Write through. */
    WT(4),
    /** Write protected. */
    WP(5),
    /** Write back: what this engine uses for all RAM and for the tables themselves (as HAXM). */
    WB(6);

    private static final EptMemoryType[] BY_CODE = new EptMemoryType[8];

    static {
        for (EptMemoryType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    EptMemoryType(int code) {
        this.code = code;
    }

    /** @return the 3-bit encoding used in EPT entries and the EPTP */
    public int code() {
        return code;
    }

    /**
     * @param code a 3-bit memory-type field value
     * @return the memory type, or {@code null} when the code is reserved (2, 3, 7) or out of range
     */
    public static EptMemoryType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** @return whether {@code code} names a defined memory type for an EPT leaf entry */
    public static boolean isValidLeafType(int code) {
        return fromCode(code) != null;
    }
}
