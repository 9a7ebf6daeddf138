package org.haxm.vmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class VmcsFieldProperties {

    @Property
    void encodingDecodesToItsWidthAndType(@ForAll VmcsField f) {
        int e = f.encoding();
        assertEquals(f.width().encodingBits(), (e >>> 13) & 3);
        assertEquals(f.type().encodingBits(), (e >>> 10) & 3);
        assertEquals(f.group().type(), f.type());
    }

    @Property
    void reservedBitsAndAccessTypeAreZero(@ForAll VmcsField f) {
        assertEquals(0, f.encoding() & (1 << 12), "bit 12");
        assertEquals(0, f.encoding() >>> 15, "bits 31:15");
        assertEquals(0, f.encoding() & 1, "full encoding has access type 0");
    }

    @Property
    void fullEncodingLooksUpTheField(@ForAll VmcsField f) {
        assertSame(f, VmcsField.fromEncoding(f.encoding()));
        assertSame(f, VmcsField.requireEncoding(f.encoding()));
    }

    @Property
    void highEncodingExistsOnlyFor64BitFields(@ForAll VmcsField f) {
        VmcsEncoding high = VmcsEncoding.decode(f.encoding() + 1L);
        if (f.width() == FieldWidth.QWORD64) {
            assertEquals(new VmcsEncoding(f, true), high);
            assertEquals(f.encoding() + 1, high.encoding());
        } else {
            assertNull(high);
            assertThrows(IllegalArgumentException.class, () -> new VmcsEncoding(f, true));
        }
        assertNull(VmcsField.fromEncoding(f.encoding() + 1), "high encodings are not fields");
    }

    @Property
    void anyEncodingThatResolvesNamesThatEncoding(@ForAll @IntRange(min = 0, max = 0xFFFF) int encoding) {
        VmcsField f = VmcsField.fromEncoding(encoding);
        if (f != null) {
            assertEquals(encoding, f.encoding());
        }
        VmcsEncoding d = VmcsEncoding.decode(encoding);
        if (d != null) {
            assertEquals(encoding, d.encoding());
        }
    }

    @Property
    void encodingsWithUpperBitsAreUnsupported(@ForAll VmcsField f, @ForAll @IntRange(min = 15, max = 63) int bit) {
        assertNull(VmcsEncoding.decode(f.encoding() | (1L << bit)));
    }

    @Example
    void encodingsAreUnique() {
        Set<Integer> distinct = Arrays.stream(VmcsField.values()).map(VmcsField::encoding).collect(Collectors.toSet());
        assertEquals(VmcsField.values().length, distinct.size());
    }

    @Example
    void wellKnownEncodingsMatchTheSdm() {
        assertEquals(0x6802, VmcsField.GUEST_CR3.encoding());
        assertEquals(0x201A, VmcsField.EPT_POINTER.encoding());
        assertEquals(0x6400, VmcsField.EXIT_QUALIFICATION.encoding());
        assertEquals(0x4402, VmcsField.EXIT_REASON.encoding());
        assertEquals(0x0800, VmcsField.GUEST_ES_SELECTOR.encoding());
        assertEquals(FieldWidth.NATURAL, VmcsField.GUEST_RIP.width());
        assertEquals(FieldType.EXIT_INFORMATION, VmcsField.GUEST_PHYSICAL_ADDRESS.type());
        assertEquals(VmcsGroup.GUEST_NON_REGISTER, VmcsField.VMCS_LINK_POINTER.group());
    }

    @Example
    void unknownEncodingsGiveNullOrThrowNamingTheEncoding() {
        assertNull(VmcsField.fromEncoding(0x0400));
        assertNull(VmcsField.fromEncoding(0x1000));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VmcsField.requireEncoding(0x6C1E));
        assertEquals(true, e.getMessage().contains("0x6c1e"), e.getMessage());
    }
}
