package org.haxm.core.cpuid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The CPU identity guests see (SDM Vol. 2A CPUID; haxm-api.md §6.7). */
class CpuidModelProperties {
    private final int[] out = new int[4];

    private int[] q(CpuidModel m, int leaf, int apicId) {
        m.query(leaf, 0, apicId, out);
        return out.clone();
    }

    private static String text(int... words) {
        ByteBuffer b = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) b.putInt(w);
        return new String(b.array(), StandardCharsets.US_ASCII);
    }

    @Test
    void leaf0IsGenuineIntelWithTheMaximumBasicLeaf() {
        int[] r = q(new CpuidModel(1), 0, 0);
        assertEquals(CpuidModel.MAX_BASIC, r[0]);
        assertEquals("GenuineIntel", text(r[1], r[3], r[2]), "EBX, EDX, ECX");
    }

    @Test
    void leaf1ReportsSignatureApicIdLogicalCountAndTheHypervisorBit() {
        int[] one = q(new CpuidModel(1), 1, 0);
        assertEquals(CpuidModel.SIGNATURE, one[0]);
        assertEquals(6, (one[0] >> 8) & 0xF, "family 6");
        assertEquals(0, one[3] & (1 << 28), "no HTT with one VCPU");
        assertTrue(one[2] < 0, "ECX bit 31: running under a hypervisor");
        assertTrue((one[3] & (1 << 6)) != 0, "PAE");

        int[] four = q(new CpuidModel(4), 1, 3);
        assertEquals(3, four[1] >>> 24, "initial APIC id = VCPU id");
        assertEquals(4, (four[1] >> 16) & 0xFF, "logical processors");
        assertEquals(8, (four[1] >> 8) & 0xFF, "CLFLUSH line size in 8-byte units (64 bytes)");
        assertTrue((four[3] & (1 << 28)) != 0, "HTT with several VCPUs");
    }

    @Test
    void hypervisorLeaves() {
        int[] r = q(new CpuidModel(1), 0x4000_0000, 0);
        assertEquals(0x4000_0000, r[0]);
        assertEquals("HAXMHAXMHAXM", text(r[1], r[2], r[3]));
        assertArrayEquals(new int[4], q(new CpuidModel(1), 0x4000_0001, 0));
        assertArrayEquals(new int[4], q(new CpuidModel(1), 0x4000_00FF, 0));
    }

    @Test
    void extendedLeaves() {
        CpuidModel m = new CpuidModel(1);
        assertEquals(CpuidModel.MAX_EXTENDED, q(m, 0x8000_0000, 0)[0]);
        int[] e1 = q(m, 0x8000_0001, 0);
        assertTrue((e1[3] & (1 << 29)) != 0, "LM");
        assertTrue((e1[3] & (1 << 20)) != 0, "NX");
        assertTrue((e1[3] & (1 << 11)) != 0, "SYSCALL");
        int[] a = q(m, 0x8000_0002, 0), b = q(m, 0x8000_0003, 0), c = q(m, 0x8000_0004, 0);
        String brand = text(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3], c[0], c[1], c[2], c[3]);
        assertEquals(48, brand.length());
        assertEquals("haxm-java virtual Intel 64 CPU", brand.substring(0, brand.indexOf('\0')));
        assertTrue(brand.substring(brand.indexOf('\0')).chars().allMatch(ch -> ch == 0), "NUL-padded");
        int[] widths = q(m, 0x8000_0008, 0);
        assertEquals(CpuidModel.PHYSICAL_ADDRESS_BITS, widths[0] & 0xFF);
        assertEquals(CpuidModel.LINEAR_ADDRESS_BITS, (widths[0] >> 8) & 0xFF);
    }

    /** Above the maximum basic or extended leaf, Intel CPUs return the highest basic leaf's data. */
    @Property(tries = 300)
    void leavesAboveTheMaximumReturnTheHighestBasicLeaf(@ForAll("unsupportedLeaves") int leaf,
                                                        @ForAll @IntRange(min = 0, max = 15) int apicId) {
        CpuidModel m = new CpuidModel(2);
        assertArrayEquals(q(m, CpuidModel.MAX_BASIC, apicId), q(m, leaf, apicId), "leaf 0x" + Integer.toHexString(leaf));
    }

    @Provide
    Arbitrary<Integer> unsupportedLeaves() {
        return Arbitraries.oneOf(
            Arbitraries.integers().between(CpuidModel.MAX_BASIC + 1, 0x3FFF_FFFF),
            Arbitraries.integers().between(0x4000_0100, 0x7FFF_FFFF),
            Arbitraries.integers().between(CpuidModel.MAX_EXTENDED + 1, -1),
            Arbitraries.of(CpuidModel.MAX_BASIC + 1, CpuidModel.MAX_EXTENDED + 1, -1, 0x4000_0100));
    }

    @Property(tries = 50)
    void everyAnswerOverwritesTheWholeOutput(@ForAll int leaf) {
        int[] o = {-1, -1, -1, -1};
        new CpuidModel(1).query(leaf, 0, 0, o);
        int[] again = {7, 7, 7, 7};
        new CpuidModel(1).query(leaf, 0, 0, again);
        assertArrayEquals(o, again, "no stale register survives a query");
    }
}
