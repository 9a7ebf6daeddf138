package org.haxm.examples.vmm;

import org.haxm.api.HaxRamBlock;
import org.haxm.api.HaxSystem;
import org.haxm.api.HaxVcpu;
import org.haxm.api.HaxVm;

/**
 * The HAXM objects of a one-VCPU guest: a system handle, a VM whose RAM (engine-allocated) is
 * mapped at guest-physical 0, and VCPU 0 — the CREATE_VM, ADD_RAMBLOCK, SET_RAM, VCPU_CREATE
 * sequence every example VMM starts with. Closing it closes all three, VCPU first.
 *
 * @param system the system handle
 * @param vm     the VM
 * @param vcpu   VCPU 0
 */
public record GuestMachine(HaxSystem system, HaxVm vm, HaxVcpu vcpu) implements AutoCloseable {
    /**
     * Opens a system, creates the VM with {@code ramSize} bytes of RAM at 0 and VCPU 0; on failure
     * closes whatever it had opened and rethrows.
     */
    public static GuestMachine open(long ramSize) {
        HaxSystem system = HaxSystem.open();
        HaxVm vm = null;
        try {
            vm = system.createVm();
            HaxRamBlock ram = vm.allocateRamBlock(ramSize);
            vm.mapRam(0, ram, 0, ramSize, false);
            return new GuestMachine(system, vm, vm.createVcpu(0));
        } catch (RuntimeException e) {
            if (vm != null) vm.close();
            system.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            vcpu.close();
            vm.close();
        } finally {
            system.close();
        }
    }
}
