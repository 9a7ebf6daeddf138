package org.haxm.core.transition;

import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.cpu.SegmentRegister;
import org.haxm.vmx.Vmcs;
import org.haxm.vmx.VmcsField;

/**
 * Moves guest state between the VMCS guest-state area and the processor: loading it is what VM
 * entry does after its checks (SDM Vol. 3C §27.3.2 "Loading Guest State"), storing it is what VM
 * exit does first (§28.3 "Saving Guest State"). General-purpose registers other than RSP are not
 * part of the VMCS: as on hardware they simply stay in the processor across the transition, and
 * the hypervisor's handlers read and write them there.
 */
public final class GuestStateTransfer {
    private GuestStateTransfer() {}

    /** VMCS guest-state area to processor (VM entry). */
    public static void load(Vmcs vmcs, CpuState cpu) {
        cpu.cr0 = vmcs.read(VmcsField.GUEST_CR0);
        cpu.cr3 = vmcs.read(VmcsField.GUEST_CR3);
        cpu.cr4 = vmcs.read(VmcsField.GUEST_CR4);
        cpu.dr[7] = vmcs.read(VmcsField.GUEST_DR7);
        cpu.gpr[4] = vmcs.read(VmcsField.GUEST_RSP);
        cpu.rip = vmcs.read(VmcsField.GUEST_RIP);
        cpu.setRflags(vmcs.read(VmcsField.GUEST_RFLAGS));
        for (Segment s : SEGMENTS) {
            GuestSegmentFields f = GuestSegmentFields.of(s);
            cpu.seg(s).set((int) vmcs.read(f.selector()), vmcs.read(f.base()),
                (int) vmcs.read(f.limit()), (int) vmcs.read(f.accessRights()));
        }
        cpu.gdtrBase = vmcs.read(VmcsField.GUEST_GDTR_BASE);
        cpu.gdtrLimit = (int) vmcs.read(VmcsField.GUEST_GDTR_LIMIT);
        cpu.idtrBase = vmcs.read(VmcsField.GUEST_IDTR_BASE);
        cpu.idtrLimit = (int) vmcs.read(VmcsField.GUEST_IDTR_LIMIT);
        cpu.sysenterCs = vmcs.read(VmcsField.GUEST_IA32_SYSENTER_CS);
        cpu.sysenterEsp = vmcs.read(VmcsField.GUEST_IA32_SYSENTER_ESP);
        cpu.sysenterEip = vmcs.read(VmcsField.GUEST_IA32_SYSENTER_EIP);
        // The engine always sets "load IA32_EFER" and "load IA32_PAT" (SDM Vol. 3C §27.3.2.1).
        cpu.efer = vmcs.read(VmcsField.GUEST_IA32_EFER);
        cpu.pat = vmcs.read(VmcsField.GUEST_IA32_PAT);
        cpu.debugCtl = vmcs.read(VmcsField.GUEST_IA32_DEBUGCTL);
        cpu.activityState = (int) vmcs.read(VmcsField.GUEST_ACTIVITY_STATE);
        cpu.interruptibility = (int) vmcs.read(VmcsField.GUEST_INTERRUPTIBILITY_STATE);
    }

    /** Processor to VMCS guest-state area (VM exit). */
    public static void store(CpuState cpu, Vmcs vmcs) {
        vmcs.write(VmcsField.GUEST_CR0, cpu.cr0 & 0xFFFF_FFFFL);
        vmcs.write(VmcsField.GUEST_CR3, cpu.cr3);
        vmcs.write(VmcsField.GUEST_CR4, cpu.cr4);
        vmcs.write(VmcsField.GUEST_DR7, cpu.dr[7]);
        vmcs.write(VmcsField.GUEST_RSP, cpu.gpr[4]);
        vmcs.write(VmcsField.GUEST_RIP, cpu.rip);
        vmcs.write(VmcsField.GUEST_RFLAGS, cpu.rflags());
        for (Segment s : SEGMENTS) {
            GuestSegmentFields f = GuestSegmentFields.of(s);
            SegmentRegister r = cpu.seg(s);
            vmcs.write(f.selector(), r.selector & 0xFFFF);
            vmcs.write(f.base(), r.base);
            vmcs.write(f.limit(), r.limit & 0xFFFF_FFFFL);
            vmcs.write(f.accessRights(), r.accessRights & 0x1F0FFL);
        }
        vmcs.write(VmcsField.GUEST_GDTR_BASE, cpu.gdtrBase);
        vmcs.write(VmcsField.GUEST_GDTR_LIMIT, cpu.gdtrLimit & 0xFFFF);
        vmcs.write(VmcsField.GUEST_IDTR_BASE, cpu.idtrBase);
        vmcs.write(VmcsField.GUEST_IDTR_LIMIT, cpu.idtrLimit & 0xFFFF);
        vmcs.write(VmcsField.GUEST_IA32_SYSENTER_CS, cpu.sysenterCs & 0xFFFF_FFFFL);
        vmcs.write(VmcsField.GUEST_IA32_SYSENTER_ESP, cpu.sysenterEsp);
        vmcs.write(VmcsField.GUEST_IA32_SYSENTER_EIP, cpu.sysenterEip);
        vmcs.write(VmcsField.GUEST_IA32_EFER, cpu.efer);
        vmcs.write(VmcsField.GUEST_IA32_PAT, cpu.pat);
        vmcs.write(VmcsField.GUEST_IA32_DEBUGCTL, cpu.debugCtl);
        vmcs.write(VmcsField.GUEST_ACTIVITY_STATE, cpu.activityState);
        vmcs.write(VmcsField.GUEST_INTERRUPTIBILITY_STATE, cpu.interruptibility);
    }

    private static final Segment[] SEGMENTS = Segment.values();
}
