package org.haxm.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.haxm.examples.setup.GuestMode;
import org.haxm.examples.setup.GuestModeSetup;

/**
 * Parses the arguments of {@code haxm run}. The syntax is a public contract:
 * <pre>
 * run --mode real|protected|paged32|long --ram SIZE --load ADDR=FILE [--load ...] --entry ADDR
 *     [--dump-mem ADDR:LEN=FILE ...] [--dump-regs FILE.json] [--max-insns N]
 * </pre>
 * Numbers are decimal or {@code 0x} hex; SIZE also takes a K/M/G suffix. {@code --opt=value} is
 * accepted as well as {@code --opt value}.
 */
public final class RunOptionsParser {

    /** Smallest RAM: one page. */
    public static final long MIN_RAM = 4096;
    /** Largest RAM the tool accepts. */
    public static final long MAX_RAM = 16L << 30;
    /** Largest real-mode entry + 1: CS = 0 and IP is 16 bits. */
    public static final long REAL_MODE_ENTRY_LIMIT = 0x10000;

    private RunOptionsParser() {
    }

    /** Parses and validates; every problem is a {@link UsageException} naming the option. */
    public static RunOptions parse(List<String> args) throws UsageException {
        GuestMode mode = null;
        Long ram = null;
        Long entry = null;
        Path regs = null;
        long maxInsns = 0;
        List<LoadSpec> loads = new ArrayList<>();
        List<MemoryDumpSpec> dumps = new ArrayList<>();

        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String option = arg;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                option = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                if (!arg.startsWith("--")) {
                    throw new UsageException("unexpected argument '" + arg + "'");
                }
                if (i + 1 >= args.size()) {
                    throw new UsageException(arg + ": missing value");
                }
                value = args.get(++i);
            }
            switch (option) {
                case "--mode" -> {
                    if (mode != null) throw new UsageException("--mode given twice");
                    try {
                        mode = GuestMode.fromCliName(value);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--mode: " + e.getMessage());
                    }
                }
                case "--ram" -> {
                    if (ram != null) throw new UsageException("--ram given twice");
                    ram = parseRam(value);
                }
                case "--entry" -> {
                    if (entry != null) throw new UsageException("--entry given twice");
                    entry = Numbers.parse("--entry", value);
                }
                case "--load" -> loads.add(parseLoad(value));
                case "--dump-mem" -> dumps.add(parseDump(value));
                case "--dump-regs" -> {
                    if (regs != null) throw new UsageException("--dump-regs given twice");
                    if (value.isEmpty()) throw new UsageException("--dump-regs: missing file name");
                    regs = Path.of(value);
                }
                case "--max-insns" -> {
                    maxInsns = Numbers.parse("--max-insns", value);
                    if (maxInsns == 0) throw new UsageException("--max-insns: must be at least 1");
                }
                default -> throw new UsageException("unknown option '" + option + "'");
            }
        }
        if (mode == null) throw new UsageException("--mode is required (real, protected, paged32 or long)");
        if (ram == null) throw new UsageException("--ram is required (e.g. --ram 2M)");
        if (loads.isEmpty()) throw new UsageException("at least one --load ADDR=FILE is required");
        if (entry == null) throw new UsageException("--entry is required");
        checkAddresses(mode, ram, entry, loads, dumps);
        return new RunOptions(mode, ram, loads, entry, dumps, Optional.ofNullable(regs), maxInsns);
    }

    private static long parseRam(String value) throws UsageException {
        long ram = Numbers.parseSize("--ram", value);
        if (ram < MIN_RAM || ram > MAX_RAM) {
            throw new UsageException("--ram: " + value + " must be between 4K and 16G");
        }
        if (ram % 4096 != 0) {
            throw new UsageException("--ram: " + value + " (" + ram + " bytes) must be a multiple of 4K (4096)");
        }
        return ram;
    }

    private static LoadSpec parseLoad(String value) throws UsageException {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1) {
            throw new UsageException("--load: '" + value + "' must be ADDR=FILE");
        }
        return new LoadSpec(Numbers.parse("--load address", value.substring(0, eq)), Path.of(value.substring(eq + 1)));
    }

    private static MemoryDumpSpec parseDump(String value) throws UsageException {
        int colon = value.indexOf(':');
        int eq = value.indexOf('=');
        if (colon <= 0 || eq <= colon + 1 || eq == value.length() - 1) {
            throw new UsageException("--dump-mem: '" + value + "' must be ADDR:LEN=FILE");
        }
        long address = Numbers.parse("--dump-mem address", value.substring(0, colon));
        long length = Numbers.parseSize("--dump-mem length", value.substring(colon + 1, eq));
        if (length == 0 || length > Integer.MAX_VALUE) {
            throw new UsageException("--dump-mem: length " + value.substring(colon + 1, eq) + " must be 1..2^31-1 bytes");
        }
        return new MemoryDumpSpec(address, length, Path.of(value.substring(eq + 1)));
    }

    private static void checkAddresses(GuestMode mode, long ram, long entry, List<LoadSpec> loads,
                                       List<MemoryDumpSpec> dumps) throws UsageException {
        try {
            GuestModeSetup.checkRamSize(mode, ram);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--ram: " + e.getMessage());
        }
        if (entry >= ram) {
            throw new UsageException("--entry " + Numbers.hex(entry) + " is outside RAM 0x0.." + Numbers.hex(ram - 1));
        }
        if (mode == GuestMode.REAL && entry >= REAL_MODE_ENTRY_LIMIT) {
            throw new UsageException("--entry " + Numbers.hex(entry) + " must be below 0x10000 in real mode (CS = 0, IP is 16 bits)");
        }
        for (LoadSpec l : loads) {
            if (l.address() >= ram) {
                throw new UsageException("--load " + Numbers.hex(l.address()) + "=" + l.file()
                        + ": address is outside RAM 0x0.." + Numbers.hex(ram - 1));
            }
        }
        for (MemoryDumpSpec d : dumps) {
            if (d.address() >= ram || d.length() > ram - d.address()) {
                throw new UsageException("--dump-mem " + Numbers.hex(d.address()) + ":" + Numbers.hex(d.length())
                        + ": range is outside RAM 0x0.." + Numbers.hex(ram - 1));
            }
        }
    }
}
