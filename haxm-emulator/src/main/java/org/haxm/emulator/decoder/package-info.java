/**
 * The x86 instruction decoder (Intel SDM Vol. 2, Chapter 2 and Appendix A).
 *
 * <p>How it is laid out:
 * <ul>
 * <li>{@link org.haxm.emulator.decoder.Decoder} — the decoding steps: prefixes, opcode map,
 *     selector walk, ModRM/SIB/displacement, operands. Allocation-free; one instance per VCPU.</li>
 * <li>{@link org.haxm.emulator.decoder.OpcodeEntry} — one opcode-map cell: a leaf (mnemonic,
 *     operand specs, flags) or a selector among sub-cells (ModRM.reg group, mod, rm, mandatory
 *     prefix, operand size, address size, mode, REX.B).</li>
 * <li>{@link org.haxm.emulator.decoder.OperandSpec} — operand specs in SDM notation ("Ev", "Iz"),
 *     parsed once; {@link org.haxm.emulator.decoder.OpcodeFlags} — the i64/o64/d64/f64 superscripts
 *     and LOCK permission.</li>
 * <li>The maps as data: {@code OneByteMap} (Table A-2), {@code TwoByteMap} (Table A-3),
 *     {@code ThreeByteMaps} (Tables ), {@code VectorEntries} (MMX/SSE prefix columns),
 *     {@code VexMap} (VEX maps with the BMI1/BMI2 instructions).</li>
 * <li>{@link org.haxm.emulator.decoder.DecodedInstruction} — the reusable output the execution
 *     core reads.</li>
 * </ul>
 *
 * <p>General-purpose and system instructions are decoded with full operand detail. x87, MMX, SSE
 * and AVX instructions are decoded for length, validity per mandatory prefix/ModRM form, and
 * disassembly, under the generic mnemonics X87, MMX, SSE and AVX.
 */
package org.haxm.emulator.decoder;
