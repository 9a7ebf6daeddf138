package org.haxm.vmx.entry;

import static org.haxm.vmx.entry.EntryContext.hex;

import org.haxm.vmx.VmcsField;
import org.haxm.vmx.VmxCapabilities;
import org.haxm.vmx.controls.EntryControls;
import org.haxm.vmx.controls.ExitControls;
import org.haxm.vmx.controls.PinBasedControls;
import org.haxm.vmx.controls.PrimaryProcBasedControls;
import org.haxm.vmx.controls.SecondaryProcBasedControls;

/** The check bodies behind {@link ControlRule} (SDM Vol. 3C §27.2.1). */
final class ControlChecks {
    private ControlChecks() {}

    private static final long PAGE_MASK = 0xFFF;

    static String controlWord(String name, int value, long capabilityMsr) {
        if (VmxCapabilities.allows(value, capabilityMsr)) {
            return null;
        }
        int mustBe1 = (int) capabilityMsr;
        int mayBe1 = (int) (capabilityMsr >>> 32);
        return String.format("%s = 0x%08X: bits 0x%08X must be 1, bits 0x%08X must be 0", name, value,
            ~value & mustBe1, value & ~mayBe1);
    }

    static String pinBased(EntryContext c) {
        return controlWord("pin-based controls", c.pinBased(), c.caps.pinBasedControlsMsr());
    }

    static String primaryProcBased(EntryContext c) {
        return controlWord("primary processor-based controls", c.primaryProcBased(), c.caps.primaryProcBasedControlsMsr());
    }

    static String secondaryProcBased(EntryContext c) {
        return controlWord("secondary processor-based controls", c.secondaryProcBased(),
            c.caps.secondaryProcBasedControlsMsr());
    }

    static String exitControls(EntryContext c) {
        return controlWord("VM-exit controls", c.exitControls(), c.caps.exitControlsMsr());
    }

    static String entryControls(EntryContext c) {
        return controlWord("VM-entry controls", c.entryControls(), c.caps.entryControlsMsr());
    }

    static String cr3TargetCount(EntryContext c) {
        long count = c.read(VmcsField.CR3_TARGET_COUNT);
        return count <= c.caps.cr3TargetCount() ? null
            : "CR3-target count " + count + " exceeds the " + c.caps.cr3TargetCount() + " values IA32_VMX_MISC[24:16] allows";
    }

    /** A 4-KByte aligned physical address below MAXPHYADDR, or what is wrong with it. */
    static String pageAddress(EntryContext c, VmcsField field) {
        long a = c.read(field);
        if ((a & PAGE_MASK) != 0) {
            return field + " " + hex(a) + " is not 4-KByte aligned";
        }
        return c.withinPhysical(a) ? null : field + " " + hex(a) + " exceeds MAXPHYADDR (" + c.caps.physicalAddressWidth() + " bits)";
    }

    static String ioBitmaps(EntryContext c) {
        if (!c.primary(PrimaryProcBasedControls.USE_IO_BITMAPS)) {
            return null;
        }
        String a = pageAddress(c, VmcsField.IO_BITMAP_A);
        return a != null ? a : pageAddress(c, VmcsField.IO_BITMAP_B);
    }

    static String msrBitmap(EntryContext c) {
        return c.primary(PrimaryProcBasedControls.USE_MSR_BITMAPS) ? pageAddress(c, VmcsField.MSR_BITMAP) : null;
    }

    static String tprShadowDependents(EntryContext c) {
        if (c.primary(PrimaryProcBasedControls.USE_TPR_SHADOW)) {
            return null;
        }
        int dependents = SecondaryProcBasedControls.VIRTUALIZE_X2APIC_MODE
            | SecondaryProcBasedControls.APIC_REGISTER_VIRTUALIZATION | SecondaryProcBasedControls.VIRTUAL_INTERRUPT_DELIVERY;
        return (c.secondaryProcBased() & dependents) == 0 ? null
            : "secondary controls 0x" + Integer.toHexString(c.secondaryProcBased() & dependents) + " need \"use TPR shadow\"";
    }

    static String virtualNmisNeedNmiExiting(EntryContext c) {
        return c.pin(PinBasedControls.VIRTUAL_NMIS) && !c.pin(PinBasedControls.NMI_EXITING)
            ? "\"virtual NMIs\" is 1 but \"NMI exiting\" is 0" : null;
    }

    static String nmiWindowNeedsVirtualNmis(EntryContext c) {
        return c.primary(PrimaryProcBasedControls.NMI_WINDOW_EXITING) && !c.pin(PinBasedControls.VIRTUAL_NMIS)
            ? "\"NMI-window exiting\" is 1 but \"virtual NMIs\" is 0" : null;
    }

    static String vpidNonZero(EntryContext c) {
        return c.secondary(SecondaryProcBasedControls.ENABLE_VPID) && c.read(VmcsField.VIRTUAL_PROCESSOR_ID) == 0
            ? "\"enable VPID\" is 1 but the VPID field is 0000H (reserved for the host)" : null;
    }

    static String eptPointer(EntryContext c) {
        if (!c.secondary(SecondaryProcBasedControls.ENABLE_EPT)) {
            return null;
        }
        long eptp = c.read(VmcsField.EPT_POINTER);
        String why = eptPointerProblem(eptp, c.caps);
        return why == null ? null : "EPTP " + hex(eptp) + ": " + why;
    }

    /**
     * Why an EPTP value is invalid for this CPU, or {@code null} if valid (SDM Vol. 3C §25.6.11
     * and §27.2.1.1). Public helper for INVEPT single-context checks too.
     */
    static String eptPointerProblem(long eptp, VmxCapabilities caps) {
        int memoryType = (int) eptp & 7;
        boolean typeOk = (memoryType == 0 && caps.hasEptVpidCap(VmxCapabilities.EPT_CAP_MEMTYPE_UC))
            || (memoryType == 6 && caps.hasEptVpidCap(VmxCapabilities.EPT_CAP_MEMTYPE_WB));
        if (!typeOk) {
            return "memory type (bits 2:0) " + memoryType + " is not a supported EPT paging-structure type";
        }
        int walkMinus1 = (int) (eptp >>> 3) & 7;
        boolean walkOk = (walkMinus1 == 3 && caps.hasEptVpidCap(VmxCapabilities.EPT_CAP_WALK_4))
            || (walkMinus1 == 4 && caps.hasEptVpidCap(VmxCapabilities.EPT_CAP_WALK_5));
        if (!walkOk) {
            return "page-walk length - 1 (bits 5:3) is " + walkMinus1 + "; this CPU supports 3 (4-level walk)";
        }
        if ((eptp & (1L << 6)) != 0 && !caps.hasEptVpidCap(VmxCapabilities.EPT_CAP_ACCESSED_DIRTY)) {
            return "bit 6 enables accessed/dirty flags, which this CPU does not support";
        }
        if ((eptp & 0xF80L) != 0) {
            return "reserved bits 11:7 are not 0";
        }
        return caps.fitsPhysicalAddress(eptp) ? null
            : "PML4 address bits above MAXPHYADDR (" + caps.physicalAddressWidth() + ") are set";
    }

    static String unrestrictedGuestNeedsEpt(EntryContext c) {
        return c.secondary(SecondaryProcBasedControls.UNRESTRICTED_GUEST) && !c.secondary(SecondaryProcBasedControls.ENABLE_EPT)
            ? "\"unrestricted guest\" is 1 but \"enable EPT\" is 0" : null;
    }

    static String savePreemptionTimer(EntryContext c) {
        return c.exit(ExitControls.SAVE_PREEMPTION_TIMER) && !c.pin(PinBasedControls.ACTIVATE_PREEMPTION_TIMER)
            ? "\"save VMX-preemption-timer value\" is 1 but \"activate VMX-preemption timer\" is 0" : null;
    }

    /** An MSR list: 16-byte aligned, and its last byte below MAXPHYADDR (SDM §27.2.1.2/§27.2.1.3). */
    static String msrList(EntryContext c, VmcsField countField, VmcsField addressField) {
        long count = c.read(countField);
        if (count == 0) {
            return null;
        }
        long address = c.read(addressField);
        if ((address & 0xF) != 0) {
            return addressField + " " + hex(address) + " is not 16-byte aligned";
        }
        long last = address + count * 16 - 1;
        return c.withinPhysical(address) && c.withinPhysical(last) ? null
            : addressField + " " + hex(address) + " with " + count + " entries runs past MAXPHYADDR";
    }

    static String exitMsrStore(EntryContext c) {
        return msrList(c, VmcsField.VM_EXIT_MSR_STORE_COUNT, VmcsField.VM_EXIT_MSR_STORE_ADDR);
    }

    static String exitMsrLoad(EntryContext c) {
        return msrList(c, VmcsField.VM_EXIT_MSR_LOAD_COUNT, VmcsField.VM_EXIT_MSR_LOAD_ADDR);
    }

    static String entryMsrLoad(EntryContext c) {
        return msrList(c, VmcsField.VM_ENTRY_MSR_LOAD_COUNT, VmcsField.VM_ENTRY_MSR_LOAD_ADDR);
    }

    static String smmControls(EntryContext c) {
        int smm = EntryControls.ENTRY_TO_SMM | EntryControls.DEACTIVATE_DUAL_MONITOR;
        return (c.entryControls() & smm) == 0 ? null
            : "\"entry to SMM\" and \"deactivate dual-monitor treatment\" must be 0 outside SMM";
    }
}
