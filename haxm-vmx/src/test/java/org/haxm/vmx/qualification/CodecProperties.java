package org.haxm.vmx.qualification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Round trips for every codec: decode(encode(x)) == x over generated records, and
 * encode(decode(bits)) == bits over valid bit patterns assembled by hand from the SDM layout.
 */
class CodecProperties {

    // ---------------------------------------------------------------- I/O

    @Provide
    Arbitrary<IoQualification> io() {
        return Combinators.combine(Arbitraries.of(1, 2, 4), Arbitraries.of(true, false), Arbitraries.of(true, false),
            Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.integers().between(0, 0xFFFF))
            .as(IoQualification::new);
    }

    @Property
    void ioRecordRoundTrips(@ForAll("io") IoQualification q) {
        assertEquals(q, IoQualification.decode(q.encode()));
        assertEquals(q.encode(), IoQualification.encode(q.size(), q.in(), q.string(), q.rep(), q.immediate(), q.port()));
    }

    @Property
    void ioBitsRoundTrip(@ForAll("sizeCodes") int sizeCode, @ForAll @IntRange(min = 0, max = 15) int flags,
                         @ForAll @IntRange(min = 0, max = 0xFFFF) int port) {
        long bits = sizeCode | ((long) flags << 3) | ((long) port << 16);
        IoQualification q = IoQualification.decode(bits);
        assertEquals(bits, q.encode());
        assertEquals(port, q.port());
        assertEquals(sizeCode + 1, q.size());
    }

    @Provide
    Arbitrary<Integer> sizeCodes() { return Arbitraries.of(0, 1, 3); }

    @Example
    void ioKnownValuesAndRejections() {
        assertEquals(0x03F8_0000L, new IoQualification(1, false, false, false, false, 0x3F8).encode());   // OUT DX, AL
        assertEquals(0x0060_004BL, new IoQualification(4, true, false, false, true, 0x60).encode());     // IN EAX, 60h
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new IoQualification(3, false, false, false, false, 0)), "size");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new IoQualification(1, false, false, false, false, 0x1_0000)), "port");
        assertThrows(IllegalArgumentException.class, () -> IoQualification.decode(2));
        assertThrows(IllegalArgumentException.class, () -> IoQualification.decode(1L << 7));
        assertThrows(IllegalArgumentException.class, () -> IoQualification.decode(1L << 32));
    }

    // ---------------------------------------------------------------- CR access

    @Provide
    Arbitrary<CrAccessQualification> cr() {
        Arbitrary<CrAccessQualification> mov = Combinators.combine(Arbitraries.of(0, 3, 4, 8), Arbitraries.integers().between(0, 15),
            Arbitraries.of(true, false)).as((n, gpr, to) -> to ? CrAccessQualification.movToCr(n, gpr) : CrAccessQualification.movFromCr(n, gpr));
        Arbitrary<CrAccessQualification> lmsw = Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), Arbitraries.of(true, false))
            .as(CrAccessQualification::lmsw);
        return Arbitraries.oneOf(mov, lmsw, Arbitraries.just(CrAccessQualification.clts()));
    }

    @Property
    void crRecordRoundTrips(@ForAll("cr") CrAccessQualification q) {
        assertEquals(q, CrAccessQualification.decode(q.encode()));
    }

    @Property
    void crMovBitsRoundTrip(@ForAll("crNumbers") int n, @ForAll @IntRange(min = 0, max = 1) int type, @ForAll @IntRange(min = 0, max = 15) int gpr) {
        long bits = n | (type << 4) | (gpr << 8);
        assertEquals(bits, CrAccessQualification.decode(bits).encode());
    }

    @Property
    void lmswBitsRoundTrip(@ForAll boolean memory, @ForAll @IntRange(min = 0, max = 0xFFFF) int source) {
        long bits = (3 << 4) | (memory ? 1 << 6 : 0) | ((long) source << 16);
        CrAccessQualification q = CrAccessQualification.decode(bits);
        assertEquals(CrAccessQualification.AccessType.LMSW, q.accessType());
        assertEquals(bits, q.encode());
    }

    @Provide
    Arbitrary<Integer> crNumbers() { return Arbitraries.of(0, 3, 4, 8); }

    @Example
    void crKnownValuesAndRejections() {
        assertEquals(0x0000_0303L, CrAccessQualification.movToCr(3, 3).encode());    // MOV CR3, RBX
        assertEquals(0x0000_0020L, CrAccessQualification.clts().encode());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> CrAccessQualification.movToCr(2, 0)), "cr");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> CrAccessQualification.movToCr(0, 16)), "gpr");
        assertThrows(IllegalArgumentException.class, () -> CrAccessQualification.decode(0x0000_0120L));   // CLTS with a GPR
        assertThrows(IllegalArgumentException.class, () -> CrAccessQualification.decode(0x0001_0000L));   // LMSW data on MOV
        assertThrows(IllegalArgumentException.class, () -> CrAccessQualification.decode(1L << 7));
    }

    // ---------------------------------------------------------------- DR access

    @Property
    void drRecordRoundTrips(@ForAll @IntRange(min = 0, max = 7) int dr, @ForAll DrAccessQualification.Direction d,
                            @ForAll @IntRange(min = 0, max = 15) int gpr) {
        DrAccessQualification q = new DrAccessQualification(dr, d, gpr);
        assertEquals(q, DrAccessQualification.decode(q.encode()));
    }

    @Property
    void drBitsRoundTrip(@ForAll @IntRange(min = 0, max = 7) int dr, @ForAll boolean from, @ForAll @IntRange(min = 0, max = 15) int gpr) {
        long bits = dr | (from ? 0x10 : 0) | (gpr << 8);
        assertEquals(bits, DrAccessQualification.decode(bits).encode());
    }

    @Example
    void drRejections() {
        assertMessage(assertThrows(IllegalArgumentException.class,
            () -> new DrAccessQualification(8, DrAccessQualification.Direction.MOV_TO_DR, 0)), "dr");
        assertThrows(IllegalArgumentException.class, () -> DrAccessQualification.decode(1L << 3));
        assertThrows(IllegalArgumentException.class, () -> DrAccessQualification.decode(1L << 12));
    }

    // ---------------------------------------------------------------- EPT violation

    @Property
    void eptBitsRoundTrip(@ForAll @IntRange(min = 0, max = 0x7F) int accessAndPermissions, @ForAll boolean linear,
                          @ForAll boolean fin, @ForAll boolean nmi) {
        long bits = accessAndPermissions | (linear ? 0x80 : 0) | (linear && fin ? 0x100 : 0) | (nmi ? 0x1000 : 0);
        EptViolationQualification q = EptViolationQualification.decode(bits);
        assertEquals(bits, q.encode());
        assertEquals(q, EptViolationQualification.decode(q.encode()));
    }

    @Example
    void eptKnownValuesAndRejections() {
        // A write to a present, read-only page, reached through a linear address: bits 1, 3, 5, 7, 8.
        EptViolationQualification q = new EptViolationQualification(false, true, false, true, false, true, false, true, true, false);
        assertEquals(0x1AAL, q.encode());
        assertThrows(IllegalArgumentException.class,
            () -> new EptViolationQualification(true, false, false, false, false, false, false, false, true, false));
        assertThrows(IllegalArgumentException.class, () -> EptViolationQualification.decode(1L << 9));
        assertThrows(IllegalArgumentException.class, () -> EptViolationQualification.decode(0x100));
    }

    // ---------------------------------------------------------------- interruption information

    @Provide
    Arbitrary<InterruptionInfo> interruptions() {
        return Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.of(InterruptionType.class),
            Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false)).as(InterruptionInfo::new);
    }

    @Property
    void interruptionRecordRoundTrips(@ForAll("interruptions") InterruptionInfo info) {
        assertEquals(info, InterruptionInfo.decode(info.encode()));
        assertEquals(info.valid(), InterruptionInfo.isValid(info.encode()));
    }

    @Property
    void interruptionBitsRoundTrip(@ForAll @IntRange(min = 0, max = 255) int vector, @ForAll("typeCodes") int type,
                                   @ForAll @IntRange(min = 0, max = 3) int flags, @ForAll boolean valid) {
        long bits = vector | (type << 8) | ((long) flags << 11) | (valid ? 1L << 31 : 0);
        assertEquals(bits, InterruptionInfo.decode(bits).encode());
    }

    @Provide
    Arbitrary<Integer> typeCodes() { return Arbitraries.of(0, 2, 3, 4, 5, 6, 7); }

    @Example
    void interruptionKnownValuesAndRejections() {
        assertEquals(0x8000_0B0EL, InterruptionInfo.hardwareException(14, true).encode());   // #PF with error code
        assertEquals(0x8000_0202L, InterruptionInfo.nmi().encode());
        assertEquals(0x8000_0020L, InterruptionInfo.externalInterrupt(0x20).encode());
        assertEquals(0x8000_0480L, InterruptionInfo.softwareInterrupt(0x80).encode());
        assertEquals(0, InterruptionInfo.NONE.encode());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> InterruptionInfo.decode(0x8000_0100L)), "reserved");
        assertThrows(IllegalArgumentException.class, () -> InterruptionInfo.decode(1L << 20));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> InterruptionInfo.externalInterrupt(256)), "vector");
    }

    private static void assertMessage(IllegalArgumentException e, String mustContain) {
        assertTrue(e.getMessage().contains(mustContain), e.getMessage());
    }
}
