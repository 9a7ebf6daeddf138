package org.haxm.vmx.entry;

import static org.haxm.vmx.VmcsField.*;

import org.haxm.vmx.GuestSegment;
import org.haxm.vmx.Vmcs;
import org.haxm.vmx.VmxCapabilities;
import org.haxm.vmx.controls.EntryControls;
import org.haxm.vmx.controls.ExitControls;
import org.haxm.vmx.controls.PinBasedControls;
import org.haxm.vmx.controls.PrimaryProcBasedControls;
import org.haxm.vmx.controls.SecondaryProcBasedControls;

/** Valid VMCS baselines for the entry-check tests: a 64-bit guest and a real-mode guest under UG. */
final class EntryFixtures {
    private EntryFixtures() {}

    static final VmxCapabilities CAPS = VmxCapabilities.defaults();

    static final long CR0_PE = 1, CR0_ET = 0x10, CR0_NE = 0x20, CR0_PG = 1L << 31;
    static final long CR4_PAE = 0x20, CR4_VMXE = 0x2000, CR4_PCIDE = 1L << 17;
    static final long EFER_LME = 0x100, EFER_LMA = 0x400;
    /** EPTP: WB (6), 4-level walk (3 << 3), PML4 at 0x10000. */
    static final long VALID_EPTP = 0x10000 | 6 | (3 << 3);

    /** A 64-bit kernel-mode guest with EPT and VPID, HAXM-style controls. */
    static Vmcs longMode() {
        Vmcs v = new Vmcs(CAPS.revisionId());
        commonControls(v, SecondaryProcBasedControls.ENABLE_EPT | SecondaryProcBasedControls.ENABLE_VPID);
        v.write32(VM_EXIT_CONTROLS, CAPS.adjustExit(ExitControls.HOST_ADDRESS_SPACE_SIZE | ExitControls.LOAD_IA32_EFER));
        v.write32(VM_ENTRY_CONTROLS, CAPS.adjustEntry(EntryControls.IA32E_MODE_GUEST | EntryControls.LOAD_IA32_EFER
            | EntryControls.LOAD_DEBUG_CONTROLS));
        v.write(GUEST_CR0, CR0_PE | CR0_ET | CR0_NE | CR0_PG);
        v.write(GUEST_CR4, CR4_PAE | CR4_VMXE);
        v.write(GUEST_CR3, 0x5000);
        v.write(GUEST_IA32_EFER, EFER_LME | EFER_LMA | 1);
        v.write(GUEST_RIP, 0xFFFF_8000_0000_1000L);
        v.write(GUEST_RSP, 0xFFFF_8000_0000_8000L);
        segment(v, GuestSegment.CS, 0x08, 0, 0xFFFF_FFFFL, 0xA09B);
        for (GuestSegment s : new GuestSegment[] {GuestSegment.SS, GuestSegment.DS, GuestSegment.ES, GuestSegment.FS, GuestSegment.GS}) {
            segment(v, s, 0x10, 0, 0xFFFF_FFFFL, 0xC093);
        }
        segment(v, GuestSegment.TR, 0x18, 0x7000, 0x67, 0x8B);
        segment(v, GuestSegment.LDTR, 0, 0, 0, 0x1_0000);
        v.write(GUEST_GDTR_BASE, 0x6000);
        v.write(GUEST_GDTR_LIMIT, 0x1F);
        v.write(GUEST_IDTR_BASE, 0x6100);
        v.write(GUEST_IDTR_LIMIT, 0xFFF);
        commonGuestState(v);
        return v;
    }

    /** The 64-bit guest dropped to user mode: CS and SS at DPL/RPL 3. */
    static Vmcs longModeUser() {
        Vmcs v = longMode();
        segment(v, GuestSegment.CS, 0x2B, 0, 0xFFFF_FFFFL, 0xA0FB);
        segment(v, GuestSegment.SS, 0x23, 0, 0xFFFF_FFFFL, 0xC0F3);
        return v;
    }

    /** A 32-bit PAE-paging guest (not IA-32e) with EPT, so the PDPTEs come from the VMCS. */
    static Vmcs pae32() {
        Vmcs v = longMode();
        v.write32(VM_ENTRY_CONTROLS, CAPS.adjustEntry(EntryControls.LOAD_IA32_EFER | EntryControls.LOAD_DEBUG_CONTROLS));
        v.write(GUEST_IA32_EFER, 0);
        v.write(GUEST_RIP, 0x1000);
        segment(v, GuestSegment.CS, 0x08, 0, 0xFFFF_FFFFL, 0xC09B);
        v.write(GUEST_PDPTE0, 0x9001);
        return v;
    }

    /** The processor state after reset, run directly thanks to unrestricted guest. */
    static Vmcs realModeUnrestricted() {
        Vmcs v = new Vmcs(CAPS.revisionId());
        commonControls(v, SecondaryProcBasedControls.ENABLE_EPT | SecondaryProcBasedControls.UNRESTRICTED_GUEST);
        v.write32(VM_EXIT_CONTROLS, CAPS.adjustExit(ExitControls.HOST_ADDRESS_SPACE_SIZE));
        v.write32(VM_ENTRY_CONTROLS, CAPS.adjustEntry(EntryControls.LOAD_DEBUG_CONTROLS));
        v.write(GUEST_CR0, CR0_ET | CR0_NE);
        v.write(GUEST_CR4, CR4_VMXE);
        v.write(GUEST_RIP, 0xFFF0);
        segment(v, GuestSegment.CS, 0xF000, 0xFFFF_0000L, 0xFFFF, 0x9B);
        for (GuestSegment s : new GuestSegment[] {GuestSegment.SS, GuestSegment.DS, GuestSegment.ES, GuestSegment.FS, GuestSegment.GS}) {
            segment(v, s, 0, 0, 0xFFFF, 0x93);
        }
        segment(v, GuestSegment.TR, 0, 0, 0xFFFF, 0x8B);
        segment(v, GuestSegment.LDTR, 0, 0, 0xFFFF, 0x82);
        v.write(GUEST_GDTR_LIMIT, 0xFFFF);
        v.write(GUEST_IDTR_LIMIT, 0xFFFF);
        commonGuestState(v);
        return v;
    }

    private static void commonControls(Vmcs v, int secondary) {
        v.write32(PIN_BASED_VM_EXEC_CONTROL, CAPS.adjustPinBased(PinBasedControls.EXTERNAL_INTERRUPT_EXITING
            | PinBasedControls.NMI_EXITING));
        v.write32(PRIMARY_PROC_BASED_VM_EXEC_CONTROL, CAPS.adjustPrimaryProcBased(PrimaryProcBasedControls.HLT_EXITING
            | PrimaryProcBasedControls.USE_IO_BITMAPS | PrimaryProcBasedControls.USE_MSR_BITMAPS
            | PrimaryProcBasedControls.ACTIVATE_SECONDARY_CONTROLS));
        v.write32(SECONDARY_PROC_BASED_VM_EXEC_CONTROL, CAPS.adjustSecondaryProcBased(secondary));
        v.write(IO_BITMAP_A, 0x1000);
        v.write(IO_BITMAP_B, 0x2000);
        v.write(MSR_BITMAP, 0x3000);
        v.write(EPT_POINTER, VALID_EPTP);
        v.write16(VIRTUAL_PROCESSOR_ID, 1);
    }

    private static void commonGuestState(Vmcs v) {
        v.write(GUEST_RFLAGS, 0x2);
        v.write(GUEST_DR7, 0x400);
        v.write(VMCS_LINK_POINTER, -1L);
        v.write(GUEST_ACTIVITY_STATE, 0);
        v.write(GUEST_INTERRUPTIBILITY_STATE, 0);
    }

    static void segment(Vmcs v, GuestSegment s, int selector, long base, long limit, int ar) {
        v.write16(s.selector(), selector);
        v.write(s.base(), base);
        v.write(s.limit(), limit);
        v.write32(s.accessRights(), ar);
    }

    static void setAr(Vmcs v, GuestSegment s, long ar) { v.write(s.accessRights(), ar); }

    static void orField(Vmcs v, org.haxm.vmx.VmcsField f, long bits) { v.write(f, v.read(f) | bits); }

    static void andNotField(Vmcs v, org.haxm.vmx.VmcsField f, long bits) { v.write(f, v.read(f) & ~bits); }
}
