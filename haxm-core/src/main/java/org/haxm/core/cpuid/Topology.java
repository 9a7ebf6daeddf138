package org.haxm.core.cpuid;

/**
 * The processor topology the guest sees: one package whose cores are the VM's VCPUs, one logical
 * processor (thread) per core. A VCPU's initial APIC id and x2APIC id are its VCPU id.
 *
 * <p>The three places that describe it agree by construction (SDM Vol. 3A §9.9 "Identifying
 * logical processors", Vol. 2A CPUID leaves 01H, 04H, 0BH):
 * <ul>
 *   <li>leaf 1 EBX[23:16], addressable logical-processor ids per package = {@code 2^coreIdBits};</li>
 *   <li>leaf 4 EAX[31:26] + 1, addressable core ids per package = the same number (so threads
 *       per core = 1);</li>
 *   <li>leaf 0xB: the SMT level shifts the x2APIC id by 0 bits and holds 1 logical processor, the
 *       core level shifts by {@code coreIdBits} (giving package id 0 for every VCPU) and holds
 *       {@link #logicalProcessors()}.</li>
 * </ul>
 * VCPU ids are chosen by the caller and may leave gaps, so the id space covers the highest id.
 *
 * @param logicalProcessors VCPUs in the VM (at least 1)
 * @param apicIdSpan        highest VCPU id + 1 (at least {@code logicalProcessors})
 */
public record Topology(int logicalProcessors, int apicIdSpan) {
    /** The level types of leaf 0xB ECX[15:8] (SDM Vol. 2A Table 3-8, leaf 0BH). */
    static final int LEVEL_SMT = 1, LEVEL_CORE = 2;

    public Topology {
        if (logicalProcessors < 1) throw new IllegalArgumentException("logicalProcessors must be >= 1, got " + logicalProcessors);
        if (apicIdSpan < logicalProcessors || apicIdSpan > 256) {
            throw new IllegalArgumentException("apicIdSpan must be " + logicalProcessors + "..256, got " + apicIdSpan);
        }
    }

    /** A VM with VCPUs 0 .. n-1. */
    public static Topology of(int n) { return new Topology(n, n); }

    /** Bits of the APIC id that number the core: the smallest k with 2^k >= {@link #apicIdSpan()}. */
    public int coreIdBits() { return 32 - Integer.numberOfLeadingZeros(apicIdSpan - 1); }

    /** Addressable APIC ids in the package (a power of two). */
    public int addressableIds() { return 1 << coreIdBits(); }

    /** Leaf 1 EBX for the VCPU with {@code apicId}: initial APIC id, addressable ids, CLFLUSH size 64 bytes (8 qwords). */
    int leaf1Ebx(int apicId) { return (apicId << 24) | (addressableIds() << 16) | (8 << 8); }

    /** Leaf 1 EDX[28] HTT: the package has more than one addressable logical-processor id. */
    boolean htt() { return addressableIds() > 1; }

    /** Leaf 0xB sub-leaf {@code level} for the VCPU with x2APIC id {@code apicId}, into {@code out}. */
    void extendedTopology(int level, int apicId, int[] out) {
        switch (level) {
            case 0 -> { out[0] = 0; out[1] = 1; out[2] = (LEVEL_SMT << 8); }
            case 1 -> { out[0] = coreIdBits(); out[1] = logicalProcessors; out[2] = 1 | (LEVEL_CORE << 8); }
            // Invalid levels: EAX = EBX = 0, ECX[7:0] echoes the level, ECX[15:8] = 0 (type invalid).
            default -> { out[0] = 0; out[1] = 0; out[2] = level & 0xFF; }
        }
        out[3] = apicId;
    }
}
