package org.haxm.api;

import static org.haxm.api.TestGuest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** HAXM's limits (8 VMs, 16 VCPUs, 31 MSRs per call) and clear exceptions for bad input. */
class LimitsAndBadInputTest {

    @Test
    void eightVmsThenTheLimitAndClosingOneFreesItsSlot() {
        try (HaxSystem sys = HaxSystem.open()) {
            List<HaxVm> vms = new ArrayList<>();
            for (int i = 0; i < HaxSystem.MAX_VMS; i++) vms.add(sys.createVm());
            assertEquals(8, sys.vmCount());
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), vms.stream().map(HaxVm::id).toList());
            HaxLimitException e = assertThrows(HaxLimitException.class, sys::createVm);
            assertTrue(e.getMessage().contains("8"), e.getMessage());

            vms.get(3).close();
            assertEquals(7, sys.vmCount());
            HaxVm again = sys.createVm();
            assertEquals(3, again.id(), "the freed slot is reused");
            assertThrows(HaxLimitException.class, sys::createVm);
        }
    }

    @Test
    void aClosedSystemCreatesNoVmsAndClosesItsVms() {
        HaxSystem sys = HaxSystem.open();
        HaxVm vm = sys.createVm();
        sys.close();
        assertThrows(IllegalStateException.class, sys::createVm);
        assertThrows(IllegalStateException.class, () -> vm.createVcpu(0));
        assertEquals(0, sys.vmCount());
    }

    @Test
    void vcpuIdsAre0To15AndOthersAreRejectedNamingTheArgument() {
        try (HaxSystem sys = HaxSystem.open()) {
            HaxVm vm = sys.createVm();
            for (int id : new int[] {16, -1, Integer.MIN_VALUE, 1000}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vm.createVcpu(id));
                assertTrue(e.getMessage().contains("vcpuId") && e.getMessage().contains("0..15"), e.getMessage());
            }
            assertEquals(0, vm.createVcpu(0).id());
            assertEquals(15, vm.createVcpu(15).id());
        }
    }

    @Test
    void sixteenVcpusThenTheLimitAndDuplicatesAndReuseOfClosedIds() {
        try (HaxSystem sys = HaxSystem.open()) {
            HaxVm vm = sys.createVm();
            HaxVcpu[] vcpus = new HaxVcpu[16];
            for (int i = 15; i >= 0; i--) vcpus[i] = vm.createVcpu(i);
            HaxLimitException limit = assertThrows(HaxLimitException.class, () -> vm.createVcpu(3));
            assertTrue(limit.getMessage().contains("16"), limit.getMessage());

            vcpus[5].close();
            IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> vm.createVcpu(6));
            assertTrue(dup.getMessage().contains("6") && dup.getMessage().contains("already"), dup.getMessage());
            HaxVcpu again = vm.createVcpu(5);
            assertEquals(5, again.id(), "closing a VCPU frees its id");
            assertThrows(IllegalStateException.class, vcpus[5]::run, "the old handle stays closed");
        }
    }

    @Test
    void everyCallOnAClosedVcpuIsIllegalState() {
        try (HaxSystem sys = HaxSystem.open()) {
            HaxVm vm = sys.createVm();
            HaxVcpu v = vm.createVcpu(0);
            HaxVcpuState s = v.getRegs();
            v.close();
            v.close();   // idempotent
            assertAllIllegalState(vcpuCalls(v, s));
            vm.createVcpu(1).run();  // the VM is still usable
        }
    }

    @Test
    void everyCallOnAClosedVmAndOnItsVcpusIsIllegalState() {
        try (HaxSystem sys = HaxSystem.open()) {
            HaxVm vm = sys.createVm();
            HaxRamBlock block = vm.allocateRamBlock(0x1000);
            HaxVcpu v = vm.createVcpu(0);
            HaxVcpuState s = v.getRegs();
            vm.close();
            assertAllIllegalState(List.of(
                () -> vm.createVcpu(1),
                () -> vm.addRamBlock(ByteBuffer.allocate(0x1000)),
                () -> vm.allocateRamBlock(0x1000),
                () -> vm.setRam(0, 0x1000, block.va(), 0),
                () -> vm.mapRam(0, block, 0, 0x1000, false),
                () -> vm.unmapRam(0, 0x1000),
                () -> vm.writeMemory(0, new byte[1], 0, 1),
                () -> vm.readMemory(0, new byte[1], 0, 1),
                () -> vm.describeEpt(0)));
            assertAllIllegalState(vcpuCalls(v, s));
        }
    }

    private static List<Executable> vcpuCalls(HaxVcpu v, HaxVcpuState s) {
        return List.of(v::run, v::getRegs, () -> v.setRegs(s), () -> v.getMsr(0x277), () -> v.setMsr(0x277, 0),
            () -> v.getMsrs(new int[] {0x277}, new long[1]), () -> v.setMsrs(new int[] {0x277}, new long[1]),
            () -> v.interrupt(0x20), () -> v.setInstructionBudget(10), v::dumpVmcs, () -> v.setExitListener(e -> { }));
    }

    private static void assertAllIllegalState(List<Executable> calls) {
        for (int i = 0; i < calls.size(); i++) {
            IllegalStateException e = assertThrows(IllegalStateException.class, calls.get(i), "call #" + i);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    /** Real mode: hlt */
    static final byte[] HLT = bytes(0xF4);

    @Test
    void badSetRamArgumentsAreRejectedClearlyAndTheVmStillRuns() {
        try (TestGuest g = TestGuest.real(0x10_0000, HLT)) {
            HaxRamBlock block = g.vm.allocateRamBlock(0x4000);
            long va = block.va();
            expectIae(() -> g.vm.setRam(0x20_0800, 0x1000, va, 0), "gpa");                 // unaligned gpa
            expectIae(() -> g.vm.setRam(0x20_0000, 0x800, va, 0), "size");                 // unaligned size
            expectIae(() -> g.vm.setRam(0x20_0000, 0, va, 0), "size");                     // empty
            expectIae(() -> g.vm.setRam(1L << 39, 0x1000, va, 0), "gpa");                  // beyond MAXPHYADDR
            expectIae(() -> g.vm.setRam((1L << 39) - 0x1000, 0x2000, va, 0), "size");     // runs past MAXPHYADDR
            expectIae(() -> g.vm.setRam(-0x1000, 0x1000, va, 0), "gpa");                   // negative
            expectIae(() -> g.vm.setRam(0x20_0000, 0x1000, va + 0x800, 0), "va");          // unaligned va
            expectIae(() -> g.vm.setRam(0x20_0000, 0x5000, va, 0), "va");                  // va range leaves the block
            expectIae(() -> g.vm.setRam(0x20_0000, 0x2000, va + 0x3000, 0), "va");         // overlaps the block's end
            expectIae(() -> g.vm.setRam(0x20_0000, 0x1000, 0x1234_5000L, 0), "va");        // no such block
            expectIae(() -> g.vm.setRam(0x20_0000, 0x1000, va, 0x02), "flags");            // unknown flag
            expectIae(() -> g.vm.setRam(0x20_0000, 0x1000, va, HaxRamFlags.INVALID), "va"); // unmap needs va 0
            expectIae(() -> g.vm.addRamBlock(ByteBuffer.allocate(100)), "4096");
            expectIae(() -> g.vm.mapRam(0, null, 0, 0x1000, false), "block");

            assertEquals(HaxExitStatus.HLT, g.run(), "the VM is unchanged and still runs");
            assertEquals(TestGuest.CODE + 1, g.rip());
        }
    }

    @Test
    void unmappingRamTurnsItIntoMmio() {
        // mov ax,[0x4000]; hlt
        try (TestGuest g = TestGuest.real(0x10_0000, bytes(0xA1, 0x00, 0x40, 0xF4))) {
            g.vm.unmapRam(0x4000, 0x1000);
            assertEquals(HaxExitStatus.FAST_MMIO, g.run());
            assertEquals(0x4000, g.tunnel.mmioGpa());
        }
    }

    @Test
    void msrBatchesAreLimitedTo31Entries() {
        try (TestGuest g = TestGuest.real(HLT)) {
            int[] idx = new int[32];
            java.util.Arrays.fill(idx, 0x277);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.vcpu.getMsrs(idx, new long[32]));
            assertTrue(e.getMessage().contains("31"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> g.vcpu.setMsrs(idx, new long[32]));
            assertThrows(IllegalArgumentException.class, () -> g.vcpu.getMsrs(new int[2], new long[3]));
            assertThrows(IllegalArgumentException.class, () -> g.vcpu.getMsrs(null, new long[0]));

            int[] ok = java.util.Arrays.copyOf(idx, 31);
            long[] values = new long[31];
            assertEquals(31, g.vcpu.getMsrs(ok, values));
            assertEquals(0x0007_0406_0007_0406L, values[30]);
        }
    }

    @Test
    void msrBatchesStopAtTheFirstRefusedMsr() {
        try (TestGuest g = TestGuest.real(HLT)) {
            int[] idx = {0x174, 0x12345, 0x175};
            assertEquals(1, g.vcpu.setMsrs(idx, new long[] {0x08, 1, 0x9000}), "done = 1");
            assertEquals(0x08, g.vcpu.getMsr(0x174));
            assertEquals(0, g.vcpu.getMsr(0x175), "entries after the refused one are not written");
            long[] out = new long[3];
            assertEquals(1, g.vcpu.getMsrs(idx, out));
            assertEquals(0x08, out[0]);
            assertEquals(1, g.vcpu.setMsrs(new int[] {0x277, 0x277}, new long[] {0x0606_0606_0606_0606L, 0x0202L}),
                "PAT type 2 is reserved: the second entry is refused");
            assertEquals(0x0606_0606_0606_0606L, g.vcpu.getMsr(0x277));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.vcpu.getMsr(0x12345));
            assertTrue(e.getMessage().contains("0x12345"), e.getMessage());
        }
    }

    private static void expectIae(Executable call, String mentions) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(mentions), "message should name '" + mentions + "': " + e.getMessage());
    }
}
