package org.haxm.examples.bench;

import java.util.Locale;
import org.haxm.examples.setup.GuestMode;

/** The two builds of every workload and the CPU mode each runs in (as {@code haxm run --mode} sets it up). */
public enum WorkloadMode {
    /** 64-bit code ({@code -m64}) in IA-32e mode with identity paging: {@code <name>-long.bin}. */
    LONG(GuestMode.LONG),
    /** 32-bit code ({@code -m32}) in flat protected mode, paging off: {@code <name>-prot.bin}. */
    PROT(GuestMode.PROTECTED);

    private final GuestMode guestMode;

    WorkloadMode(GuestMode guestMode) {
        this.guestMode = guestMode;
    }

    /** The mode {@code GuestModeSetup} prepares for this build. */
    public GuestMode guestMode() {
        return guestMode;
    }

    /** The name in file names, the manifest and on the command line ({@code long}, {@code prot}). */
    public String shortName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code long} or {@code prot}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static WorkloadMode fromShortName(String s) {
        for (WorkloadMode m : values()) {
            if (m.shortName().equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown workload mode '" + s + "': expected long or prot");
    }
}
