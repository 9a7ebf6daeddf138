package org.haxm.core.transition;

import org.haxm.core.VirtualCpu;
import org.haxm.core.msr.MsrHandler;
import org.haxm.core.nonroot.ExitBitmaps;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.vmx.Vmcs;
import org.haxm.vmx.VmcsField;
import org.haxm.vmx.VmxCapabilities;
import org.haxm.vmx.controls.EntryControls;
import org.haxm.vmx.controls.ExitControls;
import org.haxm.vmx.controls.PinBasedControls;
import org.haxm.vmx.controls.PrimaryProcBasedControls;
import org.haxm.vmx.controls.SecondaryProcBasedControls;

/**
 * How the hypervisor prepares a new VCPU's VMCS, following HAXM (haxm-api.md §6.1, §6.9): the
 * controls it requests (each adjusted to what the processor's capability MSRs allow, SDM Vol. 3C
 * Appendix A), the exit bitmaps, and the power-on guest state.
 */
public final class VmcsSetup {
    private VmcsSetup() {}

    /** Guest CR0 bits owned by the hypervisor: NE must be 1 in VMX operation (IA32_VMX_CR0_FIXED0)
     *  but the guest must see the value it wrote. PE and PG are free thanks to unrestricted guest. */
    public static final long CR0_HOST_OWNED = CpuState.CR0_NE;
    /** Guest CR4 bits owned by the hypervisor: VMXE must be 1 in VMX operation (IA32_VMX_CR4_FIXED0);
     *  the guest sees it clear and cannot set it (the model CPU offers no VMX to its guests). */
    public static final long CR4_HOST_OWNED = CpuState.CR4_VMXE;

    public static void initialize(VirtualCpu vcpu) {
        Vmcs vmcs = vcpu.vmcs();
        VmxCapabilities caps = vcpu.vm().capabilities();
        boolean trueControls = (caps.msr(VmxCapabilities.IA32_VMX_BASIC) & VmxCapabilities.BASIC_TRUE_CONTROLS) != 0;

        int pin = VmxCapabilities.adjust(PinBasedControls.EXTERNAL_INTERRUPT_EXITING | PinBasedControls.NMI_EXITING,
            caps.msr(trueControls ? VmxCapabilities.IA32_VMX_TRUE_PINBASED_CTLS : VmxCapabilities.IA32_VMX_PINBASED_CTLS));
        int primary = VmxCapabilities.adjust(PrimaryProcBasedControls.HLT_EXITING | PrimaryProcBasedControls.USE_TSC_OFFSETTING
                | PrimaryProcBasedControls.CR8_LOAD_EXITING | PrimaryProcBasedControls.CR8_STORE_EXITING
                | PrimaryProcBasedControls.USE_IO_BITMAPS | PrimaryProcBasedControls.USE_MSR_BITMAPS
                | PrimaryProcBasedControls.ACTIVATE_SECONDARY_CONTROLS,
            caps.msr(trueControls ? VmxCapabilities.IA32_VMX_TRUE_PROCBASED_CTLS : VmxCapabilities.IA32_VMX_PROCBASED_CTLS));
        int secondary = VmxCapabilities.adjust(SecondaryProcBasedControls.ENABLE_EPT | SecondaryProcBasedControls.UNRESTRICTED_GUEST
                | SecondaryProcBasedControls.ENABLE_RDTSCP | SecondaryProcBasedControls.ENABLE_VPID,
            caps.msr(VmxCapabilities.IA32_VMX_PROCBASED_CTLS2));
        int exitControls = VmxCapabilities.adjust(ExitControls.HOST_ADDRESS_SPACE_SIZE | ExitControls.SAVE_IA32_EFER
                | ExitControls.LOAD_IA32_EFER | ExitControls.SAVE_IA32_PAT | ExitControls.LOAD_IA32_PAT,
            caps.msr(trueControls ? VmxCapabilities.IA32_VMX_TRUE_EXIT_CTLS : VmxCapabilities.IA32_VMX_EXIT_CTLS));
        int entryControls = VmxCapabilities.adjust(EntryControls.LOAD_IA32_EFER | EntryControls.LOAD_IA32_PAT,
            caps.msr(trueControls ? VmxCapabilities.IA32_VMX_TRUE_ENTRY_CTLS : VmxCapabilities.IA32_VMX_ENTRY_CTLS));

        vmcs.write(VmcsField.PIN_BASED_VM_EXEC_CONTROL, Integer.toUnsignedLong(pin));
        vmcs.write(VmcsField.PRIMARY_PROC_BASED_VM_EXEC_CONTROL, Integer.toUnsignedLong(primary));
        vmcs.write(VmcsField.SECONDARY_PROC_BASED_VM_EXEC_CONTROL, Integer.toUnsignedLong(secondary));
        vmcs.write(VmcsField.VM_EXIT_CONTROLS, Integer.toUnsignedLong(exitControls));
        vmcs.write(VmcsField.VM_ENTRY_CONTROLS, Integer.toUnsignedLong(entryControls));
        vmcs.write(VmcsField.EXCEPTION_BITMAP, 1L << 18);          // #MC only, as HAXM
        vmcs.write(VmcsField.EPT_POINTER, vcpu.vm().memory().eptp());
        // One VPID per VCPU, as HAXM allocates them; 0 is reserved for VMX root operation
        // (SDM Vol. 3C §27.2.1.1: VM entry fails with VPID enabled and VPID = 0).
        vmcs.write(VmcsField.VIRTUAL_PROCESSOR_ID, vcpu.id() + 1);
        vmcs.write(VmcsField.VMCS_LINK_POINTER, -1L);
        vmcs.write(VmcsField.CR0_GUEST_HOST_MASK, CR0_HOST_OWNED);
        vmcs.write(VmcsField.CR4_GUEST_HOST_MASK, CR4_HOST_OWNED);

        ExitBitmaps bitmaps = vcpu.bitmaps();
        bitmaps.trapAllPorts();
        bitmaps.trapAllMsrs();
        for (int msr : MsrHandler.PASS_THROUGH) bitmaps.passThroughMsr(msr);
        vmcs.write(VmcsField.IO_BITMAP_A, ExitBitmaps.IO_BITMAP_A_ADDRESS);
        vmcs.write(VmcsField.IO_BITMAP_B, ExitBitmaps.IO_BITMAP_B_ADDRESS);
        vmcs.write(VmcsField.MSR_BITMAP, ExitBitmaps.MSR_BITMAP_ADDRESS);

        // A plausible 64-bit host state, for the VMCS dump and the host-state checks.
        vmcs.write(VmcsField.HOST_CR0, 0x8005_0033L);
        vmcs.write(VmcsField.HOST_CR4, 0x0000_2020L);
        vmcs.write(VmcsField.HOST_CS_SELECTOR, 0x10);
        vmcs.write(VmcsField.HOST_SS_SELECTOR, 0x18);
        vmcs.write(VmcsField.HOST_TR_SELECTOR, 0x40);
        vmcs.write(VmcsField.HOST_IA32_EFER, CpuState.EFER_LME | CpuState.EFER_LMA | CpuState.EFER_SCE | CpuState.EFER_NXE);
        vmcs.write(VmcsField.HOST_IA32_PAT, 0x0007_0406_0007_0406L);

        powerOn(vmcs);
        vcpu.state().reset();
    }

    /** Power-on guest state (HAXM's VCPU_CREATE values, SDM Vol. 3A Table 10-1). */
    public static void powerOn(Vmcs vmcs) {
        long cr0 = 0x6000_0010L;
        vmcs.write(VmcsField.CR0_READ_SHADOW, cr0);
        vmcs.write(VmcsField.GUEST_CR0, cr0 | CR0_HOST_OWNED);
        vmcs.write(VmcsField.CR4_READ_SHADOW, 0);
        vmcs.write(VmcsField.GUEST_CR4, CR4_HOST_OWNED);
        vmcs.write(VmcsField.GUEST_CR3, 0);
        vmcs.write(VmcsField.GUEST_RIP, 0xFFF0);
        vmcs.write(VmcsField.GUEST_RFLAGS, 2);
        vmcs.write(VmcsField.GUEST_RSP, 0);
        for (var s : org.haxm.emulator.cpu.Segment.values()) {
            GuestSegmentFields f = GuestSegmentFields.of(s);
            int ar = switch (s) { case CS -> 0x9B; case LDTR -> 0x82; case TR -> 0x8B; default -> 0x93; };
            vmcs.write(f.selector(), s == org.haxm.emulator.cpu.Segment.CS ? 0xF000 : 0);
            vmcs.write(f.base(), s == org.haxm.emulator.cpu.Segment.CS ? 0xFFFF_0000L : 0);
            vmcs.write(f.limit(), 0xFFFF);
            vmcs.write(f.accessRights(), ar);
        }
        vmcs.write(VmcsField.GUEST_GDTR_BASE, 0);
        vmcs.write(VmcsField.GUEST_GDTR_LIMIT, 0xFFFF);
        vmcs.write(VmcsField.GUEST_IDTR_BASE, 0);
        vmcs.write(VmcsField.GUEST_IDTR_LIMIT, 0xFFFF);
        vmcs.write(VmcsField.GUEST_DR7, 0x400);
        vmcs.write(VmcsField.GUEST_IA32_PAT, 0x0007_0406_0007_0406L);
        vmcs.write(VmcsField.GUEST_IA32_EFER, 0);
        vmcs.write(VmcsField.GUEST_ACTIVITY_STATE, 0);
        vmcs.write(VmcsField.GUEST_INTERRUPTIBILITY_STATE, 0);
    }
}
