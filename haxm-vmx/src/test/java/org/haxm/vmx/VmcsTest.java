package org.haxm.vmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class VmcsTest {

    private final Vmcs vmcs = new Vmcs(VmxCapabilities.REVISION_ID);

    @Provide
    Arbitrary<VmcsField> qwordFields() {
        return Arbitraries.of(VmcsField.class).filter(f -> f.width() == FieldWidth.QWORD64 && !f.isReadOnly());
    }

    @Provide
    Arbitrary<VmcsField> writableFields() {
        return Arbitraries.of(VmcsField.class).filter(f -> !f.isReadOnly());
    }

    @Property
    void writeThenReadReturnsTheValueMaskedToWidth(@ForAll("writableFields") VmcsField f, @ForAll long value) {
        long fitting = value & f.width().valueMask();
        vmcs.write(f, fitting);
        assertEquals(fitting, vmcs.read(f));
        assertEquals(fitting, vmcs.vmread(f.encoding()));
    }

    @Property
    void writeRejectsValuesWiderThanTheField(@ForAll("writableFields") VmcsField f, @ForAll long value) {
        if (f.width().fits(value)) {
            return;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vmcs.write(f, value));
        assertTrue(e.getMessage().contains(f.name()) && e.getMessage().contains(f.width().bitCount() + "-bit"), e.getMessage());
    }

    @Property
    void highAndFullHalvesOf64BitFields(@ForAll("qwordFields") VmcsField f, @ForAll long full, @ForAll int high) {
        vmcs.vmwrite(f.encoding(), full);
        assertEquals(full, vmcs.read(f));
        assertEquals(full >>> 32, vmcs.vmread(f.encoding() + 1));
        vmcs.vmwrite(f.encoding() + 1, high);
        assertEquals((full & 0xFFFF_FFFFL) | ((long) high << 32), vmcs.read(f), "high write keeps bits 31:0");
        assertEquals(Integer.toUnsignedLong(high), vmcs.vmread(f.encoding() + 1));
    }

    @Property
    void vmwriteToNarrowFieldsKeepsOnlyTheLowBits(@ForAll("writableFields") VmcsField f, @ForAll long value) {
        vmcs.vmwrite(f.encoding(), value);
        assertEquals(value & f.width().valueMask(), vmcs.vmread(f.encoding()));
    }

    @Property
    void vmwriteToExitInformationFailsWithError13(@ForAll VmcsField f) {
        if (!f.isReadOnly()) {
            return;
        }
        VmFailValidException e = assertThrows(VmFailValidException.class, () -> vmcs.vmwrite(f.encoding(), 1));
        assertEquals(VmInstructionError.VMWRITE_READ_ONLY_COMPONENT, e.error());
        assertEquals(13, e.error().number());
    }

    @Example
    void unsupportedEncodingsFailWithError12() {
        for (long bad : new long[] {0x0400, 0x4401, 0x6801, 0x1_0000_2000L, 0x8000, 0x6C1E}) {
            VmFailValidException e = assertThrows(VmFailValidException.class, () -> vmcs.vmread(bad), Long.toHexString(bad));
            assertEquals(12, e.error().number());
            assertThrows(VmFailValidException.class, () -> vmcs.vmwrite(bad, 0));
        }
    }

    @Example
    void softwareCannotWriteExitInformation() {
        VmcsAccessException e = assertThrows(VmcsAccessException.class, () -> vmcs.write(VmcsField.EXIT_QUALIFICATION, 1));
        assertTrue(e.getMessage().contains("EXIT_QUALIFICATION"));
        vmcs.writeExitInformation(VmcsField.EXIT_QUALIFICATION, 0x1234);
        assertEquals(0x1234, vmcs.read(VmcsField.EXIT_QUALIFICATION));
        assertEquals(0x1234, vmcs.vmread(VmcsField.EXIT_QUALIFICATION.encoding()));
    }

    @Example
    void processorSideWritesOnlyExitInformation() {
        assertThrows(VmcsAccessException.class, () -> vmcs.writeExitInformation(VmcsField.GUEST_RIP, 0));
        assertThrows(IllegalArgumentException.class, () -> vmcs.writeExitInformation(VmcsField.EXIT_REASON, 1L << 32));
        vmcs.writeExitInformation32(VmcsField.EXIT_REASON, 0x8000_0021);
        assertEquals(0x8000_0021L, vmcs.read(VmcsField.EXIT_REASON));
    }

    @Example
    void typedAccessorsRejectOtherWidths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vmcs.read16(VmcsField.GUEST_RIP));
        assertTrue(e.getMessage().contains("GUEST_RIP") && e.getMessage().contains("NATURAL"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> vmcs.read32(VmcsField.GUEST_CS_SELECTOR));
        assertThrows(IllegalArgumentException.class, () -> vmcs.read64(VmcsField.GUEST_CR0));
        assertThrows(IllegalArgumentException.class, () -> vmcs.readNatural(VmcsField.EPT_POINTER));
        assertThrows(IllegalArgumentException.class, () -> vmcs.write32(VmcsField.GUEST_RIP, 0));
        assertThrows(IllegalArgumentException.class, () -> vmcs.write16(VmcsField.GUEST_CS_SELECTOR, 0x1_0000));
    }

    @Example
    void typedAccessorsReadTheirWidths() {
        vmcs.write16(VmcsField.GUEST_CS_SELECTOR, 0xF000);
        vmcs.write32(VmcsField.GUEST_CS_LIMIT, -1);
        vmcs.write(VmcsField.EPT_POINTER, 0x1001E);
        vmcs.write(VmcsField.GUEST_RIP, -16);
        assertEquals(0xF000, vmcs.read16(VmcsField.GUEST_CS_SELECTOR));
        assertEquals(-1, vmcs.read32(VmcsField.GUEST_CS_LIMIT));
        assertEquals(0xFFFF_FFFFL, vmcs.read(VmcsField.GUEST_CS_LIMIT));
        assertEquals(0x1001E, vmcs.read64(VmcsField.EPT_POINTER));
        assertEquals(-16, vmcs.readNatural(VmcsField.GUEST_RIP));
    }

    @Example
    void launchStateFollowsVmclearAndVmlaunch() {
        assertEquals(Vmcs.LaunchState.CLEAR, vmcs.launchState());
        vmcs.markLaunched();
        assertEquals(Vmcs.LaunchState.LAUNCHED, vmcs.launchState());
        vmcs.write(VmcsField.GUEST_RIP, 0x1000);
        vmcs.clear();
        assertEquals(Vmcs.LaunchState.CLEAR, vmcs.launchState());
        assertEquals(0x1000, vmcs.read(VmcsField.GUEST_RIP), "VMCLEAR keeps the data");
    }

    @Example
    void revisionIdMustFit31Bits() {
        assertEquals(0x4A58, vmcs.revisionId());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Vmcs(0x8000_0000));
        assertTrue(e.getMessage().contains("revisionId"));
    }

    @Example
    void dumpListsNonZeroFieldsUnderTheirGroups() {
        vmcs.write(VmcsField.GUEST_CR0, 0x8000_0031L);
        vmcs.writeExitInformation(VmcsField.EXIT_REASON, 30);
        String dump = vmcs.dump();
        assertTrue(dump.contains(VmcsGroup.GUEST_REGISTER.title()), dump);
        assertTrue(dump.contains("GUEST_CR0") && dump.contains("0x80000031"), dump);
        assertTrue(dump.contains(VmcsGroup.EXIT_INFORMATION.title()) && dump.contains("EXIT_REASON"), dump);
        assertTrue(dump.contains("(" + (VmcsField.values().length - 2) + " zero fields not shown)"), dump);
        assertTrue(dump.indexOf("EXIT_REASON") > dump.indexOf(VmcsGroup.EXIT_INFORMATION.title()));
    }
}
