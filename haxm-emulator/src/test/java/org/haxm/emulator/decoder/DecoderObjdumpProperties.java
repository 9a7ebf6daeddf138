package org.haxm.emulator.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decoder's main oracle: for random valid encodings (legal prefixes + an opcode from the
 * decoder's tables + random ModRM/SIB/displacement/immediate bytes, in 16-, 32- and 64-bit code),
 * the instruction length must equal GNU objdump's, and general-purpose mnemonics must agree
 * (modulo binutils' spelling, see {@link ObjdumpNames}). Each try disassembles one batch with a
 * single objdump run. Strict: no length mismatch, no mnemonic mismatch, and objdump must accept
 * every instruction the decoder accepts (except reserved x87 register forms, counted separately).
 * The disassembler's text is also compared (whitespace collapsed, objdump's ignored-prefix words removed).
 * Exclusions where objdump is not a usable oracle are documented in {@link Encodings}.
 */
class DecoderObjdumpProperties {
    private static final Logger LOG = LoggerFactory.getLogger(DecoderObjdumpProperties.class);
    private static final int BATCH = 400;
    private static final ObjdumpComparison TOTAL = new ObjdumpComparison();

    @Property(tries = 8, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void lengthsAgreeWithObjdumpIn16BitCode(@ForAll("code16") List<byte[]> batch) {
        check(batch, 16);
    }

    @Property(tries = 8, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void lengthsAgreeWithObjdumpIn32BitCode(@ForAll("code32") List<byte[]> batch) {
        check(batch, 32);
    }

    @Property(tries = 8, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void lengthsAgreeWithObjdumpIn64BitCode(@ForAll("code64") List<byte[]> batch) {
        check(batch, 64);
    }

    @Provide Arbitrary<List<byte[]>> code16() { return Encodings.legacy(16).list().ofSize(BATCH); }
    @Provide Arbitrary<List<byte[]>> code32() { return withVex(32); }
    @Provide Arbitrary<List<byte[]>> code64() { return withVex(64); }

    private static Arbitrary<List<byte[]>> withVex(int codeSize) {
        return Combinators.combine(Encodings.legacy(codeSize).list().ofSize(BATCH),
            Encodings.vex(codeSize).list().ofSize(BATCH / 8)).as((a, b) -> {
                List<byte[]> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            });
    }

    private static void check(List<byte[]> batch, int codeSize) {
        Assumptions.assumeTrue(Objdump.available(), "objdump not found at " + Objdump.PATH + ": skipping the objdump oracle");
        ObjdumpComparison c = new ObjdumpComparison();
        c.run(batch, codeSize);
        synchronized (TOTAL) { TOTAL.add(c); }
        String report = codeSize + "-bit: " + c.summary() + "\n  " + String.join("\n  ", c.samples);
        assertEquals(0, c.lengthMismatches, report);
        assertEquals(0, c.objdumpBad, report);
        assertEquals(0, c.mnemonicMismatches, report);
        // The batch must really exercise the decoder: most candidates are valid instructions.
        assertTrue(c.compared > batch.size() / 3, report);
        // The disassembler's text is close to objdump's: identical for ~90-97% of general-purpose
        // instructions; the rest differ in binutils' size suffixes (pushw, retfd...), SAL vs SHL
        // and eiz/riz spellings. A drop below 85% means the formatting regressed.
        assertTrue(c.textMatches >= 0.85 * c.textCompared, report + "\n  text: " + String.join("\n  ", c.textSamples));
    }

    @AfterContainer
    static void logTotals() {
        LOG.info("decoder vs objdump, all modes: {}", TOTAL.summary());
    }
}
