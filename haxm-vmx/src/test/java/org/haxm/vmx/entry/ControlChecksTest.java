package org.haxm.vmx.entry;

import static org.haxm.vmx.VmcsField.*;
import static org.haxm.vmx.entry.EntryFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.haxm.vmx.VmInstructionError;
import org.haxm.vmx.Vmcs;
import org.haxm.vmx.VmxCapabilities;
import org.haxm.vmx.controls.EntryControls;
import org.haxm.vmx.controls.ExitControls;
import org.haxm.vmx.controls.PinBasedControls;
import org.haxm.vmx.controls.PrimaryProcBasedControls;
import org.haxm.vmx.controls.SecondaryProcBasedControls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One corruption of the valid 64-bit baseline per case; the control check must name the expected rule. */
class ControlChecksTest {

    private static final Set<ControlRule> COVERED = EnumSet.noneOf(ControlRule.class);

    /** A CPU that allows every secondary, exit and entry control, to reach rules behind the reserved-bit checks. */
    private static final VmxCapabilities PERMISSIVE = CAPS
        .withMsr(VmxCapabilities.IA32_VMX_PROCBASED_CTLS2, 0xFFFF_FFFF_0000_0000L)
        .withMsr(VmxCapabilities.IA32_VMX_TRUE_EXIT_CTLS, 0xFFFF_FFFF_0000_0000L | ExitControls.TRUE_DEFAULT1)
        .withMsr(VmxCapabilities.IA32_VMX_TRUE_ENTRY_CTLS, 0xFFFF_FFFF_0000_0000L | EntryControls.TRUE_DEFAULT1);

    private static Arguments corrupt(ControlRule expected, VmxCapabilities caps, Consumer<Vmcs> corruption) {
        return Arguments.of(expected, caps, corruption);
    }

    private static Arguments corrupt(ControlRule expected, Consumer<Vmcs> corruption) {
        return corrupt(expected, CAPS, corruption);
    }

    static Stream<Arguments> corruptions() {
        return Stream.of(
            corrupt(ControlRule.PIN_BASED_RESERVED_BITS, v -> v.write(PIN_BASED_VM_EXEC_CONTROL, 0)),
            corrupt(ControlRule.PIN_BASED_RESERVED_BITS, v -> orField(v, PIN_BASED_VM_EXEC_CONTROL,
                PinBasedControls.PROCESS_POSTED_INTERRUPTS)),
            corrupt(ControlRule.PRIMARY_PROC_BASED_RESERVED_BITS, v -> orField(v, PRIMARY_PROC_BASED_VM_EXEC_CONTROL,
                PrimaryProcBasedControls.RDPMC_EXITING)),
            corrupt(ControlRule.PRIMARY_PROC_BASED_RESERVED_BITS, v -> andNotField(v, PRIMARY_PROC_BASED_VM_EXEC_CONTROL, 1L << 1)),
            corrupt(ControlRule.SECONDARY_PROC_BASED_RESERVED_BITS, v -> orField(v, SECONDARY_PROC_BASED_VM_EXEC_CONTROL,
                SecondaryProcBasedControls.VMCS_SHADOWING)),
            corrupt(ControlRule.CR3_TARGET_COUNT, v -> v.write(CR3_TARGET_COUNT, 5)),
            corrupt(ControlRule.IO_BITMAP_ADDRESSES, v -> v.write(IO_BITMAP_B, 0x2001)),
            corrupt(ControlRule.IO_BITMAP_ADDRESSES, v -> v.write(IO_BITMAP_A, 1L << 40)),
            corrupt(ControlRule.MSR_BITMAP_ADDRESS, v -> v.write(MSR_BITMAP, 1L << 40)),
            corrupt(ControlRule.TPR_SHADOW_DEPENDENTS, PERMISSIVE, v -> orField(v, SECONDARY_PROC_BASED_VM_EXEC_CONTROL,
                SecondaryProcBasedControls.VIRTUALIZE_X2APIC_MODE)),
            corrupt(ControlRule.VIRTUAL_NMIS_REQUIRE_NMI_EXITING, v -> v.write32(PIN_BASED_VM_EXEC_CONTROL,
                PinBasedControls.DEFAULT1 | PinBasedControls.VIRTUAL_NMIS)),
            corrupt(ControlRule.NMI_WINDOW_REQUIRES_VIRTUAL_NMIS, v -> orField(v, PRIMARY_PROC_BASED_VM_EXEC_CONTROL,
                PrimaryProcBasedControls.NMI_WINDOW_EXITING)),
            corrupt(ControlRule.VPID_NON_ZERO, v -> v.write(VIRTUAL_PROCESSOR_ID, 0)),
            corrupt(ControlRule.EPT_POINTER_VALID, v -> v.write(EPT_POINTER, VALID_EPTP & ~7L | 1)),
            corrupt(ControlRule.EPT_POINTER_VALID, v -> v.write(EPT_POINTER, VALID_EPTP & ~0x38L | (1 << 3))),
            corrupt(ControlRule.EPT_POINTER_VALID, v -> v.write(EPT_POINTER, VALID_EPTP | (1L << 7))),
            corrupt(ControlRule.EPT_POINTER_VALID, v -> v.write(EPT_POINTER, VALID_EPTP | (1L << 45))),
            corrupt(ControlRule.EPT_POINTER_VALID, CAPS.withMsr(VmxCapabilities.IA32_VMX_EPT_VPID_CAP,
                CAPS.eptVpidCap() & ~VmxCapabilities.EPT_CAP_ACCESSED_DIRTY), v -> v.write(EPT_POINTER, VALID_EPTP | (1L << 6))),
            corrupt(ControlRule.UNRESTRICTED_GUEST_REQUIRES_EPT, v -> v.write32(SECONDARY_PROC_BASED_VM_EXEC_CONTROL,
                SecondaryProcBasedControls.UNRESTRICTED_GUEST)),
            corrupt(ControlRule.EXIT_CONTROLS_RESERVED_BITS, v -> v.write(VM_EXIT_CONTROLS, 0)),
            corrupt(ControlRule.SAVE_PREEMPTION_TIMER_REQUIRES_TIMER, PERMISSIVE, v -> orField(v, VM_EXIT_CONTROLS,
                ExitControls.SAVE_PREEMPTION_TIMER)),
            corrupt(ControlRule.EXIT_MSR_STORE_LIST, v -> {
                v.write(VM_EXIT_MSR_STORE_COUNT, 1);
                v.write(VM_EXIT_MSR_STORE_ADDR, 0x1008);
            }),
            corrupt(ControlRule.EXIT_MSR_LOAD_LIST, v -> {
                v.write(VM_EXIT_MSR_LOAD_COUNT, 2);
                v.write(VM_EXIT_MSR_LOAD_ADDR, (1L << 39) - 16);
            }),
            corrupt(ControlRule.ENTRY_CONTROLS_RESERVED_BITS, v -> orField(v, VM_ENTRY_CONTROLS, EntryControls.ENTRY_TO_SMM)),
            corrupt(ControlRule.ENTRY_SMM_CONTROLS, PERMISSIVE, v -> orField(v, VM_ENTRY_CONTROLS, EntryControls.DEACTIVATE_DUAL_MONITOR)),
            corrupt(ControlRule.ENTRY_MSR_LOAD_LIST, v -> {
                v.write(VM_ENTRY_MSR_LOAD_COUNT, 1);
                v.write(VM_ENTRY_MSR_LOAD_ADDR, 0x1004);
            }),
            corrupt(ControlRule.INJECTION_TYPE, v -> v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_0100L)),
            corrupt(ControlRule.INJECTION_TYPE, CAPS.withMsr(VmxCapabilities.IA32_VMX_TRUE_PROCBASED_CTLS,
                CAPS.msr(VmxCapabilities.IA32_VMX_TRUE_PROCBASED_CTLS) & ~((long) PrimaryProcBasedControls.MONITOR_TRAP_FLAG << 32)),
                v -> v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_0700L)),
            corrupt(ControlRule.INJECTION_VECTOR, v -> v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_0203L)),
            corrupt(ControlRule.INJECTION_VECTOR, v -> v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_0320L)),
            corrupt(ControlRule.INJECTION_VECTOR, v -> v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_0701L)),
            corrupt(ControlRule.INJECTION_ERROR_CODE_CONSISTENCY, v -> v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_030DL)),
            corrupt(ControlRule.INJECTION_ERROR_CODE_CONSISTENCY, v -> v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_0B06L)),
            corrupt(ControlRule.INJECTION_RESERVED_BITS, v -> v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_1020L)),
            corrupt(ControlRule.INJECTION_ERROR_CODE_RESERVED, v -> {
                v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_0B0DL);
                v.write(VM_ENTRY_EXCEPTION_ERROR_CODE, 0x1_0000);
            }),
            corrupt(ControlRule.INJECTION_INSTRUCTION_LENGTH, v -> v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_0480L)),
            corrupt(ControlRule.INJECTION_INSTRUCTION_LENGTH, v -> {
                v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_0603L);
                v.write(VM_ENTRY_INSTRUCTION_LENGTH, 16);
            })
        );
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("corruptions")
    void eachCorruptionViolatesExactlyItsRule(ControlRule expected, VmxCapabilities caps, Consumer<Vmcs> corruption) {
        Vmcs vmcs = longMode();
        assertTrue(VmEntryChecks.checkControls(vmcs, caps).isEmpty(), "baseline must be valid");
        corruption.accept(vmcs);
        Optional<ControlCheckFailure> failure = VmEntryChecks.findControlViolation(vmcs, caps);
        assertTrue(failure.isPresent(), "expected a violation of " + expected);
        assertEquals(expected, failure.get().rule(), failure.get().message());
        assertEquals(Optional.of(VmInstructionError.ENTRY_INVALID_CONTROL_FIELDS), VmEntryChecks.checkControls(vmcs, caps));
        COVERED.add(expected);
    }

    @AfterAll
    static void everyRuleHasACorruption() {
        assertEquals(EnumSet.allOf(ControlRule.class), COVERED, "rules without a test");
    }

    @Test
    void realModeHardwareExceptionsCarryNoErrorCode() {
        Vmcs v = realModeUnrestricted();
        v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_030DL);   // #GP, no error code: correct in real mode
        assertTrue(VmEntryChecks.checkControls(v, CAPS).isEmpty());
        v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_0B0DL);
        assertEquals(ControlRule.INJECTION_ERROR_CODE_CONSISTENCY, VmEntryChecks.findControlViolation(v, CAPS).get().rule());
    }

    @Test
    void validInjectionsPass() {
        Vmcs v = longMode();
        for (long info : new long[] {0x8000_0B0EL, 0x8000_0202L, 0x8000_0306L, 0x8000_0020L, 0x8000_0700L}) {
            v.write(VM_ENTRY_INTERRUPTION_INFO, info);
            assertTrue(VmEntryChecks.checkControls(v, CAPS).isEmpty(), Long.toHexString(info));
        }
        v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_0480L);
        v.write(VM_ENTRY_INSTRUCTION_LENGTH, 2);
        assertTrue(VmEntryChecks.checkControls(v, CAPS).isEmpty());
    }

    @Test
    void bitmapsAreOnlyCheckedWhenUsed() {
        Vmcs v = longMode();
        andNotField(v, PRIMARY_PROC_BASED_VM_EXEC_CONTROL, PrimaryProcBasedControls.USE_IO_BITMAPS
            | PrimaryProcBasedControls.USE_MSR_BITMAPS);
        v.write(IO_BITMAP_A, 0x123);
        v.write(MSR_BITMAP, 0x456);
        assertTrue(VmEntryChecks.checkControls(v, CAPS).isEmpty());
    }

    @Test
    void eptPointerWithAccessedDirtyIsValidOnThisCpu() {
        assertTrue(VmEntryChecks.eptPointerProblem(VALID_EPTP | (1L << 6), CAPS).isEmpty());
        assertTrue(VmEntryChecks.eptPointerProblem(VALID_EPTP & ~7L, CAPS).isEmpty(), "UC is supported");
        assertTrue(VmEntryChecks.eptPointerProblem(VALID_EPTP | (4 << 3), CAPS).isPresent(), "5-level walk is not");
    }

    @Test
    void secondaryControlsAreIgnoredWhenNotActivated() {
        Vmcs v = longMode();
        andNotField(v, PRIMARY_PROC_BASED_VM_EXEC_CONTROL, PrimaryProcBasedControls.ACTIVATE_SECONDARY_CONTROLS);
        v.write(SECONDARY_PROC_BASED_VM_EXEC_CONTROL, 0xFFFF_FFFFL);
        assertTrue(VmEntryChecks.checkControls(v, CAPS).isEmpty());
    }
}
