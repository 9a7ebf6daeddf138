/**
 * Intel-syntax disassembly of {@link org.haxm.emulator.decoder.DecodedInstruction}s, close to
 * {@code objdump -M intel}, for logs, debugging and tests.
 */
package org.haxm.emulator.disasm;
