package org.haxm.core.cpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.haxm.core.VirtualMachine;
import org.junit.jupiter.api.Test;

/** SET_CPUID narrowing: the caller can hide offered features, never add one (haxm-api.md §6.7). */
class NarrowingProperties {

    private static int[] q(CpuidModel m, int leaf, int sub) {
        int[] o = new int[4];
        m.query(leaf, sub, 0, o);
        return o;
    }

    /** The entries that show exactly {@code shown} (plus any {@code noise} bits) in the feature leaves. */
    private static List<CpuidEntry> featureEntries(Set<CpuidFeature> shown, int noise) {
        int[][] regs = new int[3][4];
        int[] leaves = {1, 7, 0x8000_0001};
        for (int i = 0; i < 3; i++) for (int r = 0; r < 4; r++) regs[i][r] = noise;
        for (CpuidFeature f : CpuidFeature.values()) {
            int i = f.leaf() == 1 ? 0 : f.leaf() == 7 ? 1 : 2;
            int r = f.register().index();
            regs[i][r] = shown.contains(f) ? regs[i][r] | f.mask() : regs[i][r] & ~f.mask();
        }
        List<CpuidEntry> list = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            list.add(new CpuidEntry(leaves[i], 0, 0, i == 0 ? CpuidModel.SIGNATURE : 0, regs[i][1], regs[i][2], regs[i][3]));
        }
        return list;
    }

    @Property(tries = 300)
    void theModelReportsExactlyTheOfferedFeaturesTheCallerKept(@ForAll("featureSets") Set<CpuidFeature> shown, @ForAll int noise) {
        CpuidModel m = new CpuidModel(2).narrowedBy(featureEntries(shown, noise));
        for (CpuidFeature f : CpuidFeature.values()) {
            int[] r = q(m, f.leaf(), 0);
            boolean bit = (r[f.register().index()] & f.mask()) != 0;
            assertEquals(shown.contains(f) && CpuidModel.offered().contains(f), bit, f.name());
            assertEquals(bit, m.reports(f), f.name());
        }
        // Noise bits (features the engine lacks) are ignored, not added: the registers hold only feature bits.
        assertEquals(CpuidModel.HYPERVISOR_BIT, q(m, 1, 0)[2] & ~CpuidFeature.maskOf(CpuidModel.offered(), 1, CpuidRegister.ECX),
            "leaf 1 ECX: nothing but offered features and the forced hypervisor bit");
        assertEquals(CpuidModel.HTT_BIT, q(m, 1, 0)[3] & ~CpuidFeature.maskOf(CpuidModel.offered(), 1, CpuidRegister.EDX),
            "leaf 1 EDX: nothing but offered features and HTT from the topology");
        for (int leaf : new int[] {7, 0x8000_0001}) {
            int[] r = q(m, leaf, 0);
            for (CpuidRegister reg : CpuidRegister.values()) {
                if (leaf == 7 && reg == CpuidRegister.EAX) { assertEquals(0, r[0], "leaf 7 has one sub-leaf"); continue; }
                assertEquals(0, r[reg.index()] & ~CpuidFeature.maskOf(CpuidModel.offered(), leaf, reg), "leaf 0x" + Integer.toHexString(leaf) + " " + reg);
            }
        }
    }

    @Provide
    Arbitrary<Set<CpuidFeature>> featureSets() {
        return Arbitraries.of(CpuidFeature.class).set();
    }

    /** GET then SET changes nothing, for any narrowing: the table round-trips. */
    @Property(tries = 100)
    void setOfGetIsTheIdentity(@ForAll("featureSets") Set<CpuidFeature> shown) {
        CpuidModel m = new CpuidModel(4).narrowedBy(featureEntries(shown, 0));
        for (int apic = 0; apic < 4; apic++) {
            List<CpuidEntry> table = m.entries(apic);
            assertTrue(table.size() <= CpuidModel.MAX_ENTRIES);
            assertEquals(table, m.narrowedBy(table).entries(apic));
        }
    }

    @Test
    void aLaterCallCanShowAHiddenFeatureAgainAndLeavesNotListedKeepTheirChoice() {
        CpuidModel m = new CpuidModel(1).narrowedBy(List.of(new CpuidEntry(7, 0, 0, 0, 0, 0, 0),
            new CpuidEntry(0x8000_0001, 0, 0, 0, 0, 0, 0)));
        assertFalse(m.reports(CpuidFeature.BMI1));
        assertFalse(m.reports(CpuidFeature.LM));
        m = m.narrowedBy(List.of(new CpuidEntry(7, 0, 0, 0, -1, -1, -1)));
        assertTrue(m.reports(CpuidFeature.BMI1), "leaf 7 shown again");
        assertFalse(m.reports(CpuidFeature.LM), "leaf 0x80000001 keeps its narrowing");
    }

    @Test
    void maximumLeavesCanOnlyBeLowered() {
        CpuidModel m = new CpuidModel(1).narrowedBy(List.of(new CpuidEntry(0, 0, 0, 0x7FFF_FFFF, 0, 0, 0),
            new CpuidEntry(0x8000_0000, 0, 0, -1, 0, 0, 0)));
        assertEquals(CpuidModel.MAX_BASIC, q(m, 0, 0)[0], "raising is clamped");
        assertEquals(CpuidModel.MAX_EXTENDED, q(m, 0x8000_0000, 0)[0]);
        m = m.narrowedBy(List.of(new CpuidEntry(0, 0, 0, 1, 0, 0, 0), new CpuidEntry(0x8000_0000, 0, 0, 0x8000_0001, 0, 0, 0)));
        assertEquals(1, q(m, 0, 0)[0]);
        assertEquals("GenuineIntel", vendor(q(m, 0, 0)), "the vendor is not the caller's");
        assertEquals(0x8000_0001, q(m, 0x8000_0000, 0)[0]);
        assertEquals(java.util.Arrays.toString(q(m, 1, 0)), java.util.Arrays.toString(q(m, 7, 0)), "leaf 7 is now above the maximum");
        assertEquals(java.util.Arrays.toString(q(m, 1, 0)), java.util.Arrays.toString(q(m, 0x8000_0008, 0)));
        assertEquals(2 + 1 + 2, m.entries(0).size(), "leaves 0, 1, 0x40000000, 0x80000000-1");
        m = m.narrowedBy(List.of(new CpuidEntry(0, 0, 0, 0, 0, 0, 0)));
        assertEquals(1, q(m, 0, 0)[0], "never below leaf 1");
    }

    @Test
    void signatureAndBrandAreTheCallersButTopologyAddressSizesAndTheHypervisorLeafAreNot() {
        CpuidModel m = new CpuidModel(2).narrowedBy(List.of(
            new CpuidEntry(1, 0, 0, 0x000306A9, 0xFFFF_FFFF, 0, 0),
            new CpuidEntry(0x8000_0002, 0, 0, 0x64636261, 0x68676665, 0x6C6B6A69, 0x706F6E6D),
            new CpuidEntry(0xB, 1, 0, 9, 9, 9, 9),
            new CpuidEntry(4, 0, 0, 0, 0, 0, 0),
            new CpuidEntry(0xD, 0, 0, 7, 7, 7, 7),
            new CpuidEntry(0x8000_0008, 0, 0, 0x3030, 0, 0, 0),
            new CpuidEntry(0x4000_0000, 0, 0, 0x4000_0001, 1, 2, 3),
            new CpuidEntry(0x14, 0, 0, 1, 2, 3, 4)));
        int[] l1 = q(m, 1, 0);
        assertEquals(0x000306A9, l1[0]);
        assertEquals(new CpuidModel(2).entries(0).get(1).ebx(), l1[1], "EBX is the topology's");
        assertTrue(l1[2] < 0, "hypervisor bit forced on");
        assertEquals(0, l1[3] & ~CpuidModel.HTT_BIT, "EDX features cleared, HTT from the topology stays");
        assertTrue((l1[3] & CpuidModel.HTT_BIT) != 0);
        assertEquals(0x64636261, q(m, 0x8000_0002, 0)[0]);
        CpuidModel plain = new CpuidModel(2);
        for (int[] key : new int[][] {{0xB, 1}, {4, 0}, {0xD, 0}, {0x8000_0008, 0}, {0x4000_0000, 0}, {0x14, 0}}) {
            assertEquals(java.util.Arrays.toString(q(plain, key[0], key[1])), java.util.Arrays.toString(q(m, key[0], key[1])),
                "leaf 0x" + Integer.toHexString(key[0]) + " ignored");
        }
    }

    @Test
    void twoEntriesForOneLeafAreRefusedNamingTheEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CpuidModel(1).narrowedBy(
            List.of(new CpuidEntry(1, 0, 0, 0, 0, 0, 0), new CpuidEntry(7, 0, 0, 0, 0, 0, 0), new CpuidEntry(1, 3, 0, 0, 0, 0, 0))));
        assertTrue(e.getMessage().contains("entries[2]") && e.getMessage().contains("0x1"), e.getMessage());
        // Leaf 7 sub-leaf 1 is not a second leaf-7/0 entry: it is ignored.
        new CpuidModel(1).narrowedBy(List.of(new CpuidEntry(7, 0, 0, 0, 0, 0, 0), new CpuidEntry(7, 1, 0, 0, 0, 0, 0)));
    }

    @Test
    void theVmChecksHaxmsEntryLimits() {
        try (VirtualMachine vm = new VirtualMachine(0, () -> { })) {
            vm.createVcpu(0);
            for (int n : new int[] {0, CpuidModel.MAX_ENTRIES + 1}) {
                List<CpuidEntry> list = new ArrayList<>();
                for (int i = 0; i < n; i++) list.add(new CpuidEntry(0x100 + i, 0, 0, 0, 0, 0, 0));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vm.setCpuid(list));
                assertTrue(e.getMessage().contains("entries") && e.getMessage().contains("1..64"), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> vm.setCpuid(null));
            List<CpuidEntry> max = new ArrayList<>();
            for (int i = 0; i < CpuidModel.MAX_ENTRIES - 1; i++) max.add(new CpuidEntry(0x100 + i, 0, 0, 0, 0, 0, 0));
            max.add(new CpuidEntry(7, 0, 0, 0, 0, 0, 0));
            vm.setCpuid(max);
            assertFalse(vm.cpuidModel().reports(CpuidFeature.ADX));
            vm.createVcpu(1);
            assertFalse(vm.cpuidModel().reports(CpuidFeature.ADX), "a new VCPU keeps the VM's narrowing");
        }
    }

    private static String vendor(int[] r) {
        StringBuilder b = new StringBuilder();
        for (int w : new int[] {r[1], r[3], r[2]}) for (int i = 0; i < 4; i++) b.append((char) ((w >>> (8 * i)) & 0xFF));
        return b.toString();
    }

    @Test
    void hiddenSetIsACopy() {
        CpuidNarrowing n = CpuidNarrowing.NONE.apply(List.of(new CpuidEntry(0x8000_0001, 0, 0, 0, 0, 0, 0)));
        Set<CpuidFeature> h = n.hidden();
        assertTrue(h.containsAll(EnumSet.of(CpuidFeature.LM, CpuidFeature.NX, CpuidFeature.LZCNT)));
        h.clear();
        assertTrue(n.hides(CpuidFeature.LM));
    }
}
