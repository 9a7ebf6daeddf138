package org.haxm.vmx;

import static org.haxm.vmx.controls.EntryControls.IA32E_MODE_GUEST;
import static org.haxm.vmx.controls.EntryControls.LOAD_IA32_EFER;
import static org.haxm.vmx.controls.PrimaryProcBasedControls.ACTIVATE_SECONDARY_CONTROLS;
import static org.haxm.vmx.controls.PrimaryProcBasedControls.CR8_LOAD_EXITING;
import static org.haxm.vmx.controls.PrimaryProcBasedControls.CR8_STORE_EXITING;
import static org.haxm.vmx.controls.PrimaryProcBasedControls.HLT_EXITING;
import static org.haxm.vmx.controls.PrimaryProcBasedControls.INTERRUPT_WINDOW_EXITING;
import static org.haxm.vmx.controls.PrimaryProcBasedControls.INVLPG_EXITING;
import static org.haxm.vmx.controls.PrimaryProcBasedControls.MONITOR_TRAP_FLAG;
import static org.haxm.vmx.controls.PrimaryProcBasedControls.MOV_DR_EXITING;
import static org.haxm.vmx.controls.PrimaryProcBasedControls.NMI_WINDOW_EXITING;
import static org.haxm.vmx.controls.PrimaryProcBasedControls.RDTSC_EXITING;
import static org.haxm.vmx.controls.PrimaryProcBasedControls.UNCONDITIONAL_IO_EXITING;
import static org.haxm.vmx.controls.PrimaryProcBasedControls.USE_IO_BITMAPS;
import static org.haxm.vmx.controls.PrimaryProcBasedControls.USE_MSR_BITMAPS;
import static org.haxm.vmx.controls.PrimaryProcBasedControls.USE_TSC_OFFSETTING;

import java.util.Arrays;
import org.haxm.vmx.controls.EntryControls;
import org.haxm.vmx.controls.ExitControls;
import org.haxm.vmx.controls.PinBasedControls;
import org.haxm.vmx.controls.PrimaryProcBasedControls;
import org.haxm.vmx.controls.SecondaryProcBasedControls;

/**
 * The VMX capability MSRs this software CPU reports (SDM Vol. 3C Appendix A), and the helpers
 * a VMM uses with them.
 *
 * <p>Each control-word MSR holds the allowed-0 settings in bits 31:0 (a 1 means the control
 * must be 1) and the allowed-1 settings in bits 63:32 (a 0 means the control must be 0). We
 * report TRUE control MSRs (IA32_VMX_BASIC[55] = 1), so the "default1" bits that the TRUE MSRs
 * free (CR3-load/store exiting, save/load debug controls) may be cleared.
 *
 * <p>What this CPU offers mirrors what the engine models and what HAXM asks for: EPT with
 * 4-level walks, WB/UC structure memory type, 2-MByte pages, accessed/dirty flags and
 * single/all-context INVEPT; VPID with all INVVPID types; unrestricted guest; HLT, INVLPG,
 * RDTSC, CR8 and MOV-DR exiting; I/O and MSR bitmaps; interrupt- and NMI-window exiting;
 * monitor trap flag; load/save of EFER and PAT. Instances are immutable; {@link #withMsr}
 * derives variants (useful to test a VMM against a smaller CPU).
 */
public final class VmxCapabilities {

    public static final int IA32_VMX_BASIC = 0x480;
    public static final int IA32_VMX_PINBASED_CTLS = 0x481;
    public static final int IA32_VMX_PROCBASED_CTLS = 0x482;
    public static final int IA32_VMX_EXIT_CTLS = 0x483;
    public static final int IA32_VMX_ENTRY_CTLS = 0x484;
    public static final int IA32_VMX_MISC = 0x485;
    public static final int IA32_VMX_CR0_FIXED0 = 0x486;
    public static final int IA32_VMX_CR0_FIXED1 = 0x487;
    public static final int IA32_VMX_CR4_FIXED0 = 0x488;
    public static final int IA32_VMX_CR4_FIXED1 = 0x489;
    public static final int IA32_VMX_VMCS_ENUM = 0x48A;
    public static final int IA32_VMX_PROCBASED_CTLS2 = 0x48B;
    public static final int IA32_VMX_EPT_VPID_CAP = 0x48C;
    public static final int IA32_VMX_TRUE_PINBASED_CTLS = 0x48D;
    public static final int IA32_VMX_TRUE_PROCBASED_CTLS = 0x48E;
    public static final int IA32_VMX_TRUE_EXIT_CTLS = 0x48F;
    public static final int IA32_VMX_TRUE_ENTRY_CTLS = 0x490;
    public static final int IA32_VMX_VMFUNC = 0x491;

    /** Our own VMCS revision identifier ("JX"), enforced on VMPTRLD and VMXON. */
    public static final int REVISION_ID = 0x4A58;
    /** VMCS region size reported in IA32_VMX_BASIC[44:32]. */
    public static final int REGION_SIZE = 4096;
    /** Default MAXPHYADDR: 39 bits, as on the desktop CPUs HAXM usually ran on. */
    public static final int DEFAULT_PHYSICAL_ADDRESS_WIDTH = 39;

    /** IA32_VMX_BASIC[55]: TRUE control MSRs exist. */
    public static final long BASIC_TRUE_CONTROLS = 1L << 55;
    /** VM exits caused by INS/OUTS report the VM-exit instruction-information field (address size, segment). */
    public static final long BASIC_INS_OUTS_INFORMATION = 1L << 54;
    /** IA32_VMX_BASIC[53:50] = 6: VMCS and referenced structures are write-back memory. */
    public static final long BASIC_MEMORY_TYPE_WB = 6L << 50;

    /** IA32_VMX_MISC[5]: exits store EFER.LMA into the IA-32e-mode-guest entry control. */
    public static final long MISC_STORE_LMA = 1L << 5;
    /** IA32_VMX_MISC[6]: activity state HLT supported. */
    public static final long MISC_ACTIVITY_HLT = 1L << 6;
    /** IA32_VMX_MISC[7]: activity state shutdown supported. */
    public static final long MISC_ACTIVITY_SHUTDOWN = 1L << 7;
    /** IA32_VMX_MISC[8]: activity state wait-for-SIPI supported. */
    public static final long MISC_ACTIVITY_WAIT_FOR_SIPI = 1L << 8;
    /** IA32_VMX_MISC[24:16]: number of CR3-target values. */
    public static final int MISC_CR3_TARGET_SHIFT = 16;

    /** EPT_VPID_CAP bits (SDM Appendix A.10). */
    public static final long EPT_CAP_EXECUTE_ONLY = 1L, EPT_CAP_WALK_4 = 1L << 6, EPT_CAP_WALK_5 = 1L << 7,
        EPT_CAP_MEMTYPE_UC = 1L << 8, EPT_CAP_MEMTYPE_WB = 1L << 14, EPT_CAP_2MB_PAGES = 1L << 16,
        EPT_CAP_1GB_PAGES = 1L << 17, EPT_CAP_INVEPT = 1L << 20, EPT_CAP_ACCESSED_DIRTY = 1L << 21,
        EPT_CAP_INVEPT_SINGLE_CONTEXT = 1L << 25, EPT_CAP_INVEPT_ALL_CONTEXT = 1L << 26,
        VPID_CAP_INVVPID = 1L << 32, VPID_CAP_INDIVIDUAL_ADDRESS = 1L << 40, VPID_CAP_SINGLE_CONTEXT = 1L << 41,
        VPID_CAP_ALL_CONTEXT = 1L << 42, VPID_CAP_SINGLE_CONTEXT_RETAINING_GLOBALS = 1L << 43;

    private static final int FIRST = IA32_VMX_BASIC;
    private static final int LAST = IA32_VMX_VMFUNC;

    private static final VmxCapabilities DEFAULTS = new VmxCapabilities(defaultMsrs(), DEFAULT_PHYSICAL_ADDRESS_WIDTH);

    private final long[] msrs;
    private final int physicalAddressWidth;

    private VmxCapabilities(long[] msrs, int physicalAddressWidth) {
        this.msrs = msrs;
        this.physicalAddressWidth = physicalAddressWidth;
    }

    /** The capabilities of this software CPU. */
    public static VmxCapabilities defaults() { return DEFAULTS; }

    private static long[] defaultMsrs() {
        long[] m = new long[LAST - FIRST + 1];
        m[IA32_VMX_BASIC - FIRST] = REVISION_ID | ((long) REGION_SIZE << 32) | BASIC_MEMORY_TYPE_WB | BASIC_TRUE_CONTROLS
            | BASIC_INS_OUTS_INFORMATION;
        int pin1 = PinBasedControls.DEFAULT1 | PinBasedControls.EXTERNAL_INTERRUPT_EXITING
            | PinBasedControls.NMI_EXITING | PinBasedControls.VIRTUAL_NMIS;
        int proc1 = PrimaryProcBasedControls.DEFAULT1 | INTERRUPT_WINDOW_EXITING | USE_TSC_OFFSETTING | HLT_EXITING
            | INVLPG_EXITING | RDTSC_EXITING | CR8_LOAD_EXITING | CR8_STORE_EXITING | NMI_WINDOW_EXITING
            | MOV_DR_EXITING | UNCONDITIONAL_IO_EXITING | USE_IO_BITMAPS | MONITOR_TRAP_FLAG | USE_MSR_BITMAPS
            | ACTIVATE_SECONDARY_CONTROLS;
        int proc2 = SecondaryProcBasedControls.ENABLE_EPT | SecondaryProcBasedControls.ENABLE_RDTSCP
            | SecondaryProcBasedControls.ENABLE_VPID | SecondaryProcBasedControls.WBINVD_EXITING
            | SecondaryProcBasedControls.UNRESTRICTED_GUEST | SecondaryProcBasedControls.ENABLE_INVPCID;
        int exit1 = ExitControls.DEFAULT1 | ExitControls.HOST_ADDRESS_SPACE_SIZE
            | ExitControls.ACKNOWLEDGE_INTERRUPT_ON_EXIT | ExitControls.SAVE_IA32_PAT | ExitControls.LOAD_IA32_PAT
            | ExitControls.SAVE_IA32_EFER | ExitControls.LOAD_IA32_EFER;
        int entry1 = EntryControls.DEFAULT1 | IA32E_MODE_GUEST | EntryControls.LOAD_IA32_PAT | LOAD_IA32_EFER;
        m[IA32_VMX_PINBASED_CTLS - FIRST] = pair(PinBasedControls.DEFAULT1, pin1);
        m[IA32_VMX_PROCBASED_CTLS - FIRST] = pair(PrimaryProcBasedControls.DEFAULT1, proc1);
        m[IA32_VMX_EXIT_CTLS - FIRST] = pair(ExitControls.DEFAULT1, exit1);
        m[IA32_VMX_ENTRY_CTLS - FIRST] = pair(EntryControls.DEFAULT1, entry1);
        m[IA32_VMX_MISC - FIRST] = MISC_STORE_LMA | MISC_ACTIVITY_HLT | MISC_ACTIVITY_SHUTDOWN
            | MISC_ACTIVITY_WAIT_FOR_SIPI | (4L << MISC_CR3_TARGET_SHIFT);
        m[IA32_VMX_CR0_FIXED0 - FIRST] = 0x8000_0021L;          // PG, NE, PE (SDM A.7)
        m[IA32_VMX_CR0_FIXED1 - FIRST] = 0xFFFF_FFFFL;
        m[IA32_VMX_CR4_FIXED0 - FIRST] = 0x2000L;               // VMXE (SDM A.8)
        m[IA32_VMX_CR4_FIXED1 - FIRST] = 0x0037_27FFL;          // VME..OSXMMEXCPT, VMXE, FSGSBASE, PCIDE, OSXSAVE, SMEP, SMAP
        m[IA32_VMX_VMCS_ENUM - FIRST] = (long) VmcsField.highestIndex() << 1;
        m[IA32_VMX_PROCBASED_CTLS2 - FIRST] = pair(0, proc2);
        m[IA32_VMX_EPT_VPID_CAP - FIRST] = EPT_CAP_WALK_4 | EPT_CAP_MEMTYPE_UC | EPT_CAP_MEMTYPE_WB
            | EPT_CAP_2MB_PAGES | EPT_CAP_INVEPT | EPT_CAP_ACCESSED_DIRTY | EPT_CAP_INVEPT_SINGLE_CONTEXT
            | EPT_CAP_INVEPT_ALL_CONTEXT | VPID_CAP_INVVPID | VPID_CAP_INDIVIDUAL_ADDRESS | VPID_CAP_SINGLE_CONTEXT
            | VPID_CAP_ALL_CONTEXT | VPID_CAP_SINGLE_CONTEXT_RETAINING_GLOBALS;
        m[IA32_VMX_TRUE_PINBASED_CTLS - FIRST] = pair(PinBasedControls.DEFAULT1, pin1);
        m[IA32_VMX_TRUE_PROCBASED_CTLS - FIRST] = pair(PrimaryProcBasedControls.TRUE_DEFAULT1, proc1);
        m[IA32_VMX_TRUE_EXIT_CTLS - FIRST] = pair(ExitControls.TRUE_DEFAULT1, exit1);
        m[IA32_VMX_TRUE_ENTRY_CTLS - FIRST] = pair(EntryControls.TRUE_DEFAULT1, entry1);
        m[IA32_VMX_VMFUNC - FIRST] = 0;
        return m;
    }

    private static long pair(int allowed0, int allowed1) {
        return Integer.toUnsignedLong(allowed0) | ((long) allowed1 << 32);
    }

    // ---------------------------------------------------------------- MSR access

    /** True if {@code index} is one of the capability MSRs 0x480..0x491 this CPU implements. */
    public static boolean isCapabilityMsr(int index) { return index >= FIRST && index <= LAST; }

    /**
     * The value of capability MSR {@code index}.
     *
     * @throws IllegalArgumentException if {@code index} is not in 0x480..0x491
     */
    public long msr(int index) {
        if (!isCapabilityMsr(index)) {
            throw new IllegalArgumentException("index must be a VMX capability MSR in 0x480..0x491, got 0x"
                + Integer.toHexString(index));
        }
        return msrs[index - FIRST];
    }

    /** A copy with one MSR replaced (for modelling a different CPU, e.g. in tests). */
    public VmxCapabilities withMsr(int index, long value) {
        msr(index);
        long[] copy = Arrays.copyOf(msrs, msrs.length);
        copy[index - FIRST] = value;
        return new VmxCapabilities(copy, physicalAddressWidth);
    }

    /**
     * A copy with another MAXPHYADDR.
     *
     * @throws IllegalArgumentException if {@code bits} is outside 32..52
     */
    public VmxCapabilities withPhysicalAddressWidth(int bits) {
        if (bits < 32 || bits > 52) {
            throw new IllegalArgumentException("physical-address width must be in 32..52 bits, got " + bits);
        }
        return new VmxCapabilities(msrs, bits);
    }

    // ---------------------------------------------------------------- control adjustment

    /**
     * The VMM's recipe for a control word (SDM Vol. 3C Appendix A.3): set the bits that must be 1,
     * clear the bits that must be 0: {@code (wanted | allowed0) & allowed1}.
     */
    public static int adjust(int wanted, long capabilityMsr) {
        return (wanted | (int) capabilityMsr) & (int) (capabilityMsr >>> 32);
    }

    /** True if {@code value} satisfies both halves of {@code capabilityMsr} (the VM-entry check of §27.2.1.1). */
    public static boolean allows(int value, long capabilityMsr) {
        int mustBe1 = (int) capabilityMsr;
        int mayBe1 = (int) (capabilityMsr >>> 32);
        return (~value & mustBe1) == 0 && (value & ~mayBe1) == 0;
    }

    /** True if IA32_VMX_BASIC[55] says the TRUE control MSRs exist and apply. */
    public boolean hasTrueControls() { return (msr(IA32_VMX_BASIC) & BASIC_TRUE_CONTROLS) != 0; }

    /** The MSR that governs pin-based controls: the TRUE one if it exists. */
    public long pinBasedControlsMsr() { return msr(hasTrueControls() ? IA32_VMX_TRUE_PINBASED_CTLS : IA32_VMX_PINBASED_CTLS); }

    /** The MSR that governs primary processor-based controls. */
    public long primaryProcBasedControlsMsr() {
        return msr(hasTrueControls() ? IA32_VMX_TRUE_PROCBASED_CTLS : IA32_VMX_PROCBASED_CTLS);
    }

    /** The MSR that governs secondary processor-based controls. */
    public long secondaryProcBasedControlsMsr() { return msr(IA32_VMX_PROCBASED_CTLS2); }

    /** The MSR that governs primary VM-exit controls. */
    public long exitControlsMsr() { return msr(hasTrueControls() ? IA32_VMX_TRUE_EXIT_CTLS : IA32_VMX_EXIT_CTLS); }

    /** The MSR that governs VM-entry controls. */
    public long entryControlsMsr() { return msr(hasTrueControls() ? IA32_VMX_TRUE_ENTRY_CTLS : IA32_VMX_ENTRY_CTLS); }

    /** {@link #adjust} against {@link #pinBasedControlsMsr()}. */
    public int adjustPinBased(int wanted) { return adjust(wanted, pinBasedControlsMsr()); }

    /** {@link #adjust} against {@link #primaryProcBasedControlsMsr()}. */
    public int adjustPrimaryProcBased(int wanted) { return adjust(wanted, primaryProcBasedControlsMsr()); }

    /** {@link #adjust} against {@link #secondaryProcBasedControlsMsr()}. */
    public int adjustSecondaryProcBased(int wanted) { return adjust(wanted, secondaryProcBasedControlsMsr()); }

    /** {@link #adjust} against {@link #exitControlsMsr()}. */
    public int adjustExit(int wanted) { return adjust(wanted, exitControlsMsr()); }

    /** {@link #adjust} against {@link #entryControlsMsr()}. */
    public int adjustEntry(int wanted) { return adjust(wanted, entryControlsMsr()); }

    // ---------------------------------------------------------------- decoded fields

    /** VMCS revision identifier, IA32_VMX_BASIC[30:0]. */
    public int revisionId() { return (int) msr(IA32_VMX_BASIC) & 0x7FFF_FFFF; }

    /** VMCS region size in bytes, IA32_VMX_BASIC[44:32]. */
    public int regionSize() { return (int) (msr(IA32_VMX_BASIC) >>> 32) & 0x1FFF; }

    /** CR0 bits that must be 1 in VMX operation (IA32_VMX_CR0_FIXED0). */
    public long cr0Fixed0() { return msr(IA32_VMX_CR0_FIXED0); }

    /** CR0 bits that may be 1 (IA32_VMX_CR0_FIXED1); a 0 bit must be 0. */
    public long cr0Fixed1() { return msr(IA32_VMX_CR0_FIXED1); }

    /** CR4 bits that must be 1 (IA32_VMX_CR4_FIXED0). */
    public long cr4Fixed0() { return msr(IA32_VMX_CR4_FIXED0); }

    /** CR4 bits that may be 1 (IA32_VMX_CR4_FIXED1). */
    public long cr4Fixed1() { return msr(IA32_VMX_CR4_FIXED1); }

    /** Number of CR3-target values, IA32_VMX_MISC[24:16]. */
    public int cr3TargetCount() { return (int) (msr(IA32_VMX_MISC) >>> MISC_CR3_TARGET_SHIFT) & 0x1FF; }

    /**
     * True if the guest activity state is supported: 0 (active) always, 1-3 (HLT, shutdown,
     * wait-for-SIPI) if IA32_VMX_MISC bits 6-8 say so.
     */
    public boolean supportsActivityState(long state) {
        if (state == 0) {
            return true;
        }
        return state >= 1 && state <= 3 && (msr(IA32_VMX_MISC) & (1L << (5 + state))) != 0;
    }

    /** IA32_VMX_EPT_VPID_CAP. */
    public long eptVpidCap() { return msr(IA32_VMX_EPT_VPID_CAP); }

    /** True if every bit of {@code capBits} is set in IA32_VMX_EPT_VPID_CAP. */
    public boolean hasEptVpidCap(long capBits) { return (eptVpidCap() & capBits) == capBits; }

    /** MAXPHYADDR: the number of physical-address bits (guest-physical addresses under EPT). */
    public int physicalAddressWidth() { return physicalAddressWidth; }

    /** True if {@code address} has no bits at or above MAXPHYADDR. */
    public boolean fitsPhysicalAddress(long address) { return (address >>> physicalAddressWidth) == 0; }
}
