package org.haxm.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.haxm.api.HaxExitStatus;
import org.haxm.examples.vmm.ExitStatistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Runs every bundled guest through the Vmm and checks it against its manifest entry. */
class BundledGuestsTest {

    static Stream<GuestSpec> guests() {
        return GuestManifest.loadBundled().stream();
    }

    private static GuestRunReport run(String name) {
        return DemoRunner.run(guests().filter(g -> g.name().equals(name)).findFirst().orElseThrow());
    }

    /** The exits returned to the VMM, in order. */
    private static List<String> toCaller(ExitStatistics s) {
        return s.trace().stream().map(ExitStatistics.TracedExit::toCaller).filter(t -> t != null).toList();
    }

    static Stream<String> guestNames() {
        return guests().map(GuestSpec::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("guestNames")
    void guestProducesItsOutputMemoryAndEnding(String name) {
        GuestRunReport r = run(name);
        GuestSpec guest = r.guest();
        assertEquals(guest.expectedOutput(), r.output(), guest.name() + ": " + r.result().message());
        assertEquals(guest.checkValue(), r.checkActual(), guest.name() + " memory check");
        assertTrue(r.endingOk(), guest.name() + " ended with: " + r.result().message());
        assertTrue(r.instructions() > 0);
    }

    @Test
    void helloRealExitsOncePerByteThenHalts() {
        GuestRunReport r = run("hello-real");
        List<String> exits = toCaller(r.exits());
        int n = r.guest().expectedOutput().length();
        assertEquals(n + 1, exits.size(), exits.toString());
        assertTrue(exits.subList(0, n).stream().allMatch("IO"::equals), exits.toString());
        assertEquals("HLT", exits.get(n));
        assertEquals(n, r.exits().count("IO_INSTRUCTION"));
    }

    @Test
    void stringIoBatchesBytesIntoFewerExits() {
        GuestRunReport r = run("hello-paged32");
        long ioExits = toCaller(r.exits()).stream().filter("IO"::equals).count();
        assertTrue(ioExits < r.output().length(), "REP OUTSB moves several bytes per exit: " + ioExits);
    }

    @Test
    void mmioGuestSeesReadsAndRecordsTheReadModifyWrite() {
        GuestRunReport r = run("mmio-long");
        assertEquals(List.of("mmio[+8] <- 15"), r.mmioWrites());
        // Returns to the VMM: one write per output byte, one read of +4, a read and a write for the RMW on +8.
        assertEquals(r.output().length() + 3, r.exits().returns(HaxExitStatus.FAST_MMIO));
        // VM exits: one EPT violation per MMIO instruction (the RMW's write completes the same instruction).
        assertEquals(r.output().length() + 2, r.exits().count("EPT_VIOLATION"), r.exits().table());
        assertEquals(1, r.exits().returns(HaxExitStatus.HLT));
    }

    @Test
    void engineHandledExitsAreCountedButNotReturned() {
        GuestRunReport r = run("hello-long");
        ExitStatistics.Count cpuid = r.exits().counts().stream().filter(c -> c.reasonName().equals("CPUID"))
                .findFirst().orElseThrow(() -> new AssertionError(r.exits().table()));
        assertTrue(cpuid.total() >= 1);
        assertEquals(0, cpuid.toCaller());
    }

    @Test
    void demoCommandReportsEveryGuestAndSucceeds() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        guests().forEach(g -> assertTrue(text.contains("=== " + g.name()), g.name()));
        assertTrue(text.contains("Hello, world! (real mode)"));
        assertTrue(text.contains("total guest instructions retired: "));
        assertTrue(text.contains("IO_INSTRUCTION"));
    }
}
