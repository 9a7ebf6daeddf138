package org.haxm.examples.jmh;

import org.haxm.api.HaxVcpu;
import org.haxm.api.HaxVcpuState;
import org.haxm.api.HaxVm;
import org.haxm.examples.setup.GuestMode;
import org.haxm.examples.setup.GuestModeSetup;
import org.haxm.examples.vmm.GuestMachine;
import org.haxm.examples.setup.InitialCpuState;

/**
 * One VM with one VCPU and RAM at guest-physical 0, built through the HAXM-style API and started
 * in a {@link GuestMode} the way {@code haxm run} starts it ({@link GuestModeSetup}); the
 * benchmarks drive {@link #vcpu()} themselves.
 */
final class ApiGuest implements AutoCloseable {


    private final GuestMachine machine;
    private final HaxVm vm;
    private final HaxVcpu vcpu;

    /**
     * @param mode the mode the guest starts in
     * @param ramSize bytes of RAM at guest-physical 0
     * @param entry where {@code code} is loaded and the guest starts
     * @param code the guest's code
     */
    ApiGuest(GuestMode mode, long ramSize, long entry, byte[] code) {
        machine = GuestMachine.open(ramSize);
        vm = machine.vm();
        vcpu = machine.vcpu();
        InitialCpuState st = GuestModeSetup.prepare(mode, ramSize, entry, vm::writeMemory);
        vm.writeMemory(entry, code, 0, code.length);
        st.applyTo(vcpu);
    }

    HaxVm vm() {
        return vm;
    }

    HaxVcpu vcpu() {
        return vcpu;
    }

    /** Sets general-purpose register {@code index} (0 = RAX ... 15 = R15). */
    void setRegister(int index, long value) {
        HaxVcpuState s = vcpu.getRegs();
        s.regs[index] = value;
        vcpu.setRegs(s);
    }

    /** Writes a little-endian 32-bit value to guest-physical {@code gpa}. */
    void writeInt(long gpa, int value) {
        byte[] b = {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
        vm.writeMemory(gpa, b, 0, 4);
    }

    @Override
    public void close() {
        machine.close();
    }
}
