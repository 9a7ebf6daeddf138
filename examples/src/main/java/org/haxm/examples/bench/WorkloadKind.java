package org.haxm.examples.bench;

import java.util.Locale;

/**
 * What a workload needs from the bench VMM besides RAM, and so how its exits are reported.
 * The manifest names are the enum names in lower case with '-' for '_'.
 */
public enum WorkloadKind {
    /** Pure computation: runs from entry to the final HLT without a VM exit in between. */
    CPU(false),
    /** Port I/O loop against {@link BenchPortDevice} (I/O-instruction exits, SDM Vol. 3C §26.1.3). */
    EXIT_IO(true),
    /** MMIO loop against {@link BenchMmioDevice} at 0xD0000000 (EPT violations, SDM Vol. 3C §29.3.3). */
    EXIT_MMIO(true),
    /** HLT loop: every HLT exit is answered by injecting an interrupt (SDM Vol. 3C §26.1.3, §27.6). */
    EXIT_HLT(true);

    private final boolean exitHeavy;

    WorkloadKind(boolean exitHeavy) {
        this.exitHeavy = exitHeavy;
    }

    /** Whether the workload is measured by its exits (the table then shows ns per exit). */
    public boolean exitHeavy() {
        return exitHeavy;
    }

    /** The manifest name ({@code cpu}, {@code exit-io}, ...). */
    public String manifestName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a manifest name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static WorkloadKind fromManifestName(String s) {
        for (WorkloadKind k : values()) {
            if (k.manifestName().equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown workload kind '" + s + "': expected cpu, exit-io, exit-mmio or exit-hlt");
    }
}
