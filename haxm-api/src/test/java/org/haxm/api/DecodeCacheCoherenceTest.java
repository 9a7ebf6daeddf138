package org.haxm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The engine decodes guest code once and keeps it; these tests change code from outside the
 * guest between runs and check that the VCPU executes the new bytes: a host write through
 * {@link HaxVm#writeMemory}, a host write straight into RAM the caller shares with the VM, and a
 * change of which RAM backs the code's guest-physical page. Each guest first runs the old code
 * twice, so it is decoded and cached before it changes.
 */
class DecodeCacheCoherenceTest {
    private static final long CODE = 0x1000;
    /** Real mode: mov ax, 1 / hlt. */
    private static final byte[] MOV_AX_1 = {(byte) 0xB8, 1, 0, (byte) 0xF4};

    /** Points the VCPU at CODE in real mode and runs to HLT; returns AX. */
    private static long runToHlt(HaxVcpu vcpu) {
        HaxVcpuState s = vcpu.getRegs();
        s.cs = new HaxSegment(0, 0, 0xFFFF, 0x9B);
        s.rip = CODE;
        s.regs[0] = 0;
        s.regs[4] = 0x7000;
        vcpu.setRegs(s);
        assertEquals(HaxExitStatus.HLT, vcpu.run());
        return vcpu.getRegs().regs[0] & 0xFFFF;
    }

    @Test
    void hostWriteThroughTheApiIsExecuted() {
        try (HaxVm vm = HaxSystem.open().createVm()) {
            HaxRamBlock ram = vm.allocateRamBlock(1 << 20); // engine-owned RAM: only writeMemory reaches it
            vm.setRam(0, 1 << 20, ram.va(), 0);
            HaxVcpu vcpu = vm.createVcpu(0);
            vm.writeMemory(CODE, MOV_AX_1, 0, MOV_AX_1.length);
            assertEquals(1, runToHlt(vcpu));
            assertEquals(1, runToHlt(vcpu));
            vm.writeMemory(CODE + 1, new byte[] {7}, 0, 1);
            assertEquals(7, runToHlt(vcpu), "the VCPU ran the bytes the host wrote");
        }
    }

    @Test
    void hostWriteIntoSharedRamIsExecutedAfterTheNextEntry() {
        try (TestGuest g = TestGuest.real(MOV_AX_1)) {
            assertEquals(1, runToHlt(g.vcpu));
            assertEquals(1, runToHlt(g.vcpu));
            g.ram.put((int) CODE + 1, (byte) 9); // the caller's own mapping of guest RAM
            assertEquals(9, runToHlt(g.vcpu), "VM entry serializes: the VCPU sees the caller's store");
        }
    }

    @Test
    void remappingTheCodePageRunsTheNewRam() {
        try (HaxVm vm = HaxSystem.open().createVm()) {
            HaxRamBlock a = vm.allocateRamBlock(1 << 20), b = vm.allocateRamBlock(0x1000);
            vm.setRam(0, 1 << 20, a.va(), 0);
            HaxVcpu vcpu = vm.createVcpu(0);
            vm.mapRam(0x100000, b, 0, 0x1000, false); // block b, filled through another address
            vm.writeMemory(0x100000 + CODE % 0x1000, new byte[] {(byte) 0xB8, 5, 0, (byte) 0xF4}, 0, 4); // mov ax, 5
            vm.writeMemory(CODE, MOV_AX_1, 0, MOV_AX_1.length);
            assertEquals(1, runToHlt(vcpu));
            assertEquals(1, runToHlt(vcpu));
            vm.mapRam(CODE, b, 0, 0x1000, false);   // no write to the page: only the mapping changes
            assertEquals(5, runToHlt(vcpu), "the VCPU ran the code of the newly mapped RAM");
        }
    }
}
