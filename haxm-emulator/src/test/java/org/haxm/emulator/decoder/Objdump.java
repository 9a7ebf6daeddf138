package org.haxm.emulator.decoder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test oracle: GNU objdump from binutils, run once over a batch of instructions written to a temp
 * file. Used only from tests; absent objdump makes the dependent tests skip visibly.
 */
final class Objdump {
    private Objdump() {}

    static final Path PATH = Path.of("/usr/bin/objdump");

    /** One line of objdump output: instruction length and text (mnemonic and operands). */
    record Line(int length, String text) {
        /** The mnemonic, with objdump's printed prefixes (lock, rep, data16, cs...) removed. */
        String mnemonic() {
            String[] words = text.trim().split("\\s+");
            for (String w : words) {
                if (!PREFIX_WORDS.contains(w)) return w;
            }
            return words.length == 0 ? "" : words[words.length - 1];
        }
    }

    private static final java.util.Set<String> PREFIX_WORDS = java.util.Set.of("lock", "rep", "repz", "repe",
        "repnz", "repne", "data16", "data32", "addr16", "addr32", "cs", "ds", "es", "ss", "fs", "gs", "rex",
        "rex.W", "rex.R", "rex.X", "rex.B", "rex.WR", "rex.WX", "rex.WB", "rex.RX", "rex.RB", "rex.XB",
        "rex.WRX", "rex.WRB", "rex.WXB", "rex.RXB", "rex.WRXB", "bnd", "notrack", "xacquire", "xrelease");

    static boolean available() { return Files.isExecutable(PATH); }

    /** Disassembles {@code code} as {@code codeSize}-bit code; the map is keyed by offset. */
    static Map<Integer, Line> disassemble(byte[] code, int codeSize) {
        try {
            Path file = Files.createTempFile("haxm-decoder", ".bin");
            try {
                Files.write(file, code);
                String machine = codeSize == 64 ? "i386:x86-64" : codeSize == 32 ? "i386" : "i8086";
                // intel64: Intel's behaviour where AMD64 differs (66h on near branches is ignored).
                String options = codeSize == 64 ? "intel,intel64" : "intel";
                Process p = new ProcessBuilder(PATH.toString(), "-D", "-b", "binary", "-m", machine, "-M", options,
                    "--insn-width=16", file.toString()).redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("objdump timed out");
                return parse(output);
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

    private static Map<Integer, Line> parse(String output) {
        Map<Integer, Line> lines = new HashMap<>();
        for (String raw : output.split("\n")) {
            String[] f = raw.split("\t");
            if (f.length < 2 || !f[0].trim().endsWith(":")) continue;
            String addr = f[0].trim();
            addr = addr.substring(0, addr.length() - 1);
            if (!addr.matches("[0-9a-f]+")) continue;
            String bytes = f[1].trim();
            int length = bytes.isEmpty() ? 0 : bytes.split("\\s+").length;
            String text = f.length > 2 ? f[2].trim() : "";
            lines.put(Integer.parseInt(addr, 16), new Line(length, text));
        }
        return lines;
    }
}
