package org.haxm.vmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ExitReasonProperties {

    @Property
    void numberLooksUpTheReason(@ForAll ExitReason r) {
        assertSame(r, ExitReason.fromNumber(r.number()));
    }

    @Property
    void exitReasonFieldRoundTripsOverValidBits(@ForAll @IntRange(min = 0, max = 0xFFFF) int basic,
                                                @ForAll @IntRange(min = 0, max = 0x1F) int flags25to29, @ForAll boolean failure) {
        long bits = basic | ((long) flags25to29 << 25) | (failure ? 1L << 31 : 0);
        ExitReasonField f = ExitReasonField.decode(bits);
        assertEquals(bits, f.encode());
        assertEquals(f, ExitReasonField.decode(f.encode()));
    }

    @Property
    void ordinaryExitsEncodeTheirNumberAndEntryFailureBit(@ForAll ExitReason r) {
        long bits = ExitReasonField.encode(r);
        assertEquals(r.number(), bits & 0xFFFF);
        assertEquals(r.isEntryFailure(), (bits & (1L << 31)) != 0);
        assertEquals(bits, ExitReasonField.of(r).encode());
        assertSame(r, ExitReasonField.decode(bits).reason());
    }

    @Example
    void undefinedNumbersAndBitsAreRejected() {
        for (int n : new int[] {-1, 35, 38, 42, 71, 82, 83, 86, 0xFFFF}) {
            assertNull(ExitReason.fromNumber(n), "reason " + n);
        }
        assertThrows(IllegalArgumentException.class, () -> ExitReasonField.decode(1L << 16));
        assertThrows(IllegalArgumentException.class, () -> ExitReasonField.decode(1L << 30));
        assertThrows(IllegalArgumentException.class, () -> ExitReasonField.decode(1L << 32));
    }

    @Example
    void sdmNumbersAndClassification() {
        assertEquals(30, ExitReason.IO_INSTRUCTION.number());
        assertEquals(48, ExitReason.EPT_VIOLATION.number());
        assertEquals(49, ExitReason.EPT_MISCONFIG.number());
        assertEquals(2, ExitReason.TRIPLE_FAULT.number());
        assertEquals(0x8000_0021L, ExitReasonField.encode(ExitReason.ENTRY_FAILURE_GUEST_STATE));
        EnumSet<ExitReason> traps = EnumSet.noneOf(ExitReason.class);
        for (ExitReason r : ExitReason.values()) {
            if (r.isTrapLike()) {
                traps.add(r);
            }
        }
        assertEquals(EnumSet.of(ExitReason.TPR_BELOW_THRESHOLD, ExitReason.VIRTUALIZED_EOI, ExitReason.APIC_WRITE,
            ExitReason.BUS_LOCK, ExitReason.MONITOR_TRAP_FLAG), traps);
        assertTrue(ExitReason.ENTRY_FAILURE_MSR_LOADING.isEntryFailure());
        assertFalse(ExitReason.HLT.isEntryFailure());
    }

    @Example
    void vmInstructionErrorsUseSdmNumbers() {
        assertEquals(VmInstructionError.ENTRY_INVALID_CONTROL_FIELDS, VmInstructionError.fromNumber(7));
        assertEquals(VmInstructionError.UNSUPPORTED_VMCS_COMPONENT, VmInstructionError.fromNumber(12));
        assertEquals(VmInstructionError.INVALID_INVEPT_INVVPID_OPERAND, VmInstructionError.fromNumber(28));
        for (int reserved : new int[] {0, 14, 21, 27, 29}) {
            assertNull(VmInstructionError.fromNumber(reserved));
        }
        for (VmInstructionError e : VmInstructionError.values()) {
            assertSame(e, VmInstructionError.fromNumber(e.number()));
        }
    }
}
