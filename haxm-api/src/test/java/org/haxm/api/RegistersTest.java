package org.haxm.api;

import static org.haxm.api.TestGuest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** GET_REGS / SET_REGS, and the CR0 read shadow that hides the host-owned NE bit. */
class RegistersTest {

    @Property(tries = 30)
    void setRegsThenGetRegsRoundTripsUpToArchitecturalFixedBits(@ForAll long seed) {
        Random r = new Random(seed);
        try (HaxSystem sys = HaxSystem.open()) {
            HaxVcpu v = sys.createVm().createVcpu(0);
            HaxVcpuState in = HaxVcpuStateProperties.random(r);
            in.cr0 &= 0xFFFF_FFFFL;
            v.setRegs(in);
            HaxVcpuState out = v.getRegs();
            for (int i = 0; i < 16; i++) assertEquals(in.regs[i], out.regs[i], "regs[" + i + "]");
            assertEquals(in.rip, out.rip);
            assertEquals((in.rflags & 0x3F7FD5L) | 2, out.rflags, "reserved RFLAGS bits forced (bit 1 = 1, 3/5/15/22+ = 0)");
            assertEquals(in.cr0, out.cr0, "CR0 reads back as written, NE included or not");
            assertEquals(in.cr2, out.cr2);
            assertEquals(in.cr3, out.cr3);
            assertEquals(in.cr4, out.cr4, "CR4 reads back as written through the read shadow");
            assertEquals(in.dr0, out.dr0); assertEquals(in.dr1, out.dr1);
            assertEquals(in.dr2, out.dr2); assertEquals(in.dr3, out.dr3);
            assertEquals(in.dr6 | 0xFFFF0FF0L, out.dr6);
            assertEquals((in.dr7 & 0xFFFF_FFFFL) | 0x400, out.dr7);
            HaxSegment[] a = {in.cs, in.ss, in.ds, in.es, in.fs, in.gs, in.ldt, in.tr};
            HaxSegment[] b = {out.cs, out.ss, out.ds, out.es, out.fs, out.gs, out.ldt, out.tr};
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i].selector & 0xFFFF, b[i].selector);
                assertEquals(a[i].base, b[i].base);
                assertEquals(a[i].limit, b[i].limit);
                assertEquals(a[i].ar == 0 ? 0x10000 : a[i].ar & 0x1F0FF, b[i].ar, "ar: reserved bits dropped, 0 = unusable");
            }
            assertEquals(in.gdt.base, out.gdt.base);
            assertEquals(in.gdt.limit & 0xFFFF, out.gdt.limit);
            assertEquals(in.idt.base, out.idt.base);
            assertEquals(in.idt.limit & 0xFFFF, out.idt.limit);
        }
    }

    @Test
    void setRegsLeavesEferAloneAsHaxmDoes() {
        try (HaxSystem sys = HaxSystem.open()) {
            HaxVcpu v = sys.createVm().createVcpu(0);
            HaxVcpuState s = v.getRegs();
            s.efer = 0x500;
            v.setRegs(s);
            assertEquals(0, v.getRegs().efer);
            v.setMsr(0xC000_0080, 1);
            assertEquals(1, v.getRegs().efer);
            assertThrows(IllegalArgumentException.class, () -> v.setRegs(null));
        }
    }

    @Test
    void powerOnStateIsHaxms() {
        try (HaxSystem sys = HaxSystem.open()) {
            HaxVcpuState s = sys.createVm().createVcpu(0).getRegs();
            assertEquals(0xFFF0, s.rip);
            assertEquals(0xF000, s.cs.selector);
            assertEquals(0xFFFF_0000L, s.cs.base);
            assertEquals(0x6000_0010L, s.cr0, "CD | NW | ET; NE is host-owned and hidden");
            assertEquals(0, s.cr4, "VMXE hidden");
            assertEquals(2, s.rflags);
        }
    }

    /** Real mode: mov eax,cr0; hlt */
    static final byte[] READ_CR0 = bytes(0x0F, 0x20, 0xC0, 0xF4);

    @Test
    void theGuestReadsCr0WithoutNeWhenItNeverSetIt() {
        try (TestGuest g = TestGuest.real(READ_CR0)) {
            HaxVcpuState s = g.regs();
            s.cr0 = 0x10;                                 // ET only: NE clear
            g.vcpu.setRegs(s);
            assertEquals(0x10, g.regs().cr0);
            assertTrue(g.vcpu.dumpVmcs().length() > 0);
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0x10, g.gpr(0) & 0xFFFF_FFFFL, "MOV from CR0 reads NE from the read shadow");
            assertEquals(0x10, g.regs().cr0);
        }
    }

    /** Real mode: mov eax,0x10; mov cr0,eax; mov ebx,cr0; hlt */
    static final byte[] WRITE_CR0 = bytes(0x66, 0xB8, 0x10, 0x00, 0x00, 0x00, 0x0F, 0x22, 0xC0, 0x0F, 0x20, 0xC3, 0xF4);

    @Test
    void aGuestWriteOfCr0WithoutNeIsShadowed() {
        try (TestGuest g = TestGuest.real(WRITE_CR0)) {
            HaxVcpuState s = g.regs();
            s.cr0 = 0x30;                                 // ET | NE
            g.vcpu.setRegs(s);
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0x10, g.gpr(3) & 0xFFFF_FFFFL, "the guest reads back what it wrote");
            assertEquals(0x10, g.regs().cr0, "GET_REGS shows the guest's view");
            assertEquals(TestGuest.CODE + WRITE_CR0.length, g.rip());
        }
    }

    /** Real mode: mov eax,0x12; mov cr0,eax; hlt (sets MP, leaves NE clear as the guest always had it) */
    static final byte[] SET_MP = bytes(0x66, 0xB8, 0x12, 0x00, 0x00, 0x00, 0x0F, 0x22, 0xC0, 0xF4);

    @Test
    void aCr0WriteThatKeepsTheShadowedNeDoesNotStopTheVcpu() {
        try (TestGuest g = TestGuest.real(SET_MP)) {
            HaxVcpuState s = g.regs();
            s.cr0 = 0x10;
            g.vcpu.setRegs(s);
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0x12, g.regs().cr0);
            g.vcpu.setInstructionBudget(5);
            assertEquals(HaxExitStatus.PAUSED, g.run(), "the next VM entry still succeeds: " + g.vcpu.stopReason());
        }
    }
}
