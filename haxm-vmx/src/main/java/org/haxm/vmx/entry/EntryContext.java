package org.haxm.vmx.entry;

import org.haxm.vmx.GuestSegment;
import org.haxm.vmx.SegmentAccessRights;
import org.haxm.vmx.Vmcs;
import org.haxm.vmx.VmcsField;
import org.haxm.vmx.VmxCapabilities;
import org.haxm.vmx.controls.EntryControls;
import org.haxm.vmx.controls.PrimaryProcBasedControls;
import org.haxm.vmx.controls.SecondaryProcBasedControls;

/**
 * What a VM-entry check looks at: the VMCS being entered and the capabilities of the CPU,
 * with small accessors in SDM terms so each rule reads like the SDM sentence it implements.
 */
final class EntryContext {
    static final long CR0_PE = 1L, CR0_PG = 1L << 31;
    static final long CR4_PAE = 1L << 5, CR4_PCIDE = 1L << 17;
    static final long RFLAGS_TF = 1L << 8, RFLAGS_IF = 1L << 9, RFLAGS_VM = 1L << 17;
    static final long EFER_LME = 1L << 8, EFER_LMA = 1L << 10;

    final Vmcs vmcs;
    final VmxCapabilities caps;

    EntryContext(Vmcs vmcs, VmxCapabilities caps) {
        this.vmcs = vmcs;
        this.caps = caps;
    }

    /** Where {@link #read} records the fields it reads (one bit per ordinal), or null. */
    private long[] recording;

    /** Starts (or, with null, stops) recording the fields rules read into {@code mask}. */
    void recordInto(long[] mask) { recording = mask; }

    /** The one way rules read the VMCS, so a rule's inputs can be recorded (see {@link EntryCheckMemo}). */
    long read(VmcsField f) {
        if (recording != null) recording[f.ordinal() >>> 6] |= 1L << f.ordinal();
        return vmcs.read(f);
    }

    int pinBased() { return (int) read(VmcsField.PIN_BASED_VM_EXEC_CONTROL); }

    int primaryProcBased() { return (int) read(VmcsField.PRIMARY_PROC_BASED_VM_EXEC_CONTROL); }

    /** Secondary controls, taken as 0 when primary bit 31 does not activate them (SDM §27.2.1.1). */
    int secondaryProcBased() {
        return (primaryProcBased() & PrimaryProcBasedControls.ACTIVATE_SECONDARY_CONTROLS) != 0
            ? (int) read(VmcsField.SECONDARY_PROC_BASED_VM_EXEC_CONTROL) : 0;
    }

    int exitControls() { return (int) read(VmcsField.VM_EXIT_CONTROLS); }

    int entryControls() { return (int) read(VmcsField.VM_ENTRY_CONTROLS); }

    boolean pin(int bit) { return (pinBased() & bit) != 0; }

    boolean primary(int bit) { return (primaryProcBased() & bit) != 0; }

    boolean secondary(int bit) { return (secondaryProcBased() & bit) != 0; }

    boolean exit(int bit) { return (exitControls() & bit) != 0; }

    boolean entry(int bit) { return (entryControls() & bit) != 0; }

    boolean unrestrictedGuest() { return secondary(SecondaryProcBasedControls.UNRESTRICTED_GUEST); }

    boolean ia32eGuest() { return entry(EntryControls.IA32E_MODE_GUEST); }

    long cr0() { return read(VmcsField.GUEST_CR0); }

    long cr4() { return read(VmcsField.GUEST_CR4); }

    long rflags() { return read(VmcsField.GUEST_RFLAGS); }

    boolean protectedMode() { return (cr0() & CR0_PE) != 0; }

    boolean v8086() { return (rflags() & RFLAGS_VM) != 0; }

    long interruptionInfo() { return read(VmcsField.VM_ENTRY_INTERRUPTION_INFO); }

    boolean injecting() { return (interruptionInfo() & (1L << 31)) != 0; }

    int injectedType() { return (int) (interruptionInfo() >>> 8) & 7; }

    int injectedVector() { return (int) interruptionInfo() & 0xFF; }

    // ---- segments

    int selector(GuestSegment s) { return (int) read(s.selector()); }

    int rpl(GuestSegment s) { return selector(s) & 3; }

    long base(GuestSegment s) { return read(s.base()); }

    long limit(GuestSegment s) { return read(s.limit()); }

    long ar(GuestSegment s) { return read(s.accessRights()); }

    boolean usable(GuestSegment s) { return !SegmentAccessRights.unusable(ar(s)); }

    int type(GuestSegment s) { return SegmentAccessRights.type(ar(s)); }

    int dpl(GuestSegment s) { return SegmentAccessRights.dpl(ar(s)); }

    boolean arBit(GuestSegment s, int bit) { return SegmentAccessRights.has(ar(s), bit); }

    // ---- address helpers

    /** 48-bit canonical: bits 63:47 all equal (SDM Vol. 1 §3.3.7.1). */
    static boolean canonical(long address) { return (address << 16 >> 16) == address; }

    boolean withinPhysical(long address) { return caps.fitsPhysicalAddress(address); }

    static String hex(long v) { return "0x" + Long.toHexString(v); }
}
