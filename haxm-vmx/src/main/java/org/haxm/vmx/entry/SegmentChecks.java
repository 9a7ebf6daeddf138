package org.haxm.vmx.entry;

import static org.haxm.vmx.SegmentAccessRights.DB;
import static org.haxm.vmx.SegmentAccessRights.G;
import static org.haxm.vmx.SegmentAccessRights.L;
import static org.haxm.vmx.SegmentAccessRights.P;
import static org.haxm.vmx.SegmentAccessRights.RESERVED;
import static org.haxm.vmx.SegmentAccessRights.S;
import static org.haxm.vmx.SegmentAccessRights.TYPE_ACCESSED;
import static org.haxm.vmx.SegmentAccessRights.TYPE_CODE;
import static org.haxm.vmx.SegmentAccessRights.TYPE_READ_WRITE;
import static org.haxm.vmx.entry.EntryContext.canonical;
import static org.haxm.vmx.entry.EntryContext.hex;

import org.haxm.vmx.GuestSegment;

/** Checks on the guest segment registers (SDM Vol. 3C §27.3.1.2). */
final class SegmentChecks {
    private SegmentChecks() {}

    private static final GuestSegment[] DATA = {GuestSegment.SS, GuestSegment.DS, GuestSegment.ES,
        GuestSegment.FS, GuestSegment.GS};
    private static final GuestSegment[] DS_TO_GS = {GuestSegment.DS, GuestSegment.ES, GuestSegment.FS, GuestSegment.GS};
    private static final GuestSegment[] ALL = GuestSegment.values();

    /** CS is always checked; the other registers only when usable (SDM: "if the register is usable"). */
    private static boolean checked(EntryContext c, GuestSegment s) {
        return s == GuestSegment.CS || c.usable(s);
    }

    /** In virtual-8086 mode the protected-mode segment rules are replaced by the v8086 ones. */
    private static boolean protectedRules(EntryContext c) { return !c.v8086(); }

    static String trTableIndicator(EntryContext c) {
        return (c.selector(GuestSegment.TR) & 4) == 0 ? null : "TR selector " + hex(c.selector(GuestSegment.TR)) + " has TI = 1";
    }

    static String ldtrTableIndicator(EntryContext c) {
        return !c.usable(GuestSegment.LDTR) || (c.selector(GuestSegment.LDTR) & 4) == 0 ? null
            : "usable LDTR selector " + hex(c.selector(GuestSegment.LDTR)) + " has TI = 1";
    }

    static String ssRplEqualsCsRpl(EntryContext c) {
        if (c.v8086() || c.unrestrictedGuest() || c.rpl(GuestSegment.SS) == c.rpl(GuestSegment.CS)) {
            return null;
        }
        return "SS.RPL " + c.rpl(GuestSegment.SS) + " differs from CS.RPL " + c.rpl(GuestSegment.CS);
    }

    static String v8086Segments(EntryContext c) {
        if (!c.v8086()) {
            return null;
        }
        for (GuestSegment s : new GuestSegment[] {GuestSegment.CS, GuestSegment.SS, GuestSegment.DS,
            GuestSegment.ES, GuestSegment.FS, GuestSegment.GS}) {
            long expectedBase = (long) c.selector(s) << 4;
            if (c.base(s) != expectedBase || c.limit(s) != 0xFFFF || c.ar(s) != 0xF3) {
                return s + " in virtual-8086 mode must have base = selector << 4 (" + hex(expectedBase)
                    + "), limit 0xFFFF and access rights 0xF3; has base " + hex(c.base(s)) + ", limit "
                    + hex(c.limit(s)) + ", AR " + hex(c.ar(s));
            }
        }
        return null;
    }

    static String bases(EntryContext c) {
        for (GuestSegment s : new GuestSegment[] {GuestSegment.TR, GuestSegment.FS, GuestSegment.GS}) {
            if (!canonical(c.base(s))) {
                return s + " base " + hex(c.base(s)) + " is not canonical";
            }
        }
        if (c.usable(GuestSegment.LDTR) && !canonical(c.base(GuestSegment.LDTR))) {
            return "usable LDTR base " + hex(c.base(GuestSegment.LDTR)) + " is not canonical";
        }
        if ((c.base(GuestSegment.CS) >>> 32) != 0) {
            return "CS base " + hex(c.base(GuestSegment.CS)) + " has bits 63:32 set";
        }
        for (GuestSegment s : new GuestSegment[] {GuestSegment.SS, GuestSegment.DS, GuestSegment.ES}) {
            if (c.usable(s) && (c.base(s) >>> 32) != 0) {
                return "usable " + s + " base " + hex(c.base(s)) + " has bits 63:32 set";
            }
        }
        return null;
    }

    static String csType(EntryContext c) {
        if (!protectedRules(c)) {
            return null;
        }
        int t = c.type(GuestSegment.CS);
        boolean ok = t == 9 || t == 11 || t == 13 || t == 15 || (t == 3 && c.unrestrictedGuest());
        return ok ? null : "CS type " + t + " is not an accessed code segment (9, 11, 13, 15"
            + (c.unrestrictedGuest() ? ", or 3 with unrestricted guest)" : ")");
    }

    static String ssType(EntryContext c) {
        if (!protectedRules(c) || !c.usable(GuestSegment.SS)) {
            return null;
        }
        int t = c.type(GuestSegment.SS);
        return t == 3 || t == 7 ? null : "usable SS type " + t + " is not a read/write accessed data segment (3 or 7)";
    }

    static String dataSegmentTypes(EntryContext c) {
        if (!protectedRules(c)) {
            return null;
        }
        for (GuestSegment s : DS_TO_GS) {
            if (!c.usable(s)) {
                continue;
            }
            int t = c.type(s);
            if ((t & TYPE_ACCESSED) == 0) {
                return "usable " + s + " type " + t + " is not accessed (bit 0)";
            }
            if ((t & TYPE_CODE) != 0 && (t & TYPE_READ_WRITE) == 0) {
                return "usable " + s + " type " + t + " is an execute-only code segment";
            }
        }
        return null;
    }

    static String descriptorTypeS(EntryContext c) {
        if (!protectedRules(c)) {
            return null;
        }
        for (GuestSegment s : new GuestSegment[] {GuestSegment.CS, GuestSegment.SS, GuestSegment.DS,
            GuestSegment.ES, GuestSegment.FS, GuestSegment.GS}) {
            if (checked(c, s) && !c.arBit(s, S)) {
                return s + " has S = 0 (system descriptor) but must be a code or data segment";
            }
        }
        return null;
    }

    static String csDpl(EntryContext c) {
        if (!protectedRules(c)) {
            return null;
        }
        int t = c.type(GuestSegment.CS);
        int cs = c.dpl(GuestSegment.CS);
        int ss = c.dpl(GuestSegment.SS);
        if (t == 3 && cs != 0) {
            return "CS type 3 (unrestricted guest) requires CS.DPL 0, got " + cs;
        }
        if ((t == 9 || t == 11) && cs != ss) {
            return "non-conforming CS.DPL " + cs + " must equal SS.DPL " + ss;
        }
        if ((t == 13 || t == 15) && cs > ss) {
            return "conforming CS.DPL " + cs + " must not exceed SS.DPL " + ss;
        }
        return null;
    }

    static String ssDpl(EntryContext c) {
        if (!protectedRules(c)) {
            return null;
        }
        int dpl = c.dpl(GuestSegment.SS);
        if (!c.unrestrictedGuest() && dpl != c.rpl(GuestSegment.SS)) {
            return "SS.DPL " + dpl + " must equal SS.RPL " + c.rpl(GuestSegment.SS) + " without unrestricted guest";
        }
        if ((c.type(GuestSegment.CS) == 3 || !c.protectedMode()) && dpl != 0) {
            return "SS.DPL must be 0 when CR0.PE is 0 or CS type is 3, got " + dpl;
        }
        return null;
    }

    static String dataDpl(EntryContext c) {
        if (!protectedRules(c) || c.unrestrictedGuest()) {
            return null;
        }
        for (GuestSegment s : DS_TO_GS) {
            if (c.usable(s) && c.type(s) <= 11 && c.dpl(s) < c.rpl(s)) {
                return "usable " + s + " (type " + c.type(s) + ") DPL " + c.dpl(s) + " is below its RPL " + c.rpl(s);
            }
        }
        return null;
    }

    static String present(EntryContext c) {
        if (!protectedRules(c)) {
            return null;
        }
        if (!c.arBit(GuestSegment.CS, P)) {
            return "CS is not present (P = 0)";
        }
        for (GuestSegment s : DATA) {
            if (c.usable(s) && !c.arBit(s, P)) {
                return "usable " + s + " is not present (P = 0)";
            }
        }
        return null;
    }

    static String accessRightsReserved(EntryContext c) {
        for (GuestSegment s : ALL) {
            if ((checked(c, s) || s == GuestSegment.TR) && (c.ar(s) & RESERVED) != 0) {
                return s + " access rights " + hex(c.ar(s)) + " set reserved bits " + hex(c.ar(s) & RESERVED);
            }
        }
        return null;
    }

    static String limitGranularity(EntryContext c) {
        for (GuestSegment s : ALL) {
            if (!checked(c, s) && s != GuestSegment.TR) {
                continue;
            }
            long limit = c.limit(s);
            boolean g = c.arBit(s, G);
            if ((limit & 0xFFF) != 0xFFF && g) {
                return s + " limit " + hex(limit) + " has bits 11:0 not all 1, so G must be 0";
            }
            if ((limit >>> 20) != 0 && !g) {
                return s + " limit " + hex(limit) + " exceeds 1 MByte, so G must be 1";
            }
        }
        return null;
    }

    static String csLongModeSize(EntryContext c) {
        return c.ia32eGuest() && c.arBit(GuestSegment.CS, L) && c.arBit(GuestSegment.CS, DB)
            ? "64-bit CS (L = 1) must have D/B = 0" : null;
    }

    static String trType(EntryContext c) {
        int t = c.type(GuestSegment.TR);
        if (t == 11 || (t == 3 && !c.ia32eGuest())) {
            return null;
        }
        return "TR type " + t + " must be 11 (busy 32/64-bit TSS)" + (c.ia32eGuest() ? "" : " or 3 (busy 16-bit TSS)");
    }

    static String trDescriptor(EntryContext c) {
        if (!c.usable(GuestSegment.TR)) {
            return "TR must be usable";
        }
        if (c.arBit(GuestSegment.TR, S)) {
            return "TR must be a system descriptor (S = 0)";
        }
        return c.arBit(GuestSegment.TR, P) ? null : "TR must be present (P = 1)";
    }

    static String ldtrDescriptor(EntryContext c) {
        if (!c.usable(GuestSegment.LDTR)) {
            return null;
        }
        if (c.type(GuestSegment.LDTR) != 2) {
            return "usable LDTR type " + c.type(GuestSegment.LDTR) + " must be 2 (LDT)";
        }
        if (c.arBit(GuestSegment.LDTR, S)) {
            return "usable LDTR must be a system descriptor (S = 0)";
        }
        return c.arBit(GuestSegment.LDTR, P) ? null : "usable LDTR must be present (P = 1)";
    }
}
