package org.haxm.core.handlers;

import org.haxm.core.VirtualCpu;
import org.haxm.core.tunnel.ExitStatus;
import org.haxm.ept.MemorySlot;
import org.haxm.vmx.VmcsField;

/**
 * EPT violations (reason 48). The engine builds EPT entries for all mapped RAM, so a violation
 * means the guest touched an address with no RAM (MMIO) or wrote to ROM: the instruction is then
 * emulated with its MMIO accesses sent to the caller (FAST_MMIO), as HAXM does. An instruction
 * fetch from such an address cannot be emulated and stops the VCPU (HAXM: "fetch failure").
 */
final class EptViolationHandler {
    private EptViolationHandler() {}

    static ExitStatus handle(VirtualCpu v) {
        long gpa = v.vmcs().read(VmcsField.GUEST_PHYSICAL_ADDRESS);
        long qualification = v.vmcs().read(VmcsField.EXIT_QUALIFICATION);
        boolean fetch = (qualification & 4) != 0, write = (qualification & 2) != 0;
        MemorySlot slot = v.vm().memory().slotAt(gpa);
        if (fetch) {
            return v.panic("instruction fetch from guest-physical 0x" + Long.toHexString(gpa)
                + (slot == null ? ", which has no RAM" : ", which is not executable"));
        }
        if (slot != null && !(slot.readOnly() && write)) {
            return v.panic("EPT violation on mapped RAM at 0x" + Long.toHexString(gpa) + " (qualification 0x"
                + Long.toHexString(qualification) + ")");
        }
        v.mmio().begin();
        return v.emulateMmioInstruction();
    }
}
