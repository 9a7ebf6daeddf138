package org.haxm.emulator.encoder;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small x86 encoder written from SDM Vol. 2 chapter 2: legacy prefixes (§2.1.1), REX (§2.2.1),
 * VEX (§2.3.5), opcode, ModRM and SIB (§2.1.5, Tables 2-1 to 2-3), displacement and immediate.
 * Test-only: it is the independent half of the decoder's round-trip property.
 */
final class Encoder {
    private Encoder() {}

    /** The description cannot be encoded (for example AH together with a REX prefix). */
    static final class Unencodable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        Unencodable(String why) { super(why, null, false, false); }
    }

    /** Segment-override prefix bytes by Segment ordinal (ES, CS, SS, DS, FS, GS). */
    static final int[] SEGMENT_PREFIX = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65};

    static int defaultAddressSize(int codeSize) { return codeSize == 64 ? 8 : codeSize == 32 ? 4 : 2; }

    /** True if the description can be encoded. */
    static boolean encodable(Instruction insn) {
        try {
            encode(insn);
            return true;
        } catch (Unencodable e) {
            return false;
        }
    }

    static byte[] encode(Instruction insn) {
        Form form = insn.form();
        int codeSize = insn.codeSize(), os = insn.operandSize();
        boolean mode64 = codeSize == 64;

        // ----- operand-size attribute: 66h and REX.W / VEX.W (SDM Vol. 2 §2.2.1.2, Table 2-4)
        boolean opsize = false, w = false;
        switch (form.sizes()) {
            case BYTE -> { }
            case Y -> w = os == 8;
            case F64 -> opsize = !mode64 && (os == 2) != (codeSize == 16);
            case D64 -> opsize = mode64 ? os == 2 : (os == 2) != (codeSize == 16);
            default -> {
                if (mode64) { opsize = os == 2; w = os == 8; }
                else opsize = (os == 2) != (codeSize == 16);
            }
        }
        if (w && !mode64) throw new Unencodable("64-bit operand outside 64-bit mode");

        // ----- ModRM, SIB, displacement
        int reg = form.digit() >= 0 ? form.digit() : 0, rm = 0, mod = 3, sib = -1;
        int rexR = 0, rexX = 0, rexB = 0;
        long disp = 0;
        int dispBytes = 0;
        int vvvv = 0, opcodeReg = 0;
        boolean needRex = insn.emptyRex(), forbidRex = false;
        List<Spec> specs = form.specs();
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            Operand o = insn.operand(i);
            if (o instanceof Operand.Reg r) {
                if (r.number() >= 8 && !mode64) throw new Unencodable("R8-R15 outside 64-bit mode");
                if (s.width(os) == 1 && !form.vex()) {
                    if (r.high8()) forbidRex = true;
                    else if (r.number() >= 4 && r.number() < 8) needRex = true; // SPL, BPL, SIL, DIL
                }
                int n = r.number();
                switch (s.method()) {
                    case 'G' -> { reg = n & 7; rexR = n >> 3; }
                    case 'E' -> { rm = n & 7; rexB = n >> 3; mod = 3; }
                    case 'Z' -> { opcodeReg = n & 7; rexB = n >> 3; }
                    case 'B' -> vvvv = n;
                    default -> { if (s.method() != Spec.FIXED) throw new IllegalStateException("register for " + s); }
                }
            } else if (o instanceof Operand.Mem16 m) {
                if (insn.addressSize() != 2) throw new Unencodable("16-bit addressing with address size " + insn.addressSize());
                mod = m.mod();
                rm = m.rm();
                disp = m.disp();
                dispBytes = mod == 1 ? 1 : mod == 2 || mod == 0 && rm == 6 ? 2 : 0;
            } else if (o instanceof Operand.RipRelative m) {
                if (!mode64) throw new Unencodable("RIP-relative outside 64-bit mode");
                mod = 0; rm = 5; disp = m.disp(); dispBytes = 4;
            } else if (o instanceof Operand.Mem32 m) {
                if (insn.addressSize() == 2) throw new Unencodable("32-bit addressing with address size 2");
                if ((m.base() >= 8 || m.index() >= 8) && !mode64) throw new Unencodable("extended base/index outside 64-bit mode");
                int ss = Integer.numberOfTrailingZeros(m.scale());
                disp = m.disp();
                if (m.base() < 0) {
                    // No base: disp32 alone. In 64-bit mode mod=00 r/m=101 is RIP-relative, so an
                    // absolute disp32 needs SIB with base=101 and index=100 (SDM Vol. 2 §2.2.1.6).
                    mod = 0; dispBytes = 4;
                    if (m.index() < 0 && !mode64 && !m.forceSib()) rm = 5;
                    else { rm = 4; sib = ss << 6 | (m.index() < 0 ? 4 : m.index() & 7) << 3 | 5; rexX = Math.max(m.index(), 0) >> 3; }
                } else {
                    dispBytes = m.dispBytes();
                    if (dispBytes == 0 && (m.base() & 7) == 5) dispBytes = 1; // [rBP]/[R13] exist only with a displacement
                    mod = dispBytes == 0 ? 0 : dispBytes == 1 ? 1 : 2;
                    rexB = m.base() >> 3;
                    if (m.index() >= 0 || (m.base() & 7) == 4 || m.forceSib()) {
                        rm = 4;
                        sib = ss << 6 | (m.index() < 0 ? 4 : m.index() & 7) << 3 | m.base() & 7;
                        rexX = Math.max(m.index(), 0) >> 3;
                    } else {
                        rm = m.base() & 7;
                    }
                }
            }
        }
        if (form.memoryOnly() && mod == 3) throw new Unencodable("register operand for a memory-only form");
        int rex = (w ? 8 : 0) | rexR << 2 | rexX << 1 | rexB;
        if (!form.vex() && (rex != 0 || needRex)) {
            if (!mode64) throw new Unencodable("REX outside 64-bit mode");
            if (forbidRex) throw new Unencodable("AH/CH/DH/BH with a REX prefix");
        }

        // ----- legacy prefixes, in the order the seed picks
        List<Integer> prefixes = new ArrayList<>();
        if (opsize && !(form.mandatory() == 0x66 && !form.vex())) prefixes.add(0x66);
        if (insn.addressSize() != defaultAddressSize(codeSize)) prefixes.add(0x67);
        if (insn.segment() >= 0) prefixes.add(SEGMENT_PREFIX[insn.segment()]);
        if (insn.rep()) prefixes.add(0xF3);
        if (insn.lock()) prefixes.add(0xF0);
        java.util.Collections.shuffle(prefixes, new Random(insn.prefixSeed()));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        prefixes.forEach(out::write);
        if (form.vex()) {
            // 3-byte VEX: C4, R̄X̄B̄ m-mmmm, W v̄v̄v̄v̄ L pp (SDM Vol. 2 §2.3.5, Figure 2-9).
            if (!mode64 && vvvv >= 8) throw new Unencodable("VEX.vvvv above 7 outside 64-bit mode");
            int pp = switch (form.mandatory()) { case 0x66 -> 1; case 0xF3 -> 2; case 0xF2 -> 3; default -> 0; };
            out.write(0xC4);
            out.write((~rexR & 1) << 7 | (~rexX & 1) << 6 | (~rexB & 1) << 5 | form.map());
            out.write((w ? 0x80 : 0) | (~vvvv & 15) << 3 | pp);
            out.write(form.opcode());
        } else {
            // The mandatory prefix goes after the others and REX right before the opcode (§2.2.1).
            if (form.mandatory() != 0) out.write(form.mandatory());
            if (rex != 0 || needRex) out.write(0x40 | rex);
            if (form.map() >= 1) out.write(0x0F);
            if (form.map() == 2) out.write(0x38);
            if (form.map() == 3) out.write(0x3A);
            out.write(form.opcode() + opcodeReg);
        }
        if (form.hasModrm()) {
            out.write(mod << 6 | reg << 3 | rm);
            if (sib >= 0) out.write(sib);
            little(out, disp, dispBytes);
        }

        // ----- immediates and relative offsets
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            if (!(insn.operand(i) instanceof Operand.Imm imm)) continue;
            little(out, imm.value(), immediateBytes(s, os));
        }
        byte[] bytes = out.toByteArray();
        if (bytes.length > 15) throw new Unencodable("longer than 15 bytes");
        return bytes;
    }

    /** Bytes of an immediate or relative offset (SDM Vol. 2 §2.2.1.5: no imm64 except MOV r64, imm64). */
    static int immediateBytes(Spec s, int os) {
        return switch (s.method()) {
            case 'I' -> s.size() == 'v' ? os : s.width(os);
            case Spec.IMM_SX -> 1;
            case 'J' -> s.size() == 'b' ? 1 : os == 2 ? 2 : 4;
            default -> 0;
        };
    }

    private static void little(ByteArrayOutputStream out, long v, int n) {
        for (int k = 0; k < n; k++) out.write((int) (v >>> (8 * k)) & 0xFF);
    }
}
