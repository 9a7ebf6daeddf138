package org.haxm.vmx.entry;

import org.haxm.vmx.VmcsField;
import org.haxm.vmx.controls.PrimaryProcBasedControls;
import org.haxm.vmx.qualification.InterruptionInfo;
import org.haxm.vmx.qualification.InterruptionType;

/**
 * Checks on the VM-entry event-injection fields (SDM Vol. 3C §27.2.1.3), applied only when the
 * VM-entry interruption-information field is valid (bit 31).
 */
final class InjectionChecks {
    private InjectionChecks() {}

    /** Exceptions that push an error code: #DF, #TS, #NP, #SS, #GP, #PF, #AC. */
    private static final int ERROR_CODE_VECTORS = 1 << 8 | 1 << 10 | 1 << 11 | 1 << 12 | 1 << 13 | 1 << 14 | 1 << 17;

    static String type(EntryContext c) {
        if (!c.injecting()) {
            return null;
        }
        int t = c.injectedType();
        if (InterruptionType.fromCode(t) == null) {
            return "interruption type 1 is reserved";
        }
        if (t == InterruptionType.OTHER_EVENT.code()
            && !allowsPrimary(c, PrimaryProcBasedControls.MONITOR_TRAP_FLAG)) {
            return "type 7 (other event) needs a CPU that supports the monitor trap flag";
        }
        return null;
    }

    static String vector(EntryContext c) {
        if (!c.injecting()) {
            return null;
        }
        int t = c.injectedType();
        int v = c.injectedVector();
        if (t == InterruptionType.NMI.code() && v != 2) {
            return "an NMI must use vector 2, not " + v;
        }
        if (t == InterruptionType.HARDWARE_EXCEPTION.code() && v > 31) {
            return "a hardware exception must use a vector 0-31, not " + v;
        }
        if (t == InterruptionType.OTHER_EVENT.code() && v != 0) {
            return "type 7 (other event) supports only vector 0 (pending MTF VM exit), not " + v;
        }
        return null;
    }

    static String errorCodeConsistency(EntryContext c) {
        if (!c.injecting()) {
            return null;
        }
        boolean deliver = (c.interruptionInfo() & InterruptionInfo.ERROR_CODE_VALID) != 0;
        boolean required = (!c.unrestrictedGuest() || c.protectedMode())
            && c.injectedType() == InterruptionType.HARDWARE_EXCEPTION.code()
            && (ERROR_CODE_VECTORS & (1 << c.injectedVector())) != 0
            && c.injectedVector() < 32;
        if (deliver == required) {
            return null;
        }
        return required
            ? "vector " + c.injectedVector() + " pushes an error code in protected mode, so \"deliver error code\" must be 1"
            : "\"deliver error code\" must be 0 for this event (type " + c.injectedType() + ", vector "
              + c.injectedVector() + (c.protectedMode() ? "" : ", real-mode guest") + ")";
    }

    static String reservedBits(EntryContext c) {
        if (!c.injecting()) {
            return null;
        }
        long stray = c.interruptionInfo() & InterruptionInfo.ENTRY_RESERVED_BITS;
        return stray == 0 ? null : "reserved bits 30:12 are 0x" + Long.toHexString(stray);
    }

    static String errorCodeReserved(EntryContext c) {
        if (!c.injecting() || (c.interruptionInfo() & InterruptionInfo.ERROR_CODE_VALID) == 0) {
            return null;
        }
        long code = c.read(VmcsField.VM_ENTRY_EXCEPTION_ERROR_CODE);
        return (code & 0xFFFF_0000L) == 0 ? null : "error code " + EntryContext.hex(code) + " has bits 31:16 set";
    }

    static String instructionLength(EntryContext c) {
        if (!c.injecting()) {
            return null;
        }
        InterruptionType t = InterruptionType.fromCode(c.injectedType());
        if (t == null || !t.isSoftware()) {
            return null;
        }
        long len = c.read(VmcsField.VM_ENTRY_INSTRUCTION_LENGTH);
        return len >= 1 && len <= 15 ? null
            : "software interrupts/exceptions need a VM-entry instruction length of 1-15, got " + len;
    }

    /** True if the CPU lets the primary processor-based control {@code bit} be 1. */
    private static boolean allowsPrimary(EntryContext c, int bit) {
        return ((c.caps.primaryProcBasedControlsMsr() >>> 32) & Integer.toUnsignedLong(bit)) != 0;
    }
}
