package org.haxm.vmx.entry;

import static org.haxm.vmx.entry.EntryContext.CR0_PG;
import static org.haxm.vmx.entry.EntryContext.CR4_PAE;
import static org.haxm.vmx.entry.EntryContext.RFLAGS_IF;
import static org.haxm.vmx.entry.EntryContext.RFLAGS_TF;
import static org.haxm.vmx.entry.EntryContext.hex;

import org.haxm.vmx.GuestSegment;
import org.haxm.vmx.VmcsField;
import org.haxm.vmx.controls.PinBasedControls;
import org.haxm.vmx.controls.SecondaryProcBasedControls;
import org.haxm.vmx.qualification.InterruptionType;

/**
 * Checks on guest non-register state (SDM Vol. 3C §27.3.1.5) and on the PDPTEs loaded for PAE
 * paging (§27.3.1.6).
 */
final class NonRegisterChecks {
    private NonRegisterChecks() {}

    static final int ACTIVE = 0, HLT = 1, SHUTDOWN = 2, WAIT_FOR_SIPI = 3;
    static final long BLOCKING_BY_STI = 1, BLOCKING_BY_MOV_SS = 2, BLOCKING_BY_SMI = 4, BLOCKING_BY_NMI = 8;
    /** Interruptibility bits 31:5 are reserved. */
    private static final long INTERRUPTIBILITY_RESERVED = ~0x1FL;
    /** Pending-debug-exception bits 11:4, 13, 15 and 63:17 are reserved. */
    private static final long PENDING_DEBUG_RESERVED = 0xFF0L | (1L << 13) | (1L << 15) | (-1L << 17);
    private static final long PENDING_DEBUG_BS = 1L << 14;
    private static final long DEBUGCTL_BTF = 1L << 1;
    /** Reserved bits of a present PAE PDPTE: 2:1 and 8:5; bits 63:MAXPHYADDR (no XD in PDPTEs) are checked separately. */
    private static final long PDPTE_RESERVED_LOW = 0x1E6L;

    private static long activity(EntryContext c) { return c.read(VmcsField.GUEST_ACTIVITY_STATE); }

    private static long interruptibility(EntryContext c) { return c.read(VmcsField.GUEST_INTERRUPTIBILITY_STATE); }

    static String activityStateSupported(EntryContext c) {
        return c.caps.supportsActivityState(activity(c)) ? null
            : "activity state " + activity(c) + " is not one this CPU supports (0-3 per IA32_VMX_MISC[8:6])";
    }

    static String hltNeedsCpl0(EntryContext c) {
        return activity(c) == HLT && c.dpl(GuestSegment.SS) != 0
            ? "activity state HLT requires SS.DPL 0, got " + c.dpl(GuestSegment.SS) : null;
    }

    static String blockingNeedsActive(EntryContext c) {
        return (interruptibility(c) & (BLOCKING_BY_STI | BLOCKING_BY_MOV_SS)) != 0 && activity(c) != ACTIVE
            ? "blocking by STI or MOV SS requires the active state, activity state is " + activity(c) : null;
    }

    static String injectionAllowedInActivityState(EntryContext c) {
        if (!c.injecting()) {
            return null;
        }
        long state = activity(c);
        int type = c.injectedType();
        int vector = c.injectedVector();
        boolean nmi = type == InterruptionType.NMI.code();
        boolean mc = type == InterruptionType.HARDWARE_EXCEPTION.code() && vector == 18;
        boolean allowed = switch ((int) state) {
            case HLT -> type == InterruptionType.EXTERNAL_INTERRUPT.code() || nmi || mc
                || (type == InterruptionType.HARDWARE_EXCEPTION.code() && vector == 1)
                || (type == InterruptionType.OTHER_EVENT.code() && vector == 0);
            case SHUTDOWN -> nmi || mc;
            case WAIT_FOR_SIPI -> false;
            default -> true;
        };
        return allowed ? null : "event type " + type + " vector " + vector + " cannot be injected in activity state " + state;
    }

    static String interruptibilityReserved(EntryContext c) {
        long stray = interruptibility(c) & INTERRUPTIBILITY_RESERVED;
        return stray == 0 ? null : "interruptibility state sets reserved bits " + hex(stray);
    }

    static String stiAndMovSs(EntryContext c) {
        long both = BLOCKING_BY_STI | BLOCKING_BY_MOV_SS;
        return (interruptibility(c) & both) == both ? "blocking by STI and by MOV SS are both set" : null;
    }

    static String stiNeedsIf(EntryContext c) {
        return (interruptibility(c) & BLOCKING_BY_STI) != 0 && (c.rflags() & RFLAGS_IF) == 0
            ? "blocking by STI requires RFLAGS.IF = 1" : null;
    }

    static String smiBlocking(EntryContext c) {
        return (interruptibility(c) & BLOCKING_BY_SMI) != 0 ? "blocking by SMI is set outside SMM" : null;
    }

    static String injectionBlocked(EntryContext c) {
        if (!c.injecting()) {
            return null;
        }
        long i = interruptibility(c);
        int type = c.injectedType();
        if (type == InterruptionType.EXTERNAL_INTERRUPT.code() && (i & (BLOCKING_BY_STI | BLOCKING_BY_MOV_SS)) != 0) {
            return "an external interrupt cannot be injected during blocking by STI or MOV SS";
        }
        if (type == InterruptionType.NMI.code() && (i & BLOCKING_BY_MOV_SS) != 0) {
            return "an NMI cannot be injected during blocking by MOV SS";
        }
        if (type == InterruptionType.NMI.code() && c.pin(PinBasedControls.VIRTUAL_NMIS) && (i & BLOCKING_BY_NMI) != 0) {
            return "with virtual NMIs, an NMI cannot be injected while virtual-NMI blocking is set";
        }
        return null;
    }

    static String pendingDebugReserved(EntryContext c) {
        long p = c.read(VmcsField.GUEST_PENDING_DEBUG_EXCEPTIONS);
        return (p & PENDING_DEBUG_RESERVED) == 0 ? null
            : "pending debug exceptions " + hex(p) + " set reserved bits " + hex(p & PENDING_DEBUG_RESERVED);
    }

    static String pendingSingleStep(EntryContext c) {
        boolean blocked = (interruptibility(c) & (BLOCKING_BY_STI | BLOCKING_BY_MOV_SS)) != 0 || activity(c) == HLT;
        if (!blocked) {
            return null;
        }
        boolean tf = (c.rflags() & RFLAGS_TF) != 0;
        boolean btf = (c.read(VmcsField.GUEST_IA32_DEBUGCTL) & DEBUGCTL_BTF) != 0;
        boolean bs = (c.read(VmcsField.GUEST_PENDING_DEBUG_EXCEPTIONS) & PENDING_DEBUG_BS) != 0;
        boolean expected = tf && !btf;
        return bs == expected ? null
            : "with STI/MOV-SS blocking or HLT, pending BS must be " + (expected ? 1 : 0) + " (RFLAGS.TF=" + (tf ? 1 : 0)
              + ", DEBUGCTL.BTF=" + (btf ? 1 : 0) + ")";
    }

    static String vmcsLinkPointer(EntryContext c) {
        long link = c.read(VmcsField.VMCS_LINK_POINTER);
        return link == -1L ? null
            : "VMCS link pointer " + hex(link) + " must be FFFFFFFF_FFFFFFFFH (VMCS shadowing is not supported)";
    }

    static String pdptes(EntryContext c) {
        boolean paePaging = (c.cr0() & CR0_PG) != 0 && (c.cr4() & CR4_PAE) != 0 && !c.ia32eGuest();
        if (!paePaging || !c.secondary(SecondaryProcBasedControls.ENABLE_EPT)) {
            return null;   // without EPT the PDPTEs come from guest memory; the VCPU checks them when loading
        }
        VmcsField[] fields = {VmcsField.GUEST_PDPTE0, VmcsField.GUEST_PDPTE1, VmcsField.GUEST_PDPTE2, VmcsField.GUEST_PDPTE3};
        for (VmcsField f : fields) {
            long pdpte = c.read(f);
            boolean present = (pdpte & 1) != 0;
            if (present && ((pdpte & PDPTE_RESERVED_LOW) != 0 || !c.withinPhysical(pdpte))) {
                return f + " " + hex(pdpte) + " is present but sets reserved bits";
            }
        }
        return null;
    }
}
