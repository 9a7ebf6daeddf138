package org.haxm.core.msr;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.CpuException;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.vmx.Vmcs;
import org.haxm.vmx.VmcsField;

/**
 * The MSRs the hypervisor emulates, for guest RDMSR/WRMSR exits and for the caller's GET/SET_MSRS
 * (one set of rules for both, as in HAXM, haxm-api.md §6.5). MSRs that live in the VMCS guest-state
 * area (EFER, PAT, SYSENTER_*, FS/GS base) are read and written there; the ones the processor keeps
 * itself and the MSR bitmap passes through (STAR, LSTAR, CSTAR, SFMASK, KERNEL_GS_BASE, TSC_AUX)
 * are reached through the CPU; the rest are kept here.
 *
 * <p>{@link #read} and {@link #write} return false when the MSR is refused: the guest then gets
 * #GP(0), the caller's batch stops there.
 */
public final class MsrHandler {
    public static final int IA32_TSC = 0x10, IA32_PLATFORM_ID = 0x17, IA32_APIC_BASE = 0x1B, IA32_FEATURE_CONTROL = 0x3A,
        IA32_BIOS_SIGN_ID = 0x8B, IA32_MTRRCAP = 0xFE, IA32_SYSENTER_CS = 0x174, IA32_SYSENTER_ESP = 0x175,
        IA32_SYSENTER_EIP = 0x176, IA32_MCG_CAP = 0x179, IA32_MCG_STATUS = 0x17A, IA32_MISC_ENABLE = 0x1A0,
        IA32_DEBUGCTL = 0x1D9, IA32_PAT = 0x277, IA32_MTRR_DEF_TYPE = 0x2FF, IA32_EFER = 0xC000_0080,
        IA32_STAR = 0xC000_0081, IA32_LSTAR = 0xC000_0082, IA32_CSTAR = 0xC000_0083, IA32_FMASK = 0xC000_0084,
        IA32_FS_BASE = 0xC000_0100, IA32_GS_BASE = 0xC000_0101, IA32_KERNEL_GS_BASE = 0xC000_0102, IA32_TSC_AUX = 0xC000_0103;

    /** MSRs the guest reaches without exits (HAXM's MSR-bitmap pass-through list). */
    public static final int[] PASS_THROUGH = {IA32_STAR, IA32_LSTAR, IA32_CSTAR, IA32_FMASK, IA32_KERNEL_GS_BASE, IA32_TSC_AUX};

    private final Vmcs vmcs;
    private final Cpu cpu;
    private final boolean bootstrapProcessor;
    private long apicBase;
    private long mtrrDefType;
    private final long[] variableMtrrs = new long[20];
    private final long[] fixedMtrrs = new long[11];
    /** Result of the last successful {@link #read}. */
    private long value;

    public MsrHandler(Vmcs vmcs, Cpu cpu, boolean bootstrapProcessor) {
        this.vmcs = vmcs;
        this.cpu = cpu;
        this.bootstrapProcessor = bootstrapProcessor;
        this.apicBase = 0xFEE0_0000L | (1 << 11) | (bootstrapProcessor ? 1 << 8 : 0);
    }

    /** The value produced by the last successful read. */
    public long value() { return value; }

    /** Reads MSR {@code index}; false if the MSR does not exist. */
    public boolean read(int index) {
        switch (index) {
            case IA32_TSC -> value = cpu.state().tsc();
            case IA32_PLATFORM_ID -> value = 0;
            case IA32_APIC_BASE -> value = apicBase;
            case IA32_FEATURE_CONTROL -> value = 1;          // locked, VMX not offered to the guest
            case IA32_BIOS_SIGN_ID -> value = 0;
            case IA32_MTRRCAP -> value = 0x508;              // 8 variable ranges, fixed ranges, WC
            case IA32_SYSENTER_CS -> value = vmcs.read(VmcsField.GUEST_IA32_SYSENTER_CS);
            case IA32_SYSENTER_ESP -> value = vmcs.read(VmcsField.GUEST_IA32_SYSENTER_ESP);
            case IA32_SYSENTER_EIP -> value = vmcs.read(VmcsField.GUEST_IA32_SYSENTER_EIP);
            case IA32_MCG_CAP, IA32_MCG_STATUS, IA32_DEBUGCTL -> value = 0;
            case IA32_MISC_ENABLE -> value = 0x1800;         // BTS and PEBS unavailable
            case IA32_PAT -> value = vmcs.read(VmcsField.GUEST_IA32_PAT);
            case IA32_MTRR_DEF_TYPE -> value = mtrrDefType;
            case IA32_EFER -> value = vmcs.read(VmcsField.GUEST_IA32_EFER);
            case IA32_FS_BASE -> value = vmcs.read(VmcsField.GUEST_FS_BASE);
            case IA32_GS_BASE -> value = vmcs.read(VmcsField.GUEST_GS_BASE);
            default -> {
                if (index >= 0x200 && index < 0x214) { value = variableMtrrs[index - 0x200]; return true; }
                int fixed = fixedMtrrIndex(index);
                if (fixed >= 0) { value = fixedMtrrs[fixed]; return true; }
                return readProcessorMsr(index);
            }
        }
        return true;
    }

    /** Writes MSR {@code index}; false if refused. {@code fromGuest} applies the rules only guest
     *  writes obey (EFER.LME may not change while paging is on). */
    public boolean write(int index, long v, boolean fromGuest) {
        switch (index) {
            case IA32_TSC -> cpu.state().tscOffset = v - cpu.state().instructionsRetired;
            case IA32_APIC_BASE -> {
                // Only the xAPIC at its architectural address, enabled or not (HAXM's rule).
                long base = v & ~0xFFFL;
                boolean bsp = (v & (1 << 8)) != 0;
                if (base != 0xFEE0_0000L || (v & 0x6FFL) != 0 || (bsp && !bootstrapProcessor)) return false;
                apicBase = v;
            }
            case IA32_BIOS_SIGN_ID, IA32_MCG_STATUS, IA32_MISC_ENABLE, IA32_DEBUGCTL -> { /* ignored */ }
            case IA32_SYSENTER_CS -> vmcs.write(VmcsField.GUEST_IA32_SYSENTER_CS, v & 0xFFFF_FFFFL);
            case IA32_SYSENTER_ESP -> { if (!canonical(v)) return false; vmcs.write(VmcsField.GUEST_IA32_SYSENTER_ESP, v); }
            case IA32_SYSENTER_EIP -> { if (!canonical(v)) return false; vmcs.write(VmcsField.GUEST_IA32_SYSENTER_EIP, v); }
            case IA32_PAT -> {
                for (int i = 0; i < 8; i++) {
                    int type = (int) (v >>> (8 * i)) & 0xFF;
                    if (type == 2 || type == 3 || type > 7) return false;
                }
                vmcs.write(VmcsField.GUEST_IA32_PAT, v);
            }
            case IA32_MTRR_DEF_TYPE -> mtrrDefType = v;
            case IA32_EFER -> { return writeEfer(v, fromGuest); }
            case IA32_FS_BASE -> { if (!canonical(v)) return false; vmcs.write(VmcsField.GUEST_FS_BASE, v); }
            case IA32_GS_BASE -> { if (!canonical(v)) return false; vmcs.write(VmcsField.GUEST_GS_BASE, v); }
            default -> {
                if (index >= 0x200 && index < 0x214) { variableMtrrs[index - 0x200] = v; return true; }
                int fixed = fixedMtrrIndex(index);
                if (fixed >= 0) { fixedMtrrs[fixed] = v; return true; }
                return writeProcessorMsr(index, v);
            }
        }
        return true;
    }

    /**
     * EFER: only SCE, LME, LMA and NXE exist. A guest write may not change LME while paging is on
     * and cannot change LMA, which the processor derives (SDM Vol. 3A §10.8.5); the caller may set
     * both, e.g. to start a VCPU directly in long mode. The "IA-32e mode guest" entry control
     * follows LMA, as VM exits store it there (SDM Vol. 3C §28.2, IA32_VMX_MISC bit 5).
     */
    private boolean writeEfer(long v, boolean fromGuest) {
        if ((v & ~(CpuState.EFER_SCE | CpuState.EFER_LME | CpuState.EFER_LMA | CpuState.EFER_NXE)) != 0) return false;
        long old = vmcs.read(VmcsField.GUEST_IA32_EFER);
        if (fromGuest) {
            boolean paging = (vmcs.read(VmcsField.GUEST_CR0) & CpuState.CR0_PG) != 0;
            if (paging && ((old ^ v) & CpuState.EFER_LME) != 0) return false;
            v = (v & ~CpuState.EFER_LMA) | (old & CpuState.EFER_LMA);
        }
        vmcs.write(VmcsField.GUEST_IA32_EFER, v);
        long entry = vmcs.read(VmcsField.VM_ENTRY_CONTROLS);
        long ia32e = 1L << 9;
        vmcs.write(VmcsField.VM_ENTRY_CONTROLS, (v & CpuState.EFER_LMA) != 0 ? entry | ia32e : entry & ~ia32e);
        return true;
    }

    /**
     * WRMSR of a non-canonical address to SYSENTER_ESP/EIP or FS/GS base is #GP(0) on processors
     * with Intel 64 (SDM Vol. 4 Table 2-2; Vol. 2B WRMSR). Accepting it would also make the next
     * VM entry fail its guest-state checks (Vol. 3C §27.3.1.1, §27.3.1.2).
     */
    private static boolean canonical(long address) { return (address << 16) >> 16 == address; }

    private boolean readProcessorMsr(int index) {
        try {
            value = cpu.readMsr(index);
            return true;
        } catch (CpuException e) {
            return false;
        }
    }

    private boolean writeProcessorMsr(int index, long v) {
        try {
            cpu.writeMsr(index, v);
            return true;
        } catch (CpuException e) {
            return false;
        }
    }

    private static int fixedMtrrIndex(int index) {
        if (index == 0x250) return 0;
        if (index == 0x258 || index == 0x259) return index - 0x258 + 1;
        if (index >= 0x268 && index <= 0x26F) return index - 0x268 + 3;
        return -1;
    }
}
