package org.haxm.core.cpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The feature table itself: honest (every listed feature is offered), unambiguous, and silent where the engine is. */
class FeatureTableTest {
    private static int[] q(CpuidModel m, int leaf, int sub) {
        int[] o = new int[4];
        m.query(leaf, sub, 0, o);
        return o;
    }

    @Test
    void everyListedFeatureIsExecutableSoTheWholeListIsOffered() {
        assertEquals(EnumSet.allOf(CpuidFeature.class), CpuidModel.offered(),
            "a CpuidFeature whose instructions the executor lacks must be removed from the list");
    }

    @Test
    void noTwoFeaturesShareABit() {
        Set<String> seen = new HashSet<>();
        for (CpuidFeature f : CpuidFeature.values()) {
            assertTrue(seen.add(f.leaf() + "/" + f.register() + "/" + f.bit()), f.name());
        }
    }

    @Test
    void theFullModelReportsEveryOfferedFeatureAndNothingElse() {
        CpuidModel m = new CpuidModel(1);
        for (int leaf : new int[] {1, 7, 0x8000_0001}) {
            int[] r = q(m, leaf, 0);
            for (CpuidRegister reg : CpuidRegister.values()) {
                if (leaf == 1 && (reg == CpuidRegister.EAX || reg == CpuidRegister.EBX)) continue;
                int expected = CpuidFeature.maskOf(CpuidModel.offered(), leaf, reg) | (leaf == 1 && reg == CpuidRegister.ECX ? CpuidModel.HYPERVISOR_BIT : 0);
                assertEquals(Integer.toHexString(expected), Integer.toHexString(r[reg.index()]), "leaf 0x" + Integer.toHexString(leaf) + " " + reg);
            }
        }
    }

    /** No x87/SSE/XSAVE execution: FPU, FXSR, SSE*, XSAVE, OSXSAVE are 0 and leaf 0xD has no state components. */
    @Test
    void withoutXsaveLeafDIsEmptyAndTheFpuAndVectorFlagsAreClear() {
        CpuidModel m = new CpuidModel(1);
        int[] l1 = q(m, 1, 0);
        int fpuSse = 1 /* FPU */ | (1 << 23) /* MMX */ | (1 << 24) /* FXSR */ | (1 << 25) /* SSE */ | (1 << 26) /* SSE2 */;
        assertEquals(0, l1[3] & fpuSse);
        int vector = 1 /* SSE3 */ | (1 << 9) /* SSSE3 */ | (1 << 19) | (1 << 20) /* SSE4.1/4.2 */ | (1 << 26) /* XSAVE */
            | (1 << 27) /* OSXSAVE */ | (1 << 28) /* AVX */;
        assertEquals(0, l1[2] & vector);
        for (int sub = 0; sub < 64; sub++) assertEquals("[0, 0, 0, 0]", java.util.Arrays.toString(q(m, 0xD, sub)), "leaf 0xD." + sub);
        assertEquals(0, q(m, 7, 0)[1] & (1 << 5), "no AVX2");
    }

    @Test
    void l2InLeaf80000006AgreesWithLeaf4() {
        CpuidModel m = new CpuidModel(1);
        int[] l2 = q(m, 4, 2);
        int bytes = (((l2[1] >>> 22) + 1) * (((l2[1] >>> 12) & 0x3FF) + 1) * ((l2[1] & 0xFFF) + 1) * (l2[2] + 1));
        int ecx = q(m, 0x8000_0006, 0)[2];
        assertEquals(2, (l2[0] >>> 5) & 7, "sub-leaf 2 is the L2");
        assertEquals(bytes / 1024, ecx >>> 16, "size in KiB");
        assertEquals((l2[1] & 0xFFF) + 1, ecx & 0xFF, "line size");
        assertEquals(8, (ecx >>> 12) & 0xF, "16-way code");
        assertEquals(0x0000_FF01, q(m, 2, 0)[0], "leaf 2 points at leaf 4");
    }
}
