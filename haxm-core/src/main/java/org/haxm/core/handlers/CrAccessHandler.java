package org.haxm.core.handlers;

import org.haxm.core.VirtualCpu;
import org.haxm.core.transition.GuestStateTransfer;
import org.haxm.core.tunnel.ExitStatus;
import org.haxm.emulator.CpuException;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.vmx.VmcsField;
import org.haxm.vmx.qualification.CrAccessQualification;

/**
 * Control-register exits (reason 28). With the engine's masks they happen when the guest changes
 * a host-owned bit (CR0.NE, CR4.VMXE) or touches CR8.
 *
 * <p>CR0: the guest's value becomes the read shadow and the real CR0 keeps NE forced on; the write
 * itself is carried out by the model CPU, so its architectural checks (#GP) and side effects
 * (EFER.LMA, SDM Vol. 3A §10.8.5) are exactly those of a native write. CR4.VMXE: the model CPU
 * offers no VMX to its guests, so setting it is #GP(0). CR8: ignored / reads 0, as in HAXM (the
 * APIC is the caller's).
 */
final class CrAccessHandler {
    private CrAccessHandler() {}

    static ExitStatus handle(VirtualCpu v) {
        CrAccessQualification q = CrAccessQualification.decode(v.vmcs().read(VmcsField.EXIT_QUALIFICATION));
        long[] gpr = v.state().gpr;
        switch (q.accessType()) {
            case MOV_TO_CR -> {
                long value = q.gpr() == 4 ? v.vmcs().read(VmcsField.GUEST_RSP) : gpr[q.gpr()];
                switch (q.cr()) {
                    case 0 -> { return writeCr0(v, value); }
                    case 4 -> {
                        if ((value & CpuState.CR4_VMXE) != 0) { v.injectException(13, 0); return null; }
                        return writeCr(v, 4, value, VmcsField.CR4_READ_SHADOW);
                    }
                    case 8 -> { v.advanceRip(); return null; }
                    default -> { return v.panic("unexpected MOV to CR" + q.cr() + " exit"); }
                }
            }
            case MOV_FROM_CR -> {
                if (q.cr() == 8) {
                    if (q.gpr() == 4) v.vmcs().write(VmcsField.GUEST_RSP, 0); else gpr[q.gpr()] = 0;
                    v.advanceRip();
                    return null;
                }
                return v.panic("unexpected MOV from CR" + q.cr() + " exit");
            }
            default -> { return v.panic("unexpected " + q.accessType() + " exit"); }
        }
    }

    private static ExitStatus writeCr0(VirtualCpu v, long value) {
        return writeCr(v, 0, value, VmcsField.CR0_READ_SHADOW);
    }

    /** The model CPU performs the write with the guest's value (it runs with the guest's view of
     *  host-owned bits, see GuestStateTransfer); the new value becomes the read shadow, and the
     *  real VMCS field keeps the host-owned bits forced. */
    private static ExitStatus writeCr(VirtualCpu v, int cr, long value, VmcsField shadow) {
        GuestStateTransfer.load(v.vmcs(), v.state());
        try {
            v.cpu().writeCr(cr, value);
        } catch (CpuException fault) {
            v.injectFault(fault);
            return null;
        }
        v.vmcs().write(shadow, (cr == 0 ? value & 0xFFFF_FFFFL : value));
        GuestStateTransfer.store(v.state(), v.vmcs());
        long entry = v.vmcs().read(VmcsField.VM_ENTRY_CONTROLS);
        long ia32e = org.haxm.vmx.controls.EntryControls.IA32E_MODE_GUEST;
        v.vmcs().write(VmcsField.VM_ENTRY_CONTROLS, (v.state().efer & CpuState.EFER_LMA) != 0 ? entry | ia32e : entry & ~ia32e);
        v.advanceRip();
        return null;
    }
}
