package org.haxm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.haxm.core.cpuid.CpuidFeature;
import org.haxm.core.cpuid.CpuidModel;
import org.junit.jupiter.api.Test;

/** SET_CPUID / GET_CPUID through the public API, and what a guest's CPUID then returns. */
class CpuidApiTest {
    /** Real mode: mov eax,7; xor ecx,ecx; cpuid; hlt */
    static final byte[] CPUID_7 = TestGuest.bytes(0x66, 0xB8, 7, 0, 0, 0, 0x66, 0x31, 0xC9, 0x0F, 0xA2, 0xF4);
    /** Real mode: mov eax,1; cpuid; hlt */
    static final byte[] CPUID_1 = TestGuest.bytes(0x66, 0xB8, 1, 0, 0, 0, 0x0F, 0xA2, 0xF4);
    private static final int RBX = 3, RCX = 1, RDX = 2;

    private static HaxCpuidEntry find(List<HaxCpuidEntry> table, int leaf, int sub) {
        return table.stream().filter(e -> e.function() == leaf && e.index() == sub).findFirst().orElseThrow();
    }

    @Test
    void capabilityAnnouncesCpuid() {
        try (HaxSystem s = HaxSystem.open()) {
            assertTrue((s.capability().winfo() & HaxCapabilityInfo.CAP_CPUID) != 0);
        }
    }

    @Test
    void aGuestSeesTheNarrowedLeaf7() {
        try (TestGuest g = TestGuest.real(CPUID_7)) {
            int bmi1 = CpuidFeature.BMI1.mask(), adx = CpuidFeature.ADX.mask();
            HaxCpuidEntry l7 = find(g.vcpu.getCpuid(), 7, 0);
            assertTrue((l7.ebx() & bmi1) != 0 && (l7.ebx() & adx) != 0, "offered before narrowing");
            g.vcpu.setCpuid(List.of(new HaxCpuidEntry(7, 0, 0, 0, l7.ebx() & ~bmi1, l7.ecx(), l7.edx())));
            assertEquals(HaxExitStatus.HLT, g.run());
            long ebx = g.gpr(RBX);
            assertEquals(0, ebx & bmi1, "BMI1 hidden from the guest");
            assertEquals(adx, ebx & adx, "ADX still reported");
            assertEquals(l7.ebx() & ~bmi1, (int) ebx, "the rest of EBX unchanged");
            assertEquals(l7.ebx() & ~bmi1, find(g.vcpu.getCpuid(), 7, 0).ebx(), "GET_CPUID shows the narrowing");
        }
    }

    @Test
    void aBitTheEngineLacksIsIgnoredNotAdded() {
        try (TestGuest g = TestGuest.real(CPUID_1)) {
            // Leaf 1 as a host might pass it: every flag set, including SSE/AVX/XSAVE the engine lacks.
            g.vcpu.setCpuid(List.of(new HaxCpuidEntry(1, 0, 0, 0x000906EA, -1, -1, -1)));
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0x000906EA, (int) g.gpr(0), "signature as given");
            HaxCpuidEntry full = find(new CpuidModelView().table(), 1, 0);
            assertEquals(full.ecx(), (int) g.gpr(RCX), "ECX = the offer, no more");
            assertEquals(full.edx(), (int) g.gpr(RDX), "EDX = the offer, no more");
            assertEquals(0, g.gpr(RCX) & (1 << 26), "XSAVE not reported");
        }
    }

    /** The unnarrowed table of a one-VCPU VM, via the API. */
    private static final class CpuidModelView {
        List<HaxCpuidEntry> table() {
            try (HaxSystem s = HaxSystem.open(); HaxVm vm = s.createVm()) {
                return vm.createVcpu(0).getCpuid();
            }
        }
    }

    @Test
    void eachVcpuSeesItsOwnApicIdInTheVmWideTable() {
        try (HaxSystem s = HaxSystem.open()) {
            TestGuest g = TestGuest.real(s, 1 << 20, CPUID_1);
            HaxVcpu second = g.vm.createVcpu(1);
            second.setRegs(g.vcpu.getRegs());
            g.vcpu.setCpuid(List.of(new HaxCpuidEntry(1, 0, 0, CpuidModel.SIGNATURE, 0, 0, 0)));   // through VCPU 0
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(HaxExitStatus.HLT, second.run());
            assertEquals(1, second.getRegs().regs[RBX] >>> 24, "VCPU 1 has APIC id 1");
            assertEquals(0, g.gpr(RBX) >>> 24, "VCPU 0 has APIC id 0");
            assertEquals(2, (g.gpr(RBX) >>> 16) & 0xFF, "two addressable ids");
            long features = CpuidModel.HYPERVISOR_BIT & 0xFFFF_FFFFL;
            assertEquals(features, second.getRegs().regs[RCX], "the narrowing set through VCPU 0 applies to VCPU 1");
            assertEquals(1, find(second.getCpuid(), 0xB, 0).edx(), "x2APIC id of VCPU 1");
        }
    }

    @Test
    void getThenSetRoundTripsThroughTheRawLayout() {
        try (TestGuest g = TestGuest.real(CPUID_7)) {
            List<HaxCpuidEntry> before = g.vcpu.getCpuid();
            assertTrue(before.size() <= HaxCpuid.MAX_ENTRIES);
            g.vcpu.setCpuid(HaxCpuid.encode(before));
            assertEquals(before, g.vcpu.getCpuid(), "SET(GET) changes nothing");

            List<HaxCpuidEntry> narrowed = new ArrayList<>(before);
            int i = narrowed.indexOf(find(before, 0x8000_0001, 0));
            HaxCpuidEntry e = narrowed.get(i);
            narrowed.set(i, new HaxCpuidEntry(e.function(), 0, 0, e.eax(), e.ebx(), e.ecx() & ~CpuidFeature.LZCNT.mask(), e.edx()));
            g.vcpu.setCpuid(HaxCpuid.encode(narrowed));
            assertEquals(narrowed, g.vcpu.getCpuid(), "only LZCNT changed");
            assertNotEquals(before, g.vcpu.getCpuid());
        }
    }

    @Test
    void entryCountsOutsideOneTo64AreRefusedNamingTheArgumentAndLimit() {
        try (TestGuest g = TestGuest.real(CPUID_7)) {
            for (int n : new int[] {0, 65}) {
                List<HaxCpuidEntry> list = new ArrayList<>();
                for (int i = 0; i < n; i++) list.add(HaxCpuidEntry.of(0x1000 + i, 0, 0, 0, 0));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.vcpu.setCpuid(list));
                assertTrue(e.getMessage().contains("entries") && e.getMessage().contains("1..64"), e.getMessage());
            }
            List<HaxCpuidEntry> withNull = new ArrayList<>();
            withNull.add(HaxCpuidEntry.of(1, 0, 0, 0, 0));
            withNull.add(null);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.vcpu.setCpuid(withNull));
            assertTrue(e.getMessage().contains("entries[1]"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> g.vcpu.setCpuid((List<HaxCpuidEntry>) null));
            assertEquals(HaxExitStatus.HLT, g.run(), "refused calls changed nothing");
            assertTrue((g.gpr(RBX) & CpuidFeature.BMI1.mask()) != 0);
        }
    }

    @Test
    void setCpuidIsRefusedWhileAVcpuRunsAndAllowedAfterwards() {
        try (TestGuest g = TestGuest.real(CPUID_7)) {
            AtomicReference<RuntimeException> during = new AtomicReference<>();
            List<HaxCpuidEntry> hideAll = List.of(new HaxCpuidEntry(7, 0, 0, 0, 0, 0, 0));
            g.vcpu.setExitListener(ev -> {
                if (ev.exitReasonName().equals("CPUID")) {
                    try { g.vcpu.setCpuid(hideAll); } catch (RuntimeException x) { during.set(x); }
                }
            });
            assertEquals(HaxExitStatus.HLT, g.run());
            assertTrue(during.get() instanceof IllegalStateException, String.valueOf(during.get()));
            assertTrue(during.get().getMessage().contains("running"), during.get().getMessage());
            assertNull(g.vcpu.stopReason());
            assertTrue((g.gpr(RBX) & CpuidFeature.BMI1.mask()) != 0, "the refused call had no effect");
            g.vcpu.setCpuid(hideAll);
            assertEquals(0, find(g.vcpu.getCpuid(), 7, 0).ebx(), "accepted once the VCPU stopped running");
        }
    }
}
