package org.haxm.examples.cli;

import java.nio.file.Path;

/**
 * One {@code --dump-mem ADDR:LEN=FILE}: after the guest halts, {@code length} bytes of guest RAM
 * from {@code address} are written raw to {@code file}.
 *
 * @param address guest-physical start
 * @param length number of bytes (at least 1)
 * @param file destination
 */
public record MemoryDumpSpec(long address, long length, Path file) {
}
