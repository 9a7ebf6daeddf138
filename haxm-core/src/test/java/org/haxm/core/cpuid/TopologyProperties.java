package org.haxm.core.cpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.haxm.core.VirtualCpu;
import org.haxm.core.VirtualMachine;

/**
 * The topology leaves 1, 4 and 0xB describe the same package for every VCPU count
 * (SDM Vol. 3A §9.9; Vol. 2A CPUID leaves 01H, 04H, 0BH).
 */
class TopologyProperties {

    private static int[] q(CpuidModel m, int leaf, int sub, int apicId) {
        int[] o = new int[4];
        m.query(leaf, sub, apicId, o);
        return o;
    }

    /** Checks one VCPU's view of a package of {@code n} VCPUs whose APIC ids are below {@code span}. */
    private static void checkVcpu(CpuidModel m, int n, int span, int apicId) {
        int[] l1 = q(m, 1, 0, apicId);
        int addressable = (l1[1] >>> 16) & 0xFF;
        assertEquals(apicId, l1[1] >>> 24, "leaf 1 EBX[31:24] initial APIC id");
        assertEquals(1, Integer.bitCount(addressable), "addressable ids are a power of two: " + addressable);
        assertTrue(addressable >= span && addressable < 2 * span, "smallest power of two covering ids < " + span + ": " + addressable);
        assertEquals(addressable > 1, (l1[3] & CpuidModel.HTT_BIT) != 0, "HTT iff more than one addressable id");

        for (int sub = 0; sub < 4; sub++) {
            int[] c = q(m, 4, sub, apicId);
            assertTrue((c[0] & 0x1F) != 0, "cache " + sub + " present");
            assertEquals(addressable, (c[0] >>> 26) + 1, "leaf 4 EAX[31:26]+1 = cores per package = leaf 1 EBX[23:16] (1 thread/core)");
            int sharing = ((c[0] >>> 14) & 0xFFF) + 1;
            assertEquals(((c[0] >>> 5) & 7) == 3 ? addressable : 1, sharing, "L1/L2 per core, L3 per package");
        }
        assertEquals(0, q(m, 4, 4, apicId)[0] & 0x1F, "sub-leaf 4: no more caches");

        int[] smt = q(m, 0xB, 0, apicId), core = q(m, 0xB, 1, apicId), none = q(m, 0xB, 2, apicId);
        assertEquals(0, smt[0] & 0x1F, "SMT level: no thread bits");
        assertEquals(1, smt[1] & 0xFFFF, "one thread per core");
        assertEquals(0x100, smt[2] & 0xFFFF, "level 0, type SMT");
        assertEquals(Integer.numberOfTrailingZeros(addressable), core[0] & 0x1F, "core level shift = log2(leaf 1 EBX[23:16])");
        assertEquals(n, core[1] & 0xFFFF, "logical processors in the package");
        assertEquals(0x201, core[2] & 0xFFFF, "level 1, type Core");
        assertEquals(0, apicId >>> (core[0] & 0x1F), "every VCPU is in package 0");
        assertEquals(2, none[2] & 0xFFFF, "level 2 invalid: ECX[7:0] = 2, type 0");
        assertEquals(0, none[1], "invalid level: EBX = 0");
        for (int[] r : List.of(smt, core, none)) assertEquals(apicId, r[3], "EDX = x2APIC id at every level");
    }

    @Property(tries = 200)
    void everyVcpuOfEveryCountSeesOneConsistentPackage(@ForAll @IntRange(min = 1, max = 16) int n) {
        CpuidModel m = new CpuidModel(n);
        Set<Integer> x2apicIds = new HashSet<>();
        for (int id = 0; id < n; id++) {
            checkVcpu(m, n, n, id);
            assertTrue(x2apicIds.add(q(m, 0xB, 0, id)[3]), "x2APIC id unique");
        }
        assertEquals(n, x2apicIds.size());
    }

    /** Through the VM: VCPUs with caller-chosen (possibly sparse) ids; the model follows creation and closing. */
    @Property(tries = 60)
    void theVmModelFollowsItsVcpus(@ForAll("idSets") Set<Integer> ids) {
        try (VirtualMachine vm = new VirtualMachine(0, () -> { })) {
            Map<Integer, VirtualCpu> created = new TreeMap<>();
            for (int id : ids) created.put(id, vm.createVcpu(id));
            int span = ids.stream().mapToInt(i -> i + 1).max().orElseThrow();
            for (int id : ids) checkVcpu(vm.cpuidModel(), ids.size(), span, id);
            if (ids.size() > 1) {
                int top = span - 1;
                created.get(top).close();           // closing the highest VCPU shrinks the package
                int newSpan = ids.stream().filter(i -> i != top).mapToInt(i -> i + 1).max().orElseThrow();
                for (int id : ids) if (id != top) checkVcpu(vm.cpuidModel(), ids.size() - 1, newSpan, id);
            }
        }
    }

    @Provide
    Arbitrary<Set<Integer>> idSets() {
        return Arbitraries.integers().between(0, 15).set().ofMinSize(1).ofMaxSize(16);
    }
}
