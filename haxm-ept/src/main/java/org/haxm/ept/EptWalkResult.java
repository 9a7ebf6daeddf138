package org.haxm.ept;

import java.nio.ByteBuffer;

/**
 * The outcome of one EPT walk, filled in place by {@link EptWalker#walk} so that the hot path of
 * guest execution allocates nothing: each VCPU keeps one (or a few) of these and reuses them.
 *
 * <p>Which fields are meaningful depends on {@link #status}:
 * <ul>
 *   <li>{@link Status#TRANSLATED}: {@link #buffer} and {@link #offset} locate the byte at
 *       {@link #gpa} in host memory (the access never crosses a 4-KiB page, so it stays inside the
 *       buffer), {@link #hostPhysical} is its synthetic host-physical address, {@link #permissions}
 *       the effective R/W/X (bits 2:0, AND over all levels) of the page;</li>
 *   <li>{@link Status#VIOLATION}: {@link #qualification} holds exit-qualification bits 5:0 (SDM
 *       Vol. 3C §28.3.3.2, Table 28-7) — the caller adds bits 7/8 (guest-linear address valid /
 *       final translation) and bit 12, which only it knows; {@link #mapped} tells whether a memory
 *       slot covers the GPA (false = MMIO, the device model must emulate the access);</li>
 *   <li>{@link Status#MISCONFIGURATION}: an entry on the path is malformed (SDM §29.3.3.1);
 *       the exit qualification of an EPT misconfiguration is 0.</li>
 * </ul>
 *
 * <p>{@link #buffer} is a shared little-endian view: use only absolute accessors
 * ({@code get(int)}, {@code putLong(int, long)}, ...) and never change its position or limit,
 * because other VCPU threads use the same view.
 */
public final class EptWalkResult {

    /** How a walk ended. */
    public enum Status {
        /** The access is allowed; the host location is in {@code buffer}/{@code offset}. */
        TRANSLATED,
        /** EPT violation (basic exit reason 48): not-present entry or insufficient permission. */
        VIOLATION,
        /** EPT misconfiguration (basic exit reason 49): a present entry is malformed. */
        MISCONFIGURATION
    }

    /** The guest-physical address that was walked. */
    public long gpa;
    /** How the walk ended. */
    public Status status;
    /** TRANSLATED: the 2-MiB chunk (little-endian view) holding the byte at {@link #gpa}. */
    public ByteBuffer buffer;
    /** TRANSLATED: index of the byte at {@link #gpa} in {@link #buffer}. */
    public int offset;
    /** TRANSLATED: synthetic host-physical address of the byte at {@link #gpa}. */
    public long hostPhysical;
    /** TRANSLATED (and VIOLATION): effective R/W/X of the walk, bits 2:0. */
    public int permissions;
    /** VIOLATION: exit-qualification bits 5:0; 0 otherwise. */
    public long qualification;
    /** Whether a memory slot maps {@link #gpa} (false = MMIO). */
    public boolean mapped;

    /** @return whether the walk produced a translation */
    public boolean isTranslated() {
        return status == Status.TRANSLATED;
    }

    /** Clears every field for a new walk of {@code address}. */
    void reset(long address) {
        gpa = address;
        status = null;
        buffer = null;
        offset = 0;
        hostPhysical = 0;
        permissions = 0;
        qualification = 0;
        mapped = false;
    }

    @Override
    public String toString() {
        if (status == null) {
            return String.format("gpa 0x%x: not walked", gpa);
        }
        return switch (status) {
            case TRANSLATED -> String.format("gpa 0x%x -> hpa 0x%x (perm %d)", gpa, hostPhysical, permissions);
            case VIOLATION -> String.format("gpa 0x%x: EPT violation, qualification 0x%x%s",
                    gpa, qualification, mapped ? "" : " (MMIO)");
            case MISCONFIGURATION -> String.format("gpa 0x%x: EPT misconfiguration", gpa);
        };
    }
}
