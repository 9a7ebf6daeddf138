package org.haxm.examples.setup;

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
}
