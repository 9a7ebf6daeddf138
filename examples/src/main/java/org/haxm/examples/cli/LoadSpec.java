package org.haxm.examples.cli;

import java.nio.file.Path;

/**
 * One {@code --load ADDR=FILE}: a flat binary copied to guest-physical {@code address}.
 *
 * @param address guest-physical load address
 * @param file the image file
 */
public record LoadSpec(long address, Path file) {
}
