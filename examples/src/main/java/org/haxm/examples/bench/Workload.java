package org.haxm.examples.bench;

import java.util.List;

/**
 * One benchmark workload as the manifest describes it.
 *
 * @param name the workload name ({@code coremark}, {@code exit-io}, ...)
 * @param kind which bench devices it needs
 * @param checksum the 32-bit value the guest must leave at guest-physical 0x500 (from the native run)
 * @param modes the builds that exist, in manifest order
 */
public record Workload(String name, WorkloadKind kind, int checksum, List<WorkloadMode> modes) {

    /** Validates and makes {@code modes} immutable. */
    public Workload {
        if (name == null || name.isEmpty() || kind == null || modes == null || modes.isEmpty()) {
            throw new IllegalArgumentException("workload needs a name, a kind and at least one mode");
        }
        modes = List.copyOf(modes);
    }

    /** The same workload expecting another checksum (tests use it to check that a mismatch is caught). */
    public Workload withChecksum(int other) {
        return new Workload(name, kind, other, modes);
    }
}
