package org.haxm.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.haxm.examples.setup.GuestMode;
import org.junit.jupiter.api.Test;

class RunOptionsParserTest {

    private static List<String> base(String... extra) {
        List<String> a = new ArrayList<>(List.of("--mode", "long", "--ram", "2M", "--load", "0x10000=g.bin", "--entry", "0x10000"));
        a.addAll(Arrays.asList(extra));
        return a;
    }

    private static String usageError(List<String> args) {
        return assertThrows(UsageException.class, () -> RunOptionsParser.parse(args)).getMessage();
    }

    @Test
    void parsesEveryOption() throws UsageException {
        RunOptions o = RunOptionsParser.parse(base("--load", "4096=b.bin", "--dump-mem", "0x400:8=m.bin",
                "--dump-mem", "0x10000:1K=n.bin", "--dump-regs", "r.json", "--max-insns", "1000"));
        assertEquals(GuestMode.LONG, o.mode());
        assertEquals(2 << 20, o.ramSize());
        assertEquals(List.of(new LoadSpec(0x10000, Path.of("g.bin")), new LoadSpec(4096, Path.of("b.bin"))), o.loads());
        assertEquals(0x10000, o.entry());
        assertEquals(List.of(new MemoryDumpSpec(0x400, 8, Path.of("m.bin")), new MemoryDumpSpec(0x10000, 1024, Path.of("n.bin"))),
                o.memoryDumps());
        assertEquals(Optional.of(Path.of("r.json")), o.registerDump());
        assertEquals(1000, o.maxInstructions());
    }

    @Test
    void optionalOptionsDefault() throws UsageException {
        RunOptions o = RunOptionsParser.parse(base());
        assertEquals(List.of(), o.memoryDumps());
        assertEquals(Optional.empty(), o.registerDump());
        assertEquals(0, o.maxInstructions(), "unlimited");
    }

    @Test
    void acceptsEqualsSyntaxAndEveryMode() throws UsageException {
        for (GuestMode m : GuestMode.values()) {
            RunOptions o = RunOptionsParser.parse(List.of("--mode=" + m.cliName(), "--ram=64K", "--load=0x7C00=x", "--entry=0x7C00"));
            assertEquals(m, o.mode());
            assertEquals(new LoadSpec(0x7C00, Path.of("x")), o.loads().get(0));
        }
    }

    @Test
    void ramSizesWithSuffixes() throws UsageException {
        assertEquals(64 << 10, Numbers.parseSize("--ram", "64K"));
        assertEquals(64 << 10, Numbers.parseSize("--ram", "64k"));
        assertEquals(3L << 30, Numbers.parseSize("--ram", "3G"));
        assertEquals(0x200000, Numbers.parseSize("--ram", "0x200000"));
        assertEquals(2L << 20, Numbers.parseSize("--ram", "0x2M"));
    }

    @Test
    void badRamSizesAreUsageErrors() {
        assertTrue(usageError(List.of("--mode", "real", "--ram", "5000", "--load", "0=x", "--entry", "0")).contains("multiple of 4K"));
        assertTrue(usageError(List.of("--mode", "real", "--ram", "32G", "--load", "0=x", "--entry", "0")).contains("16G"));
        assertTrue(usageError(List.of("--mode", "real", "--ram", "0", "--load", "0=x", "--entry", "0")).contains("--ram"));
        assertTrue(usageError(List.of("--mode", "real", "--ram", "2T", "--load", "0=x", "--entry", "0")).contains("not a number"));
        assertTrue(usageError(List.of("--mode", "real", "--ram", "-4K", "--load", "0=x", "--entry", "0")).contains("not a number"));
    }

    @Test
    void ramTheModeCannotUseIsAUsageError() {
        String tooBig = usageError(List.of("--mode", "long", "--ram", "13G", "--load", "0x10000=x", "--entry", "0x10000"));
        assertTrue(tooBig.contains("--ram") && tooBig.contains("too large for long mode"), tooBig);
        String tooSmall = usageError(List.of("--mode", "paged32", "--ram", "8K", "--load", "0x100=x", "--entry", "0x100"));
        assertTrue(tooSmall.contains("0x1000..0x3fff"), tooSmall);
    }

    @Property(tries = 100)
    void numbersRoundTripInHexAndDecimal(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long v) throws UsageException {
        assertEquals(v, Numbers.parse("n", Long.toString(v)));
        assertEquals(v, Numbers.parse("n", "0x" + Long.toHexString(v)));
        assertEquals(v, Numbers.parse("n", "0X" + Long.toHexString(v).toUpperCase()));
    }

    @Test
    void malformedNumbersAreRefused() {
        for (String s : List.of("", "0x", "12a", "0xg", "1.5", "0x1ffffffffffffffff", "0xffffffffffffffff")) {
            assertThrows(UsageException.class, () -> Numbers.parse("n", s), s);
        }
    }

    @Test
    void missingRequiredOptionsAreNamed() {
        assertTrue(usageError(List.of("--ram", "2M", "--load", "0=x", "--entry", "0")).contains("--mode"));
        assertTrue(usageError(List.of("--mode", "real", "--load", "0=x", "--entry", "0")).contains("--ram"));
        assertTrue(usageError(List.of("--mode", "real", "--ram", "2M", "--entry", "0")).contains("--load"));
        assertTrue(usageError(List.of("--mode", "real", "--ram", "2M", "--load", "0=x")).contains("--entry"));
    }

    @Test
    void malformedOptionsAreUsageErrors() {
        assertTrue(usageError(base("--bogus", "1")).contains("--bogus"));
        assertTrue(usageError(base("--max-insns")).contains("missing value"));
        assertTrue(usageError(base("--max-insns", "0")).contains("--max-insns"));
        assertTrue(usageError(base("--load", "0x10000")).contains("ADDR=FILE"));
        assertTrue(usageError(base("--dump-mem", "0x400=f")).contains("ADDR:LEN=FILE"));
        assertTrue(usageError(base("--dump-mem", "0x400:0=f")).contains("length"));
        assertTrue(usageError(base("stray")).contains("stray"));
        assertTrue(usageError(base("--mode", "real")).contains("twice"));
        assertTrue(usageError(List.of("--mode", "virtual86", "--ram", "2M", "--load", "0=x", "--entry", "0")).contains("paged32"));
    }

    @Test
    void addressesMustLieInRam() {
        assertTrue(usageError(List.of("--mode", "long", "--ram", "1M", "--load", "0x10000=x", "--entry", "0x100000")).contains("--entry"));
        assertTrue(usageError(List.of("--mode", "long", "--ram", "1M", "--load", "0x100000=x", "--entry", "0x10000")).contains("--load"));
        assertTrue(usageError(base("--dump-mem", "0x1FFFFF:2=f")).contains("--dump-mem"));
        assertTrue(usageError(List.of("--mode", "real", "--ram", "1M", "--load", "0x10000=x", "--entry", "0x10000")).contains("below 0x10000"));
    }

    @Test
    void imagesOverlappingTheReservedRegionAreRefusedNamingBothRanges() throws UsageException {
        RunOptions o = RunOptionsParser.parse(List.of("--mode", "paged32", "--ram", "1M", "--load", "0x3800=x", "--entry", "0x3800"));
        String msg = assertThrows(UsageException.class, () -> o.checkImageLayout(new long[] {0x100})).getMessage();
        assertTrue(msg.contains("0x3800..0x38ff") && msg.contains("0x1000..0x3fff"), msg);
        // The same image is fine in real mode, and just past the region in paged32 mode.
        RunOptionsParser.parse(List.of("--mode", "real", "--ram", "1M", "--load", "0x3800=x", "--entry", "0x3800"))
                .checkImageLayout(new long[] {0x100});
        RunOptionsParser.parse(List.of("--mode", "paged32", "--ram", "1M", "--load", "0x4000=x", "--entry", "0x4000"))
                .checkImageLayout(new long[] {0x100});
        // An image that ends inside the region is caught too.
        RunOptions below = RunOptionsParser.parse(List.of("--mode", "long", "--ram", "1M", "--load", "0x800=x", "--entry", "0x800"));
        assertThrows(UsageException.class, () -> below.checkImageLayout(new long[] {0x801}));
        below.checkImageLayout(new long[] {0x800});
    }

    @Test
    void imagesMustFitInRamAndNotOverlapEachOther() throws UsageException {
        RunOptions o = RunOptionsParser.parse(List.of("--mode", "long", "--ram", "1M", "--load", "0x10000=a",
                "--load", "0x10800=b", "--entry", "0x10000"));
        o.checkImageLayout(new long[] {0x800, 0x800});
        String overlap = assertThrows(UsageException.class, () -> o.checkImageLayout(new long[] {0x801, 0x10})).getMessage();
        assertTrue(overlap.contains("0x10000..0x10800"), overlap);
        String tooBig = assertThrows(UsageException.class, () -> o.checkImageLayout(new long[] {0x10, 0x100000})).getMessage();
        assertTrue(tooBig.contains("does not fit in RAM"), tooBig);
    }
}
