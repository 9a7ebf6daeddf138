package org.haxm.vmx.entry;

import static org.haxm.vmx.VmcsField.*;
import static org.haxm.vmx.entry.EntryFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.haxm.vmx.ExitReason;
import org.haxm.vmx.ExitReasonField;
import org.haxm.vmx.GuestSegment;
import org.haxm.vmx.Vmcs;
import org.haxm.vmx.VmcsField;
import org.haxm.vmx.controls.EntryControls;
import org.haxm.vmx.controls.SecondaryProcBasedControls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One corruption of a valid baseline per case; the check must name exactly the expected rule. */
class GuestStateChecksTest {

    private static final Set<GuestStateRule> COVERED = EnumSet.noneOf(GuestStateRule.class);

    private static Arguments corrupt(GuestStateRule expected, Supplier<Vmcs> baseline, Consumer<Vmcs> corruption) {
        return Arguments.of(expected, baseline, corruption);
    }

    static Stream<Arguments> corruptions() {
        Supplier<Vmcs> lm = EntryFixtures::longMode;
        Supplier<Vmcs> rm = EntryFixtures::realModeUnrestricted;
        Supplier<Vmcs> user = EntryFixtures::longModeUser;
        return Stream.of(
            corrupt(GuestStateRule.CR0_FIXED_BITS, lm, v -> andNotField(v, GUEST_CR0, CR0_NE)),
            corrupt(GuestStateRule.CR0_FIXED_BITS, rm, v -> v.write32(SECONDARY_PROC_BASED_VM_EXEC_CONTROL,
                SecondaryProcBasedControls.ENABLE_EPT)),
            corrupt(GuestStateRule.CR0_FIXED_BITS, lm, v -> orField(v, GUEST_CR0, 1L << 32)),
            corrupt(GuestStateRule.CR0_PG_REQUIRES_PE, rm, v -> orField(v, GUEST_CR0, CR0_PG)),
            corrupt(GuestStateRule.CR4_FIXED_BITS, lm, v -> andNotField(v, GUEST_CR4, CR4_VMXE)),
            corrupt(GuestStateRule.CR4_FIXED_BITS, lm, v -> orField(v, GUEST_CR4, 1L << 12)),
            corrupt(GuestStateRule.CR3_PHYSICAL_WIDTH, lm, v -> v.write(GUEST_CR3, 1L << 45)),
            corrupt(GuestStateRule.DEBUG_CONTROLS, lm, v -> v.write(GUEST_DR7, 1L << 32)),
            corrupt(GuestStateRule.DEBUG_CONTROLS, lm, v -> v.write(GUEST_IA32_DEBUGCTL, 1L << 2)),
            corrupt(GuestStateRule.IA32E_REQUIRES_PAGING, rm, v -> orField(v, VM_ENTRY_CONTROLS, EntryControls.IA32E_MODE_GUEST)),
            corrupt(GuestStateRule.IA32E_REQUIRES_PAE, lm, v -> andNotField(v, GUEST_CR4, CR4_PAE)),
            corrupt(GuestStateRule.PCIDE_REQUIRES_IA32E, rm, v -> orField(v, GUEST_CR4, CR4_PCIDE)),
            corrupt(GuestStateRule.SYSENTER_CANONICAL, lm, v -> v.write(GUEST_IA32_SYSENTER_ESP, 0x0000_8000_0000_0000L)),
            corrupt(GuestStateRule.PAT_VALID, lm, v -> {
                orField(v, VM_ENTRY_CONTROLS, EntryControls.LOAD_IA32_PAT);
                v.write(GUEST_IA32_PAT, 0x0007_0406_0007_0402L);
            }),
            corrupt(GuestStateRule.EFER_VALID, lm, v -> andNotField(v, GUEST_IA32_EFER, EFER_LMA)),
            corrupt(GuestStateRule.EFER_VALID, lm, v -> orField(v, GUEST_IA32_EFER, 1L << 3)),
            corrupt(GuestStateRule.EFER_VALID, EntryFixtures::pae32, v -> v.write(GUEST_IA32_EFER, EFER_LME)),
            corrupt(GuestStateRule.TR_TI_FLAG, lm, v -> v.write(GUEST_TR_SELECTOR, 0x1C)),
            corrupt(GuestStateRule.LDTR_TI_FLAG, rm, v -> v.write(GUEST_LDTR_SELECTOR, 0x4)),
            corrupt(GuestStateRule.SS_RPL_EQUALS_CS_RPL, lm, v -> v.write(GUEST_SS_SELECTOR, 0x13)),
            corrupt(GuestStateRule.V8086_SEGMENTS, rm, v -> orField(v, GUEST_RFLAGS, 1L << 17)),
            corrupt(GuestStateRule.SEGMENT_BASES, lm, v -> v.write(GUEST_FS_BASE, 0x0000_8000_0000_0000L)),
            corrupt(GuestStateRule.SEGMENT_BASES, lm, v -> v.write(GUEST_DS_BASE, 1L << 32)),
            corrupt(GuestStateRule.CS_TYPE, lm, v -> setAr(v, GuestSegment.CS, 0xA09A)),
            corrupt(GuestStateRule.CS_TYPE, lm, v -> setAr(v, GuestSegment.CS, 0xA093)),
            corrupt(GuestStateRule.SS_TYPE, lm, v -> setAr(v, GuestSegment.SS, 0xC091)),
            corrupt(GuestStateRule.DATA_SEGMENT_TYPES, lm, v -> setAr(v, GuestSegment.DS, 0xC092)),
            corrupt(GuestStateRule.DATA_SEGMENT_TYPES, lm, v -> setAr(v, GuestSegment.GS, 0xC099)),
            corrupt(GuestStateRule.CODE_DATA_S_FLAG, lm, v -> setAr(v, GuestSegment.ES, 0xC083)),
            corrupt(GuestStateRule.CS_DPL, lm, v -> setAr(v, GuestSegment.CS, 0xA0FB)),
            corrupt(GuestStateRule.CS_DPL, rm, v -> setAr(v, GuestSegment.CS, 0xF3)),
            corrupt(GuestStateRule.SS_DPL, rm, v -> {
                setAr(v, GuestSegment.CS, 0xFB);
                setAr(v, GuestSegment.SS, 0xF3);
            }),
            corrupt(GuestStateRule.SS_DPL, lm, v -> {
                v.write(GUEST_CS_SELECTOR, 0x0B);
                v.write(GUEST_SS_SELECTOR, 0x13);
            }),
            corrupt(GuestStateRule.DATA_SEGMENT_DPL, lm, v -> v.write(GUEST_DS_SELECTOR, 0x13)),
            corrupt(GuestStateRule.SEGMENT_PRESENT, lm, v -> setAr(v, GuestSegment.GS, 0xC013)),
            corrupt(GuestStateRule.ACCESS_RIGHTS_RESERVED, lm, v -> setAr(v, GuestSegment.DS, 0xC193)),
            corrupt(GuestStateRule.ACCESS_RIGHTS_RESERVED, lm, v -> setAr(v, GuestSegment.TR, 0x4008B)),
            corrupt(GuestStateRule.LIMIT_GRANULARITY, lm, v -> v.write(GUEST_DS_LIMIT, 0xFFFF_F000L)),
            corrupt(GuestStateRule.LIMIT_GRANULARITY, rm, v -> v.write(GUEST_SS_LIMIT, 0x10_0000)),
            corrupt(GuestStateRule.CS_L_AND_D, lm, v -> setAr(v, GuestSegment.CS, 0xE09B)),
            corrupt(GuestStateRule.TR_TYPE, lm, v -> setAr(v, GuestSegment.TR, 0x89)),
            corrupt(GuestStateRule.TR_TYPE, lm, v -> setAr(v, GuestSegment.TR, 0x83)),
            corrupt(GuestStateRule.TR_DESCRIPTOR, lm, v -> setAr(v, GuestSegment.TR, 0x1008B)),
            corrupt(GuestStateRule.TR_DESCRIPTOR, lm, v -> setAr(v, GuestSegment.TR, 0x0B)),
            corrupt(GuestStateRule.LDTR_DESCRIPTOR, rm, v -> setAr(v, GuestSegment.LDTR, 0x83)),
            corrupt(GuestStateRule.DESCRIPTOR_TABLE_REGISTERS, lm, v -> v.write(GUEST_GDTR_LIMIT, 0x1_0000)),
            corrupt(GuestStateRule.DESCRIPTOR_TABLE_REGISTERS, lm, v -> v.write(GUEST_IDTR_BASE, 0x0000_8000_0000_0000L)),
            corrupt(GuestStateRule.RIP_VALID, lm, v -> v.write(GUEST_RIP, 0x0000_8000_0000_0000L)),
            corrupt(GuestStateRule.RIP_VALID, rm, v -> v.write(GUEST_RIP, 1L << 32)),
            corrupt(GuestStateRule.RFLAGS_RESERVED, lm, v -> orField(v, GUEST_RFLAGS, 1L << 15)),
            corrupt(GuestStateRule.RFLAGS_RESERVED, lm, v -> orField(v, GUEST_RFLAGS, 1L << 22)),
            corrupt(GuestStateRule.RFLAGS_BIT1, lm, v -> v.write(GUEST_RFLAGS, 0)),
            corrupt(GuestStateRule.RFLAGS_VM, rm, GuestStateChecksTest::v8086SegmentsWithVmFlag),
            corrupt(GuestStateRule.RFLAGS_IF_FOR_INTERRUPT, lm, v -> v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_0020L)),
            corrupt(GuestStateRule.ACTIVITY_STATE_SUPPORTED, lm, v -> v.write(GUEST_ACTIVITY_STATE, 4)),
            corrupt(GuestStateRule.HLT_REQUIRES_SS_DPL0, user, v -> v.write(GUEST_ACTIVITY_STATE, 1)),
            corrupt(GuestStateRule.BLOCKING_REQUIRES_ACTIVE, lm, v -> {
                orField(v, GUEST_RFLAGS, 1L << 9);
                v.write(GUEST_INTERRUPTIBILITY_STATE, 1);
                v.write(GUEST_ACTIVITY_STATE, 1);
            }),
            corrupt(GuestStateRule.INJECTION_IN_ACTIVITY_STATE, lm, v -> {
                orField(v, GUEST_RFLAGS, 1L << 9);
                v.write(GUEST_ACTIVITY_STATE, 3);
                v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_0020L);
            }),
            corrupt(GuestStateRule.INJECTION_IN_ACTIVITY_STATE, lm, v -> {
                v.write(GUEST_ACTIVITY_STATE, 2);
                v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_0306L);
            }),
            corrupt(GuestStateRule.INTERRUPTIBILITY_RESERVED, lm, v -> v.write(GUEST_INTERRUPTIBILITY_STATE, 0x20)),
            corrupt(GuestStateRule.STI_AND_MOV_SS, lm, v -> {
                orField(v, GUEST_RFLAGS, 1L << 9);
                v.write(GUEST_INTERRUPTIBILITY_STATE, 3);
            }),
            corrupt(GuestStateRule.STI_REQUIRES_IF, lm, v -> v.write(GUEST_INTERRUPTIBILITY_STATE, 1)),
            corrupt(GuestStateRule.SMI_BLOCKING, lm, v -> v.write(GUEST_INTERRUPTIBILITY_STATE, 4)),
            corrupt(GuestStateRule.INJECTION_BLOCKED, lm, v -> {
                orField(v, GUEST_RFLAGS, 1L << 9);
                v.write(GUEST_INTERRUPTIBILITY_STATE, 2);
                v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_0020L);
            }),
            corrupt(GuestStateRule.INJECTION_BLOCKED, lm, v -> {
                v.write(GUEST_INTERRUPTIBILITY_STATE, 2);
                v.write(VM_ENTRY_INTERRUPTION_INFO, 0x8000_0202L);
            }),
            corrupt(GuestStateRule.PENDING_DEBUG_RESERVED, lm, v -> v.write(GUEST_PENDING_DEBUG_EXCEPTIONS, 0x10)),
            corrupt(GuestStateRule.PENDING_SINGLE_STEP, lm, v -> {
                orField(v, GUEST_RFLAGS, 1L << 8);
                v.write(GUEST_INTERRUPTIBILITY_STATE, 2);
            }),
            corrupt(GuestStateRule.PENDING_SINGLE_STEP, lm, v -> {
                v.write(GUEST_INTERRUPTIBILITY_STATE, 2);
                v.write(GUEST_PENDING_DEBUG_EXCEPTIONS, 1L << 14);
            }),
            corrupt(GuestStateRule.VMCS_LINK_POINTER, lm, v -> v.write(VMCS_LINK_POINTER, 0)),
            corrupt(GuestStateRule.PDPTE_VALID, EntryFixtures::pae32, v -> v.write(GUEST_PDPTE2, 0x9003)),
            corrupt(GuestStateRule.PDPTE_VALID, EntryFixtures::pae32, v -> v.write(GUEST_PDPTE1, 1L << 63 | 1))
        );
    }

    /** Real-mode baseline turned into consistent virtual-8086 segments, then RFLAGS.VM with CR0.PE = 0. */
    private static void v8086SegmentsWithVmFlag(Vmcs v) {
        for (GuestSegment s : new GuestSegment[] {GuestSegment.CS, GuestSegment.SS, GuestSegment.DS,
            GuestSegment.ES, GuestSegment.FS, GuestSegment.GS}) {
            segment(v, s, 0x1000, 0x10000, 0xFFFF, 0xF3);
        }
        orField(v, GUEST_RFLAGS, 1L << 17);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("corruptions")
    void eachCorruptionViolatesExactlyItsRule(GuestStateRule expected, Supplier<Vmcs> baseline, Consumer<Vmcs> corruption) {
        Vmcs vmcs = baseline.get();
        assertTrue(VmEntryChecks.checkGuestState(vmcs, CAPS).passed(), "baseline must be valid");
        corruption.accept(vmcs);
        assertTrue(VmEntryChecks.checkControls(vmcs, CAPS).isEmpty(), "corruption must not break the controls");
        GuestStateCheck result = VmEntryChecks.checkGuestState(vmcs, CAPS);
        assertEquals(expected, result.rule(), result.message());
        assertTrue(result.message().contains(expected.citation()), result.message());
        COVERED.add(expected);
    }

    @AfterAll
    static void everyRuleHasACorruption() {
        assertEquals(EnumSet.allOf(GuestStateRule.class), COVERED, "rules without a test");
    }

    @Test
    void baselinesPassBothPhases() {
        for (Vmcs v : new Vmcs[] {longMode(), longModeUser(), pae32(), realModeUnrestricted()}) {
            assertTrue(VmEntryChecks.checkControls(v, CAPS).isEmpty());
            GuestStateCheck r = VmEntryChecks.checkGuestState(v, CAPS);
            assertTrue(r.passed(), r.message());
            assertEquals(0, r.qualification());
        }
    }

    @Test
    void unrestrictedGuestAllowsTheResetStateWithCsType3() {
        Vmcs v = realModeUnrestricted();
        setAr(v, GuestSegment.CS, 0x93);
        assertTrue(VmEntryChecks.checkGuestState(v, CAPS).passed());
    }

    @Test
    void busy16BitTssIsAllowedOutsideIa32eMode() {
        Vmcs v = realModeUnrestricted();
        setAr(v, GuestSegment.TR, 0x83);
        assertTrue(VmEntryChecks.checkGuestState(v, CAPS).passed());
    }

    @Test
    void unusableDataSegmentsSkipTheirChecks() {
        Vmcs v = longMode();
        for (VmcsField ar : new VmcsField[] {GUEST_DS_ACCESS_RIGHTS, GUEST_ES_ACCESS_RIGHTS, GUEST_SS_ACCESS_RIGHTS}) {
            v.write(ar, 0x1_0000);
        }
        assertTrue(VmEntryChecks.checkGuestState(v, CAPS).passed());
    }

    @Test
    void failureReportsExitReason33WithEntryFailureBitAndQualification() {
        Vmcs v = longMode();
        v.write(VMCS_LINK_POINTER, 0x1000);
        GuestStateCheck r = VmEntryChecks.checkGuestState(v, CAPS);
        assertEquals(4, r.qualification());
        ExitReasonField field = ExitReasonField.decode(r.exitReasonValue());
        assertEquals(ExitReason.ENTRY_FAILURE_GUEST_STATE, field.reason());
        assertTrue(field.entryFailure());
    }

    @Test
    void pdpteFailureHasQualification2() {
        Vmcs v = pae32();
        v.write(GUEST_PDPTE3, 0x9021);
        assertEquals(2, VmEntryChecks.checkGuestState(v, CAPS).qualification());
    }
}
