package org.haxm.examples.setup;

import java.util.Locale;

/** The CPU modes the {@code run} command can start a guest in. */
public enum GuestMode {
    /** Real-address mode: 16-bit code, CS:IP with base 0 (SDM Vol. 3A §21.1). */
    REAL,
    /** 32-bit protected mode with flat segments and paging off (SDM Vol. 3A §3.2.1). */
    PROTECTED,
    /** 32-bit protected mode with 32-bit paging identity-mapping 4 GiB (SDM Vol. 3A §4.3). */
    PAGED32,
    /** 64-bit mode (IA-32e) with 4-level paging identity-mapping RAM and the low 4 GiB (SDM Vol. 3A §4.5). */
    LONG;

    /** The name used on the command line ({@code real}, {@code protected}, ...). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a command-line mode name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static GuestMode fromCliName(String s) {
        for (GuestMode m : values()) {
            if (m.cliName().equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + s + "': expected real, protected, paged32 or long");
    }
}
