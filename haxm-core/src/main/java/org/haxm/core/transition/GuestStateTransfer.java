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

    /**
     * VMCS guest-state area to processor (VM entry).
     *
     * <p>CR0 and CR4: the model CPU holds the guest's view of the host-owned bits (those set in
     * the guest/host mask), taken from the read shadow. In VMX non-root operation MOV from CR0/CR4
     * and SMSW return the read shadow for those bits, and a MOV to CR0/CR4 that does not exit
     * leaves them unchanged (SDM Vol. 3C §26.3); with the guest's view in the processor the
     * emulator's plain MOV CR does both, and {@link #store} puts the real host-owned bits back.
     * The host-owned bits (CR0.NE, CR4.VMXE) change nothing in what the model CPU does.
     */
    public static void load(Vmcs vmcs, CpuState cpu) {
        cpu.cr0 = guestView(vmcs, VmcsField.GUEST_CR0, VmcsField.CR0_GUEST_HOST_MASK, VmcsField.CR0_READ_SHADOW);
        cpu.cr3 = vmcs.read(VmcsField.GUEST_CR3);
        cpu.cr4 = guestView(vmcs, VmcsField.GUEST_CR4, VmcsField.CR4_GUEST_HOST_MASK, VmcsField.CR4_READ_SHADOW);
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
        // With EPT, PAE paging takes its PDPTEs from the VMCS at entry (SDM Vol. 3C §27.3.2.4).
        for (int i = 0; i < 4; i++) cpu.pdpte[i] = vmcs.read(PDPTE[i]);
    }

    /** Processor to VMCS guest-state area (VM exit). */
    public static void store(CpuState cpu, Vmcs vmcs) {
        vmcs.write(VmcsField.GUEST_CR0, withHostBits(vmcs, cpu.cr0 & 0xFFFF_FFFFL, VmcsField.GUEST_CR0, VmcsField.CR0_GUEST_HOST_MASK));
        vmcs.write(VmcsField.GUEST_CR3, cpu.cr3);
        vmcs.write(VmcsField.GUEST_CR4, withHostBits(vmcs, cpu.cr4, VmcsField.GUEST_CR4, VmcsField.CR4_GUEST_HOST_MASK));
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
        // ... and a VM exit saves them when the guest uses PAE paging (SDM Vol. 3C §28.3.4).
        for (int i = 0; i < 4; i++) vmcs.write(PDPTE[i], cpu.pdpte[i]);
    }

    private static final VmcsField[] PDPTE = {VmcsField.GUEST_PDPTE0, VmcsField.GUEST_PDPTE1, VmcsField.GUEST_PDPTE2, VmcsField.GUEST_PDPTE3};

    /** True if {@code vmcs} describes a guest in PAE paging (CR0.PG, CR4.PAE, not IA-32e). */
    public static boolean paePaging(Vmcs vmcs) {
        return (vmcs.read(VmcsField.GUEST_CR0) & CpuState.CR0_PG) != 0 && (vmcs.read(VmcsField.GUEST_CR4) & CpuState.CR4_PAE) != 0
            && (vmcs.read(VmcsField.GUEST_IA32_EFER) & CpuState.EFER_LMA) == 0;
    }

    /** Reloads the four PDPTE fields from guest memory at CR3, as a MOV to CR3 in PAE paging
     *  would (SDM Vol. 3A §4.4.1); for a hypervisor that changes CR3 from outside the guest. */
    public static void reloadPdptes(Vmcs vmcs, org.haxm.ept.GuestPhysicalMemory memory) {
        long table = vmcs.read(VmcsField.GUEST_CR3) & 0xFFFF_FFE0L;
        byte[] raw = new byte[32];
        try {
            memory.readBytes(table, raw, 0, 32);
        } catch (IllegalArgumentException unmapped) {
            java.util.Arrays.fill(raw, (byte) 0);
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) vmcs.write(PDPTE[i], b.getLong(8 * i));
    }

    /** The guest's view of a control register: read-shadow bits where the mask is 1 (SDM Vol. 3C §25.6.6). */
    public static long guestView(Vmcs vmcs, VmcsField real, VmcsField mask, VmcsField shadow) {
        long m = vmcs.read(mask);
        return (vmcs.read(real) & ~m) | (vmcs.read(shadow) & m);
    }

    /** The processor's value with the host-owned bits (mask = 1) kept at their real VMCS value. */
    private static long withHostBits(Vmcs vmcs, long value, VmcsField real, VmcsField mask) {
        long m = vmcs.read(mask);
        return (value & ~m) | (vmcs.read(real) & m);
    }

    private static final Segment[] SEGMENTS = Segment.values();
}
