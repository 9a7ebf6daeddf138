package org.haxm.core.nonroot;

import org.haxm.vmx.Vmcs;
import org.haxm.vmx.VmcsField;

/**
 * The VM-execution controls decoded once at VM entry, so the per-instruction checks of VMX
 * non-root operation read plain fields instead of the VMCS (Bochs keeps the same kind of cache).
 * Valid until the next VM exit; the VMCS stays the architectural source.
 */
public final class ActiveControls {
    public int pin, primary, secondary, exceptionBitmap, pfErrorMask, pfErrorMatch, cr3TargetCount;
    public long cr0Mask, cr0Shadow, cr4Mask, cr4Shadow;
    public final long[] cr3Targets = new long[4];

    /** Reads the controls of {@code vmcs} (SDM Vol. 3C §25.6). */
    public void load(Vmcs vmcs) {
        pin = (int) vmcs.read(VmcsField.PIN_BASED_VM_EXEC_CONTROL);
        primary = (int) vmcs.read(VmcsField.PRIMARY_PROC_BASED_VM_EXEC_CONTROL);
        secondary = (primary & (1 << 31)) != 0 ? (int) vmcs.read(VmcsField.SECONDARY_PROC_BASED_VM_EXEC_CONTROL) : 0;
        exceptionBitmap = (int) vmcs.read(VmcsField.EXCEPTION_BITMAP);
        pfErrorMask = (int) vmcs.read(VmcsField.PAGE_FAULT_ERROR_CODE_MASK);
        pfErrorMatch = (int) vmcs.read(VmcsField.PAGE_FAULT_ERROR_CODE_MATCH);
        cr0Mask = vmcs.read(VmcsField.CR0_GUEST_HOST_MASK);
        cr0Shadow = vmcs.read(VmcsField.CR0_READ_SHADOW);
        cr4Mask = vmcs.read(VmcsField.CR4_GUEST_HOST_MASK);
        cr4Shadow = vmcs.read(VmcsField.CR4_READ_SHADOW);
        cr3TargetCount = (int) vmcs.read(VmcsField.CR3_TARGET_COUNT);
        cr3Targets[0] = vmcs.read(VmcsField.CR3_TARGET_VALUE0);
        cr3Targets[1] = vmcs.read(VmcsField.CR3_TARGET_VALUE1);
        cr3Targets[2] = vmcs.read(VmcsField.CR3_TARGET_VALUE2);
        cr3Targets[3] = vmcs.read(VmcsField.CR3_TARGET_VALUE3);
    }

    public boolean primary(int bit) { return (primary & bit) != 0; }
    public boolean secondary(int bit) { return (secondary & bit) != 0; }
    public boolean pin(int bit) { return (pin & bit) != 0; }
}
