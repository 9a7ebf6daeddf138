package org.haxm.emulator.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Decoder;
import org.haxm.emulator.disasm.Disassembler;

/**
 * The decoder against an independent encoder: for random instruction descriptions, encode them
 * from the SDM's rules, decode the bytes, and require the same mnemonic, operand kinds,
 * registers, sizes, addressing components, immediate, segment and length. The bytes are followed
 * by junk so a decoder that reads too far is caught by the length.
 */
class EncoderRoundTripProperties {
    private final Decoder decoder = new Decoder();
    private final DecodedInstruction decoded = new DecodedInstruction();
    private final Disassembler disassembler = new Disassembler();

    static DecodedInstruction decode(Decoder decoder, byte[] bytes, int codeSize, DecodedInstruction out) {
        decoder.decode(offset -> offset < bytes.length ? bytes[offset] & 0xFF : 0xCC, codeSize, out);
        return out;
    }

    @Property(tries = 3000)
    void decoderAgreesWithTheEncoder(@ForAll("descriptions") Instruction insn) {
        byte[] bytes = Encoder.encode(insn);
        decode(decoder, bytes, insn.codeSize(), decoded);
        List<String> diffs = Expectation.differences(insn, bytes, decoded);
        assertTrue(diffs.isEmpty(), insn + "\n  bytes " + HexFormat.ofDelimiter(" ").formatHex(bytes) + "\n  " + String.join("\n  ", diffs));
        if (decoded.fault != DecodedInstruction.FAULT_NONE) return; // an invalid LOCK: #UD, checked above
        // The disassembler prints the same instruction: its text names the mnemonic the decoder found.
        String text = disassembler.format(decoded, 0).toLowerCase();
        String name = decoded.mnemonic.name().toLowerCase();
        assertTrue(text.contains(name.substring(0, Math.min(name.length(), 4))), text + " for " + insn);
    }

    @Provide Arbitrary<Instruction> descriptions() { return Descriptions.any(); }

    /** The generator really covers the forms: every form is encodable in some mode. */
    @Property(tries = 1)
    void everyFormIsReachable() {
        java.util.Random r = new java.util.Random(4);
        for (Form f : Forms.ALL) {
            boolean ok = false;
            for (int k = 0; k < 200 && !ok; k++) {
                int mode = f.modes().get(k % f.modes().size());
                ok = Encoder.encodable(Descriptions.random(r, mode, f));
            }
            assertTrue(ok, "no encodable description of " + f);
        }
        assertFalse(Forms.ALL.isEmpty());
    }

    /** A few encodings checked byte for byte against the SDM's examples, so both halves are anchored. */
    @Property(tries = 1)
    void knownEncodings() {
        Form addEvGv = Forms.ALL.stream().filter(f -> f.toString().startsWith("ADD 1 ")).findFirst().orElseThrow();
        // add [rbp+r12*4+0x10], r9 in 64-bit code: REX.WRX, 01, ModRM 01 001 100, SIB 10 100 101, disp8.
        Instruction i = new Instruction(addEvGv, 64, 8, 8,
            List.of(new Operand.Mem32(5, 12, 4, 0x10, 1, false), Operand.Reg.of(9)), -1, false, false, false, 0);
        assertEquals("4e014ca510", HexFormat.of().formatHex(Encoder.encode(i)));
        // add [bp+di-2], ax in 16-bit code: 01 43 FE.
        Instruction j = new Instruction(addEvGv, 16, 2, 2, List.of(new Operand.Mem16(3, 1, -2), Operand.Reg.of(0)), -1, false, false, false, 0);
        assertEquals("0143fe", HexFormat.of().formatHex(Encoder.encode(j)));
    }
}
