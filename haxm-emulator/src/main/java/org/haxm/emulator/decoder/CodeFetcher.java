package org.haxm.emulator.decoder;

/**
 * Source of instruction bytes for the decoder. The CPU's fetcher reads through segmentation and
 * paging (and may throw an architectural fault for an unreadable byte); tests and the disassembler
 * read from an array.
 */
@FunctionalInterface
public interface CodeFetcher {
    /** The byte at {@code offset} (0..14) from the start of the instruction, as 0..255. */
    int fetch(int offset);
}
