package org.haxm.emulator.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.constraints.IntRange;

/** Properties that hold for arbitrary bytes, valid or not. */
class DecoderRobustnessProperties {
    private final Decoder decoder = new Decoder();
    private final DecodedInstruction insn = new DecodedInstruction();

    @Provide Arbitrary<byte[]> soup() { return Encodings.soup(); }

    /** Byte soup never throws; it yields an instruction of 1..15 bytes or a #UD/#GP fault. */
    @Property(tries = 3000)
    void byteSoupNeverThrowsAndHasASaneLength(@ForAll("soup") byte[] code,
                                              @ForAll @IntRange(min = 0, max = 2) int mode) {
        int codeSize = 16 << mode;
        byte[] padded = java.util.Arrays.copyOf(code, 16);   // bytes past the soup read as 00
        decoder.decode(off -> padded[off] & 0xFF, codeSize, insn);
        if (insn.fault == DecodedInstruction.FAULT_NONE) {
            assertTrue(insn.length >= 1 && insn.length <= 15, "length " + insn.length);
            assertTrue(insn.mnemonic != Mnemonic.INVALID);
            assertTrue(insn.operandCount >= 0 && insn.operandCount <= 4);
        } else {
            assertTrue(insn.fault == DecodedInstruction.FAULT_UD || insn.fault == DecodedInstruction.FAULT_GP);
            assertEquals(Mnemonic.INVALID, insn.mnemonic);
        }
        for (int k = 0; k < Math.min(insn.length, 15); k++) assertEquals(padded[k], insn.bytes[k]);
    }

    /** Decoding is a function of the bytes: decoding twice into a reused object gives the same result. */
    @Property(tries = 500)
    void decodingIsDeterministicAndClearsOldState(@ForAll("soup") byte[] first, @ForAll("soup") byte[] second) {
        byte[] a = java.util.Arrays.copyOf(first, 16), b = java.util.Arrays.copyOf(second, 16);
        DecodedInstruction fresh = new DecodedInstruction();
        decoder.decode(off -> b[off] & 0xFF, 64, fresh);
        decoder.decode(off -> a[off] & 0xFF, 64, insn);
        decoder.decode(off -> b[off] & 0xFF, 64, insn);
        assertEquals(fresh.length, insn.length);
        assertEquals(fresh.mnemonic, insn.mnemonic);
        assertEquals(fresh.fault, insn.fault);
        assertEquals(fresh.disp, insn.disp);
        assertEquals(fresh.imm, insn.imm);
        assertEquals(fresh.operandCount, insn.operandCount);
        for (int i = 0; i < 4; i++) {
            assertEquals(fresh.opKind[i], insn.opKind[i]);
            assertEquals(fresh.opReg[i], insn.opReg[i]);
            assertEquals(fresh.opSize[i], insn.opSize[i]);
        }
    }

    /** Adding a redundant prefix lengthens an instruction by exactly one byte, up to the 15-byte limit. */
    @Property(tries = 1000)
    void redundantSegmentPrefixAddsOneByte(@ForAll("soup") byte[] code) {
        byte[] a = java.util.Arrays.copyOf(code, 16);
        decoder.decode(off -> a[off] & 0xFF, 32, insn);
        if (insn.fault != DecodedInstruction.FAULT_NONE || insn.length >= 15) return;
        int length = insn.length;
        Mnemonic m = insn.mnemonic;
        byte[] prefixed = new byte[17];
        prefixed[0] = 0x3E;
        System.arraycopy(a, 0, prefixed, 1, 16);
        decoder.decode(off -> prefixed[off] & 0xFF, 32, insn);
        assertEquals(length + 1, insn.length);
        assertEquals(m, insn.mnemonic);
    }
}
