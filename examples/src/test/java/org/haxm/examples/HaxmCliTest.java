package org.haxm.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.haxm.examples.demo.GuestManifest;
import org.haxm.examples.demo.GuestSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code haxm} command end-to-end, in-process: files in a temp dir, exit status, stdout/stderr, dumps. */
class HaxmCliTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int haxm(String... args) {
        return HaxmCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path bundled(String name) throws IOException {
        GuestSpec g = GuestManifest.loadBundled().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        Path p = dir.resolve(name + ".bin");
        Files.write(p, GuestManifest.binary(g));
        return p;
    }

    private Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static String jsonValue(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": \"(0x[0-9a-f]+)\"").matcher(json);
        assertTrue(m.find(), key + " missing in " + json);
        return m.group(1);
    }

    @Test
    void runHelloRealWritesOutputAndDumps() throws IOException {
        Path bin = bundled("hello-real");
        Path mem = dir.resolve("mem.bin");
        Path regs = dir.resolve("regs.json");
        int status = haxm("run", "--mode", "real", "--ram", "1M", "--load", "0x7C00=" + bin, "--entry", "0x7c00",
                "--dump-mem", "0x400:2=" + mem, "--dump-regs", regs.toString(), "--max-insns", "100000");
        assertEquals(0, status, stderr());
        assertEquals("Hello, world! (real mode)\n", stdout());
        assertArrayEquals(new byte[] {42, 0}, Files.readAllBytes(mem));
        String json = Files.readString(regs);
        for (String key : new String[] {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r15", "rip", "rflags",
                "cs", "ds", "es", "fs", "gs", "ss", "cr0", "cr2", "cr3", "cr4", "efer"}) {
            jsonValue(json, key);
        }
        assertEquals("0x0", jsonValue(json, "cs"));
        assertEquals("0x30", jsonValue(json, "cr0"));
    }

    @Test
    void registerDumpShowsRipAfterHltAndLongModeState() throws IOException {
        Path bin = file("g.bin", org.haxm.examples.vmm.TinyGuests.LONG_MOVS);
        Path regs = dir.resolve("regs.json");
        int status = haxm("run", "--mode", "long", "--ram", "2M", "--load", "0x10000=" + bin, "--entry", "65536",
                "--dump-regs", regs.toString());
        assertEquals(0, status, stderr());
        String json = Files.readString(regs);
        assertEquals("0x1122334455667788", jsonValue(json, "rax"));
        assertEquals("0x1122334455667788", jsonValue(json, "r15"));
        assertEquals("0x1000e", jsonValue(json, "rip"));
        assertEquals("0x8", jsonValue(json, "cs"));
        assertEquals("0x10", jsonValue(json, "ss"));
        assertEquals("0x2000", jsonValue(json, "cr3"));
        assertEquals(0x500, Long.decode(jsonValue(json, "efer")) & 0x500);
        assertEquals("0x200000", jsonValue(json, "rsp"));
    }

    @Test
    void debugExitSetsTheStatus() throws IOException {
        Path bin = bundled("exit-code");
        int status = haxm("run", "--mode", "protected", "--ram", "2M", "--load", "0x10000=" + bin, "--entry", "0x10000");
        assertEquals(0x21, status, stderr());
        assertEquals("bye\n", stdout());
    }

    @Test
    void tripleFaultIsOneLineAndNonZero() throws IOException {
        Path bin = file("ud2.bin", new byte[] {0x0F, 0x0B});
        int status = haxm("run", "--mode", "protected", "--ram", "2M", "--load", "0x10000=" + bin, "--entry", "0x10000");
        assertEquals(1, status);
        String err = stderr().replace("\r", "");
        assertEquals(1, err.split("\n").length, "exactly one line on stderr: " + err);
        assertTrue(err.startsWith("haxm run: guest stopped: triple fault at rip=0x10000 (#UD at rip=0x10000"), err);
    }

    @Test
    void instructionLimitIsReported() throws IOException {
        Path bin = file("spin.bin", new byte[] {(byte) 0xEB, (byte) 0xFE});
        int status = haxm("run", "--mode", "paged32", "--ram", "2M", "--load", "0x10000=" + bin, "--entry", "0x10000",
                "--max-insns", "500");
        assertEquals(1, status);
        assertTrue(stderr().contains("instruction limit 500 reached"), stderr());
    }

    @Test
    void usageErrorsExitWithStatus2() throws IOException {
        Path bin = file("x.bin", new byte[16]);
        assertEquals(2, haxm("run", "--mode", "long", "--ram", "12345", "--load", "0x10000=" + bin, "--entry", "0x10000"));
        assertTrue(stderr().contains("multiple of 4K"), stderr());
        err.reset();
        assertEquals(2, haxm("run", "--mode", "long", "--ram", "2M", "--load", "0x2000=" + bin, "--entry", "0x2000"));
        assertTrue(stderr().contains("0x2000..0x200f") && stderr().contains("0x1000..0xffff"), stderr());
        err.reset();
        assertEquals(2, haxm("run", "--mode", "long", "--ram", "2M", "--load", "0x10000=" + dir.resolve("missing.bin"),
                "--entry", "0x10000"));
        assertTrue(stderr().contains("no such file"), stderr());
        assertEquals(2, haxm("frobnicate"));
    }

    @Test
    void helpAndNoArgumentsPrintUsage() {
        assertEquals(0, haxm());
        assertTrue(stdout().contains("--mode real|protected|paged32|long"));
        out.reset();
        assertEquals(0, haxm("help"));
        assertTrue(stdout().startsWith("usage: haxm"));
    }
}
