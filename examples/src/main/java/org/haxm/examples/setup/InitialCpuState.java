package org.haxm.examples.setup;

import java.util.Arrays;

import org.haxm.api.HaxSegment;
import org.haxm.api.HaxVcpu;
import org.haxm.api.HaxVcpuState;

/**
 * The register state a guest starts with, computed by {@link GuestModeSetup} and applied to a
 * VCPU by the VMM. General-purpose registers other than the stack pointer start at 0.
 *
 * @param mode the mode this state puts the CPU in
 * @param rip first instruction (offset in CS; CS base is 0 in every mode here)
 * @param rsp stack pointer
 * @param rflags RFLAGS (0x2: reserved bit 1 set, IF = 0)
 * @param cs code segment
 * @param ds data segment
 * @param es extra segment
 * @param fs FS
 * @param gs GS
 * @param ss stack segment
 * @param ldtr LDTR (unusable)
 * @param tr task register
 * @param gdtBase GDTR base
 * @param gdtLimit GDTR limit
 * @param idtBase IDTR base
 * @param idtLimit IDTR limit (0: no IDT, any exception escalates to a triple fault)
 * @param cr0 CR0
 * @param cr3 CR3 (page-structure root, 0 if paging is off)
 * @param cr4 CR4
 * @param efer IA32_EFER
 */
public record InitialCpuState(GuestMode mode, long rip, long rsp, long rflags,
                              SegmentState cs, SegmentState ds, SegmentState es, SegmentState fs,
                              SegmentState gs, SegmentState ss, SegmentState ldtr, SegmentState tr,
                              long gdtBase, int gdtLimit, long idtBase, int idtLimit,
                              long cr0, long cr3, long cr4, long efer) {
    /** IA32_EFER (SDM Vol. 4, MSR 0xC0000080); like HAXM, SET_REGS does not carry it. */
    private static final int IA32_EFER = 0xC000_0080;

    /**
     * Gives {@code vcpu} this state: SET_REGS with the registers and segments (other GPRs 0, CR2 0),
     * then EFER through SET_MSRS, as a HAXM client does (LMA must agree with CS.L and CR0.PG).
     */
    public void applyTo(HaxVcpu vcpu) {
        HaxVcpuState s = vcpu.getRegs();
        Arrays.fill(s.regs, 0);
        s.regs[4] = rsp;
        s.rip = rip;
        s.rflags = rflags;
        s.cs = hax(cs);
        s.ds = hax(ds);
        s.es = hax(es);
        s.fs = hax(fs);
        s.gs = hax(gs);
        s.ss = hax(ss);
        s.ldt = hax(ldtr);
        s.tr = hax(tr);
        s.gdt = new HaxSegment(0, gdtBase, gdtLimit, 0);
        s.idt = new HaxSegment(0, idtBase, idtLimit, 0);
        s.cr0 = cr0;
        s.cr2 = 0;
        s.cr3 = cr3;
        s.cr4 = cr4;
        vcpu.setRegs(s);
        vcpu.setMsr(IA32_EFER, efer);
    }

    private static HaxSegment hax(SegmentState s) {
        return new HaxSegment(s.selector(), s.base(), s.limit(), s.accessRights());
    }
}
