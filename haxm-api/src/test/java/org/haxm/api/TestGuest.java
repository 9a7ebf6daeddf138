package org.haxm.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A VM with one VCPU and RAM at guest-physical 0, started in real mode or 64-bit mode with a few
 * bytes of machine code at {@link #CODE}. Tests drive it through the public API only.
 *
 * <p>Long mode layout (identity paging with 2-MiB pages over the low 4 GiB, SDM Vol. 3A §4.5):
 * PML4 at 0x8000, PDPT at 0x9000, four page directories at 0xA000..0xDFFF. No GDT is needed:
 * the segment registers' hidden parts are set directly and the guest never reloads them.
 */
final class TestGuest implements AutoCloseable {
    static final long CODE = 0x1000;
    static final long PML4 = 0x8000, PDPT = 0x9000, PD0 = 0xA000;
    static final int IA32_EFER = 0xC000_0080;
    static final long EFER_LME = 1 << 8, EFER_LMA = 1 << 10;

    final HaxSystem system;
    final HaxVm vm;
    final HaxVcpu vcpu;
    final HaxTunnel tunnel;
    final ByteBuffer ram;

    private TestGuest(HaxSystem system, long ramSize) {
        this.system = system;
        this.vm = system.createVm();
        this.ram = ByteBuffer.allocate((int) ramSize).order(ByteOrder.LITTLE_ENDIAN);
        HaxRamBlock block = vm.addRamBlock(ram);
        vm.setRam(0, ramSize, block.va(), 0);
        this.vcpu = vm.createVcpu(0);
        this.tunnel = vcpu.tunnel();
    }

    /** Real mode, CS = DS = ES = SS = 0, IP = {@link #CODE}, SP = 0x7000, IF = 0; RAM 0..ramSize. */
    static TestGuest real(long ramSize, byte[] code) { return real(HaxSystem.open(), ramSize, code); }

    /** As {@link #real(long, byte[])}, with a new VM in {@code system}. */
    static TestGuest real(HaxSystem system, long ramSize, byte[] code) {
        TestGuest g = new TestGuest(system, ramSize);
        g.load(CODE, code);
        HaxVcpuState s = g.vcpu.getRegs();
        s.cs = new HaxSegment(0, 0, 0xFFFF, 0x9B);
        s.rip = CODE;
        s.regs[4] = 0x7000;
        g.vcpu.setRegs(s);
        return g;
    }

    static TestGuest real(byte[] code) { return real(1 << 20, code); }

    /** 64-bit mode, flat segments, identity paging of the low 4 GiB, RSP = 0x7000, IF = 0, no IDT. */
    static TestGuest long64(byte[] code) {
        TestGuest g = new TestGuest(HaxSystem.open(), 1 << 20);
        g.load(CODE, code);
        ByteBuffer t = ByteBuffer.allocate(0x6000).order(ByteOrder.LITTLE_ENDIAN);
        t.putLong(0, PDPT | 3);                                       // PML4[0] -> PDPT, present + writable
        for (int i = 0; i < 4; i++) {
            t.putLong(0x1000 + 8 * i, (PD0 + 0x1000L * i) | 3);       // PDPT[i] -> PD i
            for (int j = 0; j < 512; j++) {                           // PDE: 2-MiB page, PS | RW | P
                t.putLong(0x2000 + 0x1000 * i + 8 * j, ((long) i << 30) + ((long) j << 21) | 0x83);
            }
        }
        g.vm.writeMemory(PML4, t.array(), 0, t.capacity());
        HaxVcpuState s = g.vcpu.getRegs();
        java.util.Arrays.fill(s.regs, 0);
        s.regs[4] = 0x7000;
        s.rip = CODE;
        s.rflags = 2;
        s.cs = new HaxSegment(0x08, 0, 0xFFFF_FFFF, 0xA09B);          // present, DPL 0, code, L = 1, G
        HaxSegment data = new HaxSegment(0x10, 0, 0xFFFF_FFFF, 0xC093);
        s.ss = data; s.ds = data; s.es = data; s.fs = data; s.gs = data;
        s.ldt = new HaxSegment(0, 0, 0, 0);                           // ar 0: unusable
        s.tr = new HaxSegment(0, 0, 0x67, 0x8B);                      // busy 32/64-bit TSS
        s.gdt = new HaxSegment(0, 0, 0, 0);
        s.idt = new HaxSegment(0, 0, 0, 0);                           // limit 0: exceptions triple-fault
        s.cr0 = 0x8000_0031L;                                         // PG | NE | ET | PE
        s.cr3 = PML4;
        s.cr4 = 0x20;                                                 // PAE
        g.vcpu.setRegs(s);
        g.vcpu.setMsr(IA32_EFER, EFER_LME | EFER_LMA);
        return g;
    }

    /** 32-bit protected mode, flat 4-GiB segments, paging off, ESP = 0x7000, IF = 0, no IDT. */
    static TestGuest protected32(byte[] code) {
        TestGuest g = new TestGuest(HaxSystem.open(), 1 << 20);
        g.load(CODE, code);
        HaxVcpuState s = g.vcpu.getRegs();
        s.regs[4] = 0x7000;
        s.rip = CODE;
        s.cs = new HaxSegment(0x08, 0, 0xFFFF_FFFF, 0xC09B);          // present, code, D = 1, G
        HaxSegment data = new HaxSegment(0x10, 0, 0xFFFF_FFFF, 0xC093);
        s.ss = data; s.ds = data; s.es = data; s.fs = data; s.gs = data;
        s.ldt = new HaxSegment(0, 0, 0, 0);
        s.tr = new HaxSegment(0, 0, 0x67, 0x8B);
        s.gdt = new HaxSegment(0, 0, 0, 0);
        s.idt = new HaxSegment(0, 0, 0, 0);
        s.cr0 = 0x31;                                                 // NE | ET | PE
        g.vcpu.setRegs(s);
        return g;
    }

    void load(long gpa, byte[] bytes) { vm.writeMemory(gpa, bytes, 0, bytes.length); }

    /** Real mode: IVT entry {@code vector} -> 0000:handler, and the handler's code. */
    void realModeHandler(int vector, long handler, byte[] code) {
        byte[] entry = {(byte) handler, (byte) (handler >> 8), 0, 0};
        load(4L * vector, entry);
        load(handler, code);
    }

    HaxExitStatus run() { return vcpu.run(); }
    HaxVcpuState regs() { return vcpu.getRegs(); }
    long rip() { return regs().rip; }
    long gpr(int i) { return regs().regs[i]; }

    byte[] read(long gpa, int len) {
        byte[] b = new byte[len];
        vm.readMemory(gpa, b, 0, len);
        return b;
    }

    static byte[] bytes(int... b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) r[i] = (byte) b[i];
        return r;
    }

    @Override public void close() { system.close(); }
}
