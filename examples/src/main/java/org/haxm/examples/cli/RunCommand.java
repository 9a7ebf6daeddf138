package org.haxm.examples.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.haxm.api.HaxException;
import org.haxm.examples.vmm.RegisterDump;
import org.haxm.examples.vmm.RunResult;
import org.haxm.examples.vmm.Vmm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code haxm run}: loads flat binaries, starts the guest in the requested mode, stops at the
 * first HLT (status 0) or isa-debug-exit write (its status), then writes the requested dumps.
 * Failures (triple fault, instruction limit...) give status 1 and one line on stderr; usage
 * errors give status 2.
 */
public final class RunCommand {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    /** Exit status for usage errors. */
    public static final int USAGE_STATUS = 2;

    private RunCommand() {
    }

    /**
     * Runs the command.
     *
     * @param args the arguments after {@code run}
     * @param guestOutput where guest console output goes (stdout)
     * @param err where errors go (stderr)
     * @return the process exit status
     */
    public static int execute(List<String> args, OutputStream guestOutput, PrintStream err) {
        RunOptions options;
        byte[][] images;
        try {
            options = RunOptionsParser.parse(args);
            images = readImages(options);
        } catch (UsageException e) {
            err.println("haxm run: " + e.getMessage());
            return USAGE_STATUS;
        }
        try (Vmm vmm = new Vmm(options.mode(), options.ramSize(), guestOutput)) {
            for (int i = 0; i < images.length; i++) {
                vmm.load(options.loads().get(i).address(), images[i]);
            }
            RunResult result = vmm.run(options.entry(), options.maxInstructions());
            if (!result.guestEnded()) {
                err.println("haxm run: " + result.message());
                return result.exitStatus();
            }
            writeDumps(options, vmm);
            return result.exitStatus();
        } catch (HaxException | IllegalArgumentException e) {
            err.println("haxm run: " + e.getMessage());
            return RunResult.FAILURE_STATUS;
        } catch (IOException e) {
            err.println("haxm run: cannot write dump: " + e.getMessage());
            return RunResult.FAILURE_STATUS;
        } catch (RuntimeException e) {
            // A bug in the engine or the tool, not in the guest: one line, the stack trace in the log.
            LOG.error("internal error", e);
            err.println("haxm run: internal error: " + e);
            return RunResult.FAILURE_STATUS;
        }
    }

    private static byte[][] readImages(RunOptions options) throws UsageException {
        List<LoadSpec> loads = options.loads();
        byte[][] images = new byte[loads.size()][];
        long[] lengths = new long[loads.size()];
        for (int i = 0; i < images.length; i++) {
            LoadSpec l = loads.get(i);
            try {
                long size = Files.size(l.file());
                if (size > options.ramSize()) {
                    throw new UsageException("--load " + Numbers.hex(l.address()) + "=" + l.file() + ": file of "
                            + size + " bytes is larger than RAM");
                }
                images[i] = Files.readAllBytes(l.file());
            } catch (NoSuchFileException e) {
                throw new UsageException("--load " + Numbers.hex(l.address()) + "=" + l.file() + ": no such file");
            } catch (IOException e) {
                throw new UsageException("--load " + Numbers.hex(l.address()) + "=" + l.file() + ": cannot read: " + e);
            }
            lengths[i] = images[i].length;
        }
        options.checkImageLayout(lengths);
        return images;
    }

    private static void writeDumps(RunOptions options, Vmm vmm) throws IOException {
        for (MemoryDumpSpec d : options.memoryDumps()) {
            Files.write(d.file(), vmm.readMemory(d.address(), (int) d.length()));
        }
        if (options.registerDump().isPresent()) {
            String json = JsonWriter.flatObject(RegisterDump.of(vmm.registers(), vmm.efer()));
            Files.writeString(options.registerDump().get(), json, StandardCharsets.UTF_8);
        }
    }
}
