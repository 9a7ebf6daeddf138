package org.haxm.emulator.encoder;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Assumptions;

/**
 * The encoder against GNU objdump: a batch of random descriptions per code size is encoded into
 * one buffer and disassembled by one objdump run; objdump must find every instruction at the
 * offset the encoder put it, with the same length and mnemonic. This anchors the encoder itself,
 * so the decoder round trip cannot pass on a misreading both halves share. Skipped (visibly) when
 * objdump is not installed.
 */
class EncoderObjdumpProperties {
    static final Path OBJDUMP = Path.of("/usr/bin/objdump");
    private static final int BATCH = 300;
    /** Words objdump prints before the mnemonic for prefixes. */
    private static final Set<String> PREFIX_WORDS = Set.of("lock", "rep", "repz", "repe", "repnz", "repne",
        "data16", "data32", "addr16", "addr32", "cs", "ds", "es", "ss", "fs", "gs", "rex", "rex.W", "rex.R",
        "rex.X", "rex.B", "rex.WR", "rex.WX", "rex.WB", "rex.RX", "rex.RB", "rex.XB", "rex.WRX", "rex.WRB",
        "rex.WXB", "rex.RXB", "rex.WRXB", "notrack", "bnd");
    /** binutils appends an operand-size letter to these. */
    private static final Set<String> SUFFIXED = Set.of("push", "pop", "call", "jmp", "ret", "leave");

    @Property(tries = 3, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void objdumpReadsTheEncoderLikeTheSdm(@ForAll("batches") List<Instruction> batch) {
        Assumptions.assumeTrue(java.nio.file.Files.isExecutable(OBJDUMP), "objdump not found at " + OBJDUMP + ": skipping");
        for (int codeSize : new int[] {16, 32, 64}) {
            List<Instruction> mine = batch.stream().filter(i -> i.codeSize() == codeSize).toList();
            List<byte[]> encoded = mine.stream().map(Encoder::encode).toList();
            int total = encoded.stream().mapToInt(b -> b.length).sum();
            byte[] code = new byte[total];
            int at = 0;
            List<Integer> offsets = new ArrayList<>();
            for (byte[] b : encoded) { offsets.add(at); System.arraycopy(b, 0, code, at, b.length); at += b.length; }
            Map<Integer, String[]> lines = disassemble(code, codeSize);
            List<String> problems = new ArrayList<>();
            for (int k = 0; k < mine.size(); k++) {
                String[] line = lines.get(offsets.get(k));
                String what = mine.get(k) + "\n    " + HexFormat.ofDelimiter(" ").formatHex(encoded.get(k));
                if (line == null) { problems.add("no instruction at the encoder's boundary: " + what); continue; }
                if (Integer.parseInt(line[0]) != encoded.get(k).length) problems.add("objdump length " + line[0] + ": " + what);
                String expected = Expectation.mnemonic(mine.get(k)).name().toLowerCase(Locale.ROOT);
                if (!expected.equals(mnemonic(line[1]))) problems.add("objdump says '" + line[1] + "': " + what);
            }
            assertTrue(problems.isEmpty(), codeSize + "-bit: " + problems.size() + " of " + mine.size() + "\n  " + String.join("\n  ", problems));
        }
    }

    @Provide Arbitrary<List<Instruction>> batches() { return Descriptions.any().list().ofSize(BATCH); }

    /** The mnemonic of an objdump text, prefixes dropped and binutils' size suffixes removed. */
    static String mnemonic(String text) {
        for (String w : text.trim().split("\\s+")) {
            if (PREFIX_WORDS.contains(w)) continue;
            if (w.equals("movabs")) return "mov";
            String base = w.length() > 1 ? w.substring(0, w.length() - 1) : w;
            return SUFFIXED.contains(base) && "wdlq".indexOf(w.charAt(w.length() - 1)) >= 0 ? base : w;
        }
        return "";
    }

    /** objdump over {@code code}: offset -> {length, text}. */
    static Map<Integer, String[]> disassemble(byte[] code, int codeSize) {
        try {
            Path file = Files.createTempFile("haxm-encoder", ".bin");
            try {
                Files.write(file, code);
                String machine = codeSize == 64 ? "i386:x86-64" : codeSize == 32 ? "i386" : "i8086";
                Process p = new ProcessBuilder(OBJDUMP.toString(), "-D", "-b", "binary", "-m", machine, "-M",
                    codeSize == 64 ? "intel,intel64" : "intel", "--insn-width=16", file.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("objdump timed out");
                Map<Integer, String[]> lines = new HashMap<>();
                for (String raw : out.split("\n")) {
                    String[] f = raw.split("\t");
                    if (f.length < 3 || !f[0].trim().matches("[0-9a-f]+:")) continue;
                    String addr = f[0].trim();
                    lines.put(Integer.parseInt(addr.substring(0, addr.length() - 1), 16),
                        new String[] {String.valueOf(f[1].trim().split("\\s+").length), f[2].trim()});
                }
                return lines;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new IllegalStateException("objdump failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
