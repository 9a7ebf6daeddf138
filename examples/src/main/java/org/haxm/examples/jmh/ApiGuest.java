package org.haxm.examples.jmh;

import java.util.Arrays;
import org.haxm.api.HaxRamBlock;
import org.haxm.api.HaxSegment;
import org.haxm.api.HaxSystem;
import org.haxm.api.HaxVcpu;
import org.haxm.api.HaxVcpuState;
import org.haxm.api.HaxVm;
import org.haxm.examples.setup.GuestMode;
import org.haxm.examples.setup.GuestModeSetup;
import org.haxm.examples.setup.InitialCpuState;
import org.haxm.examples.setup.SegmentState;

/**
 * One VM with one VCPU and RAM at guest-physical 0, built through the HAXM-style API and started
 * in a {@link GuestMode} the way {@code haxm run} starts it ({@link GuestModeSetup}); the
 * benchmarks drive {@link #vcpu()} themselves.
 */
final class ApiGuest implements AutoCloseable {

    /** IA32_EFER (SDM Vol. 4); like HAXM, SET_REGS does not carry it. */
    private static final int IA32_EFER = 0xC000_0080;

    private final HaxSystem system;
    private final HaxVm vm;
    private final HaxVcpu vcpu;

    /**
     * @param mode the mode the guest starts in
     * @param ramSize bytes of RAM at guest-physical 0
     * @param entry where {@code code} is loaded and the guest starts
     * @param code the guest's code
     */
    ApiGuest(GuestMode mode, long ramSize, long entry, byte[] code) {
        system = HaxSystem.open();
        vm = system.createVm();
        HaxRamBlock ram = vm.allocateRamBlock(ramSize);
        vm.mapRam(0, ram, 0, ramSize, false);
        vcpu = vm.createVcpu(0);
        InitialCpuState st = GuestModeSetup.prepare(mode, ramSize, entry, vm::writeMemory);
        vm.writeMemory(entry, code, 0, code.length);
        HaxVcpuState s = vcpu.getRegs();
        Arrays.fill(s.regs, 0);
        s.regs[4] = st.rsp();
        s.rip = st.rip();
        s.rflags = st.rflags();
        s.cs = segment(st.cs());
        s.ds = segment(st.ds());
        s.es = segment(st.es());
        s.fs = segment(st.fs());
        s.gs = segment(st.gs());
        s.ss = segment(st.ss());
        s.ldt = segment(st.ldtr());
        s.tr = segment(st.tr());
        s.gdt = new HaxSegment(0, st.gdtBase(), st.gdtLimit(), 0);
        s.idt = new HaxSegment(0, st.idtBase(), st.idtLimit(), 0);
        s.cr0 = st.cr0();
        s.cr3 = st.cr3();
        s.cr4 = st.cr4();
        vcpu.setRegs(s);
        vcpu.setMsr(IA32_EFER, st.efer());
    }

    private static HaxSegment segment(SegmentState s) {
        return new HaxSegment(s.selector(), s.base(), s.limit(), s.accessRights());
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
        try {
            vcpu.close();
            vm.close();
        } finally {
            system.close();
        }
    }
}
