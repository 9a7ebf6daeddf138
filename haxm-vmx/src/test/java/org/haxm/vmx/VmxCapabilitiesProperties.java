package org.haxm.vmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.haxm.vmx.controls.PrimaryProcBasedControls;
import org.haxm.vmx.controls.SecondaryProcBasedControls;

class VmxCapabilitiesProperties {

    private static final VmxCapabilities CAPS = VmxCapabilities.defaults();

    @Provide
    Arbitrary<Integer> controlMsrs() {
        return Arbitraries.of(VmxCapabilities.IA32_VMX_PINBASED_CTLS, VmxCapabilities.IA32_VMX_PROCBASED_CTLS,
            VmxCapabilities.IA32_VMX_EXIT_CTLS, VmxCapabilities.IA32_VMX_ENTRY_CTLS, VmxCapabilities.IA32_VMX_PROCBASED_CTLS2,
            VmxCapabilities.IA32_VMX_TRUE_PINBASED_CTLS, VmxCapabilities.IA32_VMX_TRUE_PROCBASED_CTLS,
            VmxCapabilities.IA32_VMX_TRUE_EXIT_CTLS, VmxCapabilities.IA32_VMX_TRUE_ENTRY_CTLS);
    }

    @Property
    void adjustedValuesAreAlwaysAllowed(@ForAll("controlMsrs") int index, @ForAll int wanted) {
        long msr = CAPS.msr(index);
        int value = VmxCapabilities.adjust(wanted, msr);
        assertTrue(VmxCapabilities.allows(value, msr));
        int allowed1 = (int) (msr >>> 32);
        assertEquals(wanted & allowed1, value & wanted, "wanted bits the CPU allows are kept");
    }

    @Property
    void everyControlMsrHasItsMandatoryBitsAmongItsAllowedBits(@ForAll("controlMsrs") int index) {
        long msr = CAPS.msr(index);
        int allowed0 = (int) msr;
        assertEquals(allowed0, allowed0 & (int) (msr >>> 32));
    }

    @Example
    void basicReportsOurRevisionSizeAndTrueControls() {
        long basic = CAPS.msr(VmxCapabilities.IA32_VMX_BASIC);
        assertEquals(0x4A58, basic & 0x7FFF_FFFF);
        assertEquals(4096, (basic >>> 32) & 0x1FFF);
        assertEquals(6, (basic >>> 50) & 0xF);
        assertTrue(CAPS.hasTrueControls());
        assertEquals(0x4A58, CAPS.revisionId());
        assertEquals(4096, CAPS.regionSize());
    }

    @Example
    void trueMsrsFreeCr3ExitingButNotOtherDefault1Bits() {
        int proc = CAPS.adjustPrimaryProcBased(0);
        assertEquals(0, proc & (PrimaryProcBasedControls.CR3_LOAD_EXITING | PrimaryProcBasedControls.CR3_STORE_EXITING));
        assertEquals(PrimaryProcBasedControls.TRUE_DEFAULT1, proc);
        int legacy = VmxCapabilities.adjust(0, CAPS.msr(VmxCapabilities.IA32_VMX_PROCBASED_CTLS));
        assertEquals(PrimaryProcBasedControls.DEFAULT1, legacy);
    }

    @Example
    void modelledFeaturesAreOffered() {
        int proc2 = CAPS.adjustSecondaryProcBased(-1);
        assertEquals(SecondaryProcBasedControls.ENABLE_EPT | SecondaryProcBasedControls.UNRESTRICTED_GUEST,
            proc2 & (SecondaryProcBasedControls.ENABLE_EPT | SecondaryProcBasedControls.UNRESTRICTED_GUEST));
        assertTrue(CAPS.hasEptVpidCap(VmxCapabilities.EPT_CAP_WALK_4 | VmxCapabilities.EPT_CAP_MEMTYPE_WB
            | VmxCapabilities.EPT_CAP_2MB_PAGES | VmxCapabilities.EPT_CAP_ACCESSED_DIRTY
            | VmxCapabilities.EPT_CAP_INVEPT_SINGLE_CONTEXT | VmxCapabilities.EPT_CAP_INVEPT_ALL_CONTEXT));
        assertFalse(CAPS.hasEptVpidCap(VmxCapabilities.EPT_CAP_1GB_PAGES));
        assertEquals(0x8000_0021L, CAPS.cr0Fixed0());
        assertEquals(0x2000L, CAPS.cr4Fixed0());
        assertEquals(4, CAPS.cr3TargetCount());
        for (int s = 0; s <= 3; s++) {
            assertTrue(CAPS.supportsActivityState(s));
        }
        assertFalse(CAPS.supportsActivityState(4));
    }

    @Example
    void vmcsEnumReportsTheHighestFieldIndex() {
        int max = 0;
        for (VmcsField f : VmcsField.values()) {
            max = Math.max(max, (f.encoding() >>> 1) & 0x1FF);
        }
        assertEquals(max, (CAPS.msr(VmxCapabilities.IA32_VMX_VMCS_ENUM) >>> 1) & 0x1FF);
    }

    @Example
    void unknownMsrIndexIsRejectedWithItsRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CAPS.msr(0x492));
        assertTrue(e.getMessage().contains("0x480..0x491") && e.getMessage().contains("0x492"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CAPS.withPhysicalAddressWidth(60));
    }

    @Example
    void withMsrDerivesAVariantWithoutChangingTheOriginal() {
        VmxCapabilities noUg = CAPS.withMsr(VmxCapabilities.IA32_VMX_PROCBASED_CTLS2,
            CAPS.msr(VmxCapabilities.IA32_VMX_PROCBASED_CTLS2) & ~((long) SecondaryProcBasedControls.UNRESTRICTED_GUEST << 32));
        assertEquals(0, noUg.adjustSecondaryProcBased(SecondaryProcBasedControls.UNRESTRICTED_GUEST));
        assertEquals(SecondaryProcBasedControls.UNRESTRICTED_GUEST,
            CAPS.adjustSecondaryProcBased(SecondaryProcBasedControls.UNRESTRICTED_GUEST));
    }
}
