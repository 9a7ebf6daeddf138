package org.haxm.emulator.diff;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The native side: compiles {@code src/test/c/diffharness.c} with gcc (as a 64-bit or, with
 * {@code -m32}, a 32-bit program) into {@code target/diffharness/} and runs batches of cases
 * through it, one process per batch, records through files.
 */
final class NativeHarness {
    private final Path exe;
    private final Path dir;
    private final int mode;
    /** The host's ES CS SS DS FS GS selectors, reported by the harness. */
    final int[] selectors = new int[6];
    /** The harness also mapped the data pages at {@link Layout#LOW} (16-bit addressing cases possible). */
    boolean lowAlias;
    /** 16-bit code: the harness installed its 16-bit code segment. */
    boolean code16;

    private NativeHarness(Path exe, Path dir, int mode) {
        this.exe = exe;
        this.dir = dir;
        this.mode = mode;
    }

    /** Builds the harness; returns null with the compiler's message in {@code why[0]} when gcc cannot. */
    static NativeHarness build(int mode, String[] why) throws IOException, InterruptedException {
        Path src = Path.of("src/test/c/diffharness.c").toAbsolutePath();
        if (!Files.exists(src)) { why[0] = "harness source not found: " + src; return null; }
        Path dir = Path.of("target/diffharness").toAbsolutePath();
        Files.createDirectories(dir);
        Path exe = dir.resolve("diffharness" + mode);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O1", "-o", exe.toString(), src.toString()));
        if (mode != 64) cmd.add(1, "-m32"); // 16-bit code runs in a 32-bit process (LDT code segment)
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            why[0] = "gcc not found: " + e.getMessage();
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            why[0] = "gcc " + (mode != 64 ? "-m32 " : "") + "failed: " + out.lines().limit(3).toList();
            return null;
        }
        NativeHarness h = new NativeHarness(exe, dir, mode);
        h.run(List.of()); // reads the selectors
        return h;
    }

    /** Runs the cases natively, in order. */
    List<Outcome> run(List<TestCase> cases) throws IOException, InterruptedException {
        ByteBuffer in = ByteBuffer.allocate(cases.size() * Layout.IN_RECORD).order(ByteOrder.LITTLE_ENDIAN);
        for (TestCase c : cases) {
            in.put((byte) c.code().length);
            byte[] code = new byte[15];
            System.arraycopy(c.code(), 0, code, 0, c.code().length);
            in.put(code);
            for (long r : c.regs()) in.putLong(r);
            in.putLong(c.rflags());
            in.put(c.window());
        }
        Path inFile = dir.resolve("cases" + mode + ".bin"), outFile = dir.resolve("results" + mode + ".bin");
        Files.write(inFile, in.array());
        List<String> cmd = mode == 16 ? List.of(exe.toString(), "16") : List.of(exe.toString());
        Process p = new ProcessBuilder(cmd)
            .redirectInput(inFile.toFile()).redirectOutput(outFile.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("native harness did not finish");
        }
        if (p.exitValue() != 0) throw new IOException("native harness exited with " + p.exitValue());
        ByteBuffer out = ByteBuffer.wrap(Files.readAllBytes(outFile)).order(ByteOrder.LITTLE_ENDIAN);
        if (out.remaining() != (cases.size() + 1) * Layout.OUT_RECORD) {
            throw new IOException("native harness wrote " + out.remaining() + " bytes for " + cases.size() + " cases");
        }
        Outcome first = read(out);
        for (int i = 0; i < 6; i++) selectors[i] = (int) first.regs()[i];
        lowAlias = first.regs()[6] != 0;
        code16 = first.regs()[7] != 0;
        List<Outcome> results = new ArrayList<>(cases.size());
        for (int i = 0; i < cases.size(); i++) results.add(read(out));
        return results;
    }

    private static Outcome read(ByteBuffer b) {
        long[] regs = new long[16];
        for (int i = 0; i < 16; i++) regs[i] = b.getLong();
        long flags = b.getLong(), rip = b.getLong();
        int vector = b.getInt(), outside = b.getInt();
        byte[] window = new byte[Layout.WINDOW];
        b.get(window);
        return new Outcome(regs, flags, rip, vector, outside != 0, window);
    }
}
