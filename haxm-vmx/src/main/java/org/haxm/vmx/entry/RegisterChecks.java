package org.haxm.vmx.entry;

import static org.haxm.vmx.entry.EntryContext.CR0_PE;
import static org.haxm.vmx.entry.EntryContext.CR0_PG;
import static org.haxm.vmx.entry.EntryContext.CR4_PAE;
import static org.haxm.vmx.entry.EntryContext.CR4_PCIDE;
import static org.haxm.vmx.entry.EntryContext.EFER_LMA;
import static org.haxm.vmx.entry.EntryContext.EFER_LME;
import static org.haxm.vmx.entry.EntryContext.RFLAGS_IF;
import static org.haxm.vmx.entry.EntryContext.RFLAGS_VM;
import static org.haxm.vmx.entry.EntryContext.canonical;
import static org.haxm.vmx.entry.EntryContext.hex;

import org.haxm.vmx.GuestSegment;
import org.haxm.vmx.SegmentAccessRights;
import org.haxm.vmx.VmcsField;
import org.haxm.vmx.controls.EntryControls;
import org.haxm.vmx.qualification.InterruptionType;

/**
 * Checks on guest control registers, debug registers, MSRs (SDM Vol. 3C §27.3.1.1) and on
 * the descriptor-table registers, RIP and RFLAGS (§27.3.1.3).
 */
final class RegisterChecks {
    private RegisterChecks() {}

    /** IA32_DEBUGCTL bits that may be set: LBR, BTF and bits 15:6 (bits 5:2 and 63:16 reserved). */
    private static final long DEBUGCTL_DEFINED = 0xFFC3L;
    /** IA32_EFER bits: SCE, LME, LMA, NXE. */
    private static final long EFER_DEFINED = 1L | EFER_LME | EFER_LMA | (1L << 11);
    /** RFLAGS bits that must be 0: 63:22, 15, 5, 3. */
    private static final long RFLAGS_RESERVED = ~0x3F_FFFFL | (1L << 15) | (1L << 5) | (1L << 3);

    static String cr0Fixed(EntryContext c) {
        long fixed0 = c.caps.cr0Fixed0();
        if (c.unrestrictedGuest()) {
            fixed0 &= ~(CR0_PE | CR0_PG);   // the UG relaxation: real mode and unpaged protected mode allowed
        }
        long cr0 = c.cr0();
        long missing = fixed0 & ~cr0;
        long extra = cr0 & ~c.caps.cr0Fixed1();
        if (missing != 0) {
            return "CR0 " + hex(cr0) + " lacks bits " + hex(missing) + " that IA32_VMX_CR0_FIXED0 requires"
                + (c.unrestrictedGuest() ? "" : " (PE and PG may be 0 only with \"unrestricted guest\")");
        }
        return extra == 0 ? null : "CR0 " + hex(cr0) + " sets bits " + hex(extra) + " that IA32_VMX_CR0_FIXED1 forbids";
    }

    static String cr0PagingNeedsProtection(EntryContext c) {
        return (c.cr0() & CR0_PG) != 0 && (c.cr0() & CR0_PE) == 0 ? "CR0.PG is 1 but CR0.PE is 0" : null;
    }

    static String cr4Fixed(EntryContext c) {
        long cr4 = c.cr4();
        long missing = c.caps.cr4Fixed0() & ~cr4;
        long extra = cr4 & ~c.caps.cr4Fixed1();
        if (missing != 0) {
            return "CR4 " + hex(cr4) + " lacks bits " + hex(missing) + " that IA32_VMX_CR4_FIXED0 requires";
        }
        return extra == 0 ? null : "CR4 " + hex(cr4) + " sets bits " + hex(extra) + " that IA32_VMX_CR4_FIXED1 forbids";
    }

    static String cr3Width(EntryContext c) {
        long cr3 = c.read(VmcsField.GUEST_CR3);
        return c.withinPhysical(cr3) ? null : "CR3 " + hex(cr3) + " has bits beyond MAXPHYADDR (" + c.caps.physicalAddressWidth() + ")";
    }

    static String debugControls(EntryContext c) {
        if (!c.entry(EntryControls.LOAD_DEBUG_CONTROLS)) {
            return null;
        }
        long debugctl = c.read(VmcsField.GUEST_IA32_DEBUGCTL);
        if ((debugctl & ~DEBUGCTL_DEFINED) != 0) {
            return "IA32_DEBUGCTL " + hex(debugctl) + " sets reserved bits";
        }
        long dr7 = c.read(VmcsField.GUEST_DR7);
        return (dr7 >>> 32) == 0 ? null : "DR7 " + hex(dr7) + " has bits 63:32 set";
    }

    static String ia32eNeedsPaging(EntryContext c) {
        return c.ia32eGuest() && (c.cr0() & CR0_PG) == 0 ? "\"IA-32e mode guest\" is 1 but CR0.PG is 0" : null;
    }

    static String ia32eNeedsPae(EntryContext c) {
        return c.ia32eGuest() && (c.cr4() & CR4_PAE) == 0 ? "\"IA-32e mode guest\" is 1 but CR4.PAE is 0" : null;
    }

    static String pcideNeedsIa32e(EntryContext c) {
        return !c.ia32eGuest() && (c.cr4() & CR4_PCIDE) != 0 ? "CR4.PCIDE is 1 outside IA-32e mode" : null;
    }

    static String sysenterCanonical(EntryContext c) {
        long esp = c.read(VmcsField.GUEST_IA32_SYSENTER_ESP);
        long eip = c.read(VmcsField.GUEST_IA32_SYSENTER_EIP);
        if (!canonical(esp)) {
            return "IA32_SYSENTER_ESP " + hex(esp) + " is not canonical";
        }
        return canonical(eip) ? null : "IA32_SYSENTER_EIP " + hex(eip) + " is not canonical";
    }

    static String pat(EntryContext c) {
        if (!c.entry(EntryControls.LOAD_IA32_PAT)) {
            return null;
        }
        long pat = c.read(VmcsField.GUEST_IA32_PAT);
        for (int i = 0; i < 8; i++) {
            int type = (int) (pat >>> (8 * i)) & 0xFF;
            if (type == 2 || type == 3 || type > 7) {
                return "IA32_PAT " + hex(pat) + " entry " + i + " has invalid memory type " + type;
            }
        }
        return null;
    }

    static String efer(EntryContext c) {
        if (!c.entry(EntryControls.LOAD_IA32_EFER)) {
            return null;
        }
        long efer = c.read(VmcsField.GUEST_IA32_EFER);
        if ((efer & ~EFER_DEFINED) != 0) {
            return "IA32_EFER " + hex(efer) + " sets reserved bits " + hex(efer & ~EFER_DEFINED);
        }
        boolean lma = (efer & EFER_LMA) != 0;
        if (lma != c.ia32eGuest()) {
            return "EFER.LMA is " + (lma ? 1 : 0) + " but \"IA-32e mode guest\" is " + (c.ia32eGuest() ? 1 : 0);
        }
        boolean lme = (efer & EFER_LME) != 0;
        return (c.cr0() & CR0_PG) != 0 && lme != lma ? "CR0.PG is 1, so EFER.LME must equal EFER.LMA" : null;
    }

    static String descriptorTables(EntryContext c) {
        long gdtr = c.read(VmcsField.GUEST_GDTR_BASE);
        long idtr = c.read(VmcsField.GUEST_IDTR_BASE);
        if (!canonical(gdtr)) {
            return "GDTR base " + hex(gdtr) + " is not canonical";
        }
        if (!canonical(idtr)) {
            return "IDTR base " + hex(idtr) + " is not canonical";
        }
        long gl = c.read(VmcsField.GUEST_GDTR_LIMIT);
        long il = c.read(VmcsField.GUEST_IDTR_LIMIT);
        if (gl > 0xFFFF) {
            return "GDTR limit " + hex(gl) + " has bits 31:16 set";
        }
        return il <= 0xFFFF ? null : "IDTR limit " + hex(il) + " has bits 31:16 set";
    }

    static String rip(EntryContext c) {
        long rip = c.read(VmcsField.GUEST_RIP);
        boolean longCs = c.ia32eGuest() && c.arBit(GuestSegment.CS, SegmentAccessRights.L);
        if (!longCs) {
            return (rip >>> 32) == 0 ? null : "RIP " + hex(rip) + " has bits 63:32 set outside 64-bit mode";
        }
        return canonical(rip) ? null : "RIP " + hex(rip) + " is not canonical";
    }

    static String rflagsReserved(EntryContext c) {
        long stray = c.rflags() & RFLAGS_RESERVED;
        return stray == 0 ? null : "RFLAGS " + hex(c.rflags()) + " sets reserved bits " + hex(stray);
    }

    static String rflagsBit1(EntryContext c) {
        return (c.rflags() & 2) != 0 ? null : "RFLAGS " + hex(c.rflags()) + " has bit 1 clear";
    }

    static String rflagsVm(EntryContext c) {
        if ((c.rflags() & RFLAGS_VM) == 0) {
            return null;
        }
        if (c.ia32eGuest()) {
            return "RFLAGS.VM is 1 in an IA-32e mode guest";
        }
        return c.protectedMode() ? null : "RFLAGS.VM is 1 while CR0.PE is 0";
    }

    static String rflagsIfForInterrupt(EntryContext c) {
        boolean extInt = c.injecting() && c.injectedType() == InterruptionType.EXTERNAL_INTERRUPT.code();
        return extInt && (c.rflags() & RFLAGS_IF) == 0 ? "injecting an external interrupt with RFLAGS.IF = 0" : null;
    }
}
