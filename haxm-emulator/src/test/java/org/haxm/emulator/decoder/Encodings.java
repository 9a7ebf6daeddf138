package org.haxm.emulator.decoder;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of instruction encodings composed the way the SDM describes them (Vol. 2 §2.1):
 * legacy prefixes, an optional REX, an opcode taken from the decoder's own opcode maps (or a VEX
 * instruction from a curated list), then 14 random bytes that serve as ModRM, SIB, displacement and
 * immediate. The decoder decides where the instruction ends; the oracle checks it.
 */
final class Encodings {
    private Encodings() {}

    private static final int[] LEGACY_PREFIXES = {0x66, 0x67, 0xF2, 0xF3, 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0xF0};
    private static final int TAIL = 14;

    /**
     * Opcode byte sequences (without prefixes) of every cell that is not plainly #UD, minus the
     * encodings where binutils is not a usable oracle:
     * <ul>
     * <li>40-4F in 64-bit mode: they are REX there, and objdump prints a REX that is not the last
     *     prefix as an instruction of its own, while the CPU ignores it (SDM Vol. 2 §2.2.1);</li>
     * <li>D6 (SALC): undocumented, binutils prints (bad);</li>
     * <li>0F 1A/0F 1B: the retired MPX space, which binutils decodes as BNDLDX etc. with its own
     *     validity rules, while the CPU model treats it as hint NOPs;</li>
     * <li>C4/C5 in 64-bit mode: always VEX there, covered by {@link #vex}.</li>
     * </ul>
     */
    static List<int[]> legacyOpcodes(int codeSize) {
        List<int[]> ops = new ArrayList<>();
        for (int map = 0; map < 4; map++) {
            for (int op = 0; op < 256; op++) {
                if (Decoder.LEGACY_MAPS[map][op] == OpcodeEntry.UD) continue;
                if (map == 0 && (op == 0xD6 || codeSize == 64 && ((op & 0xF0) == 0x40 || op == 0xC4 || op == 0xC5))) continue;
                if (map == 1 && (op == 0x1A || op == 0x1B)) continue;
                ops.add(switch (map) {
                    case 0 -> new int[] {op};
                    case 1 -> new int[] {0x0F, op};
                    case 2 -> new int[] {0x0F, 0x38, op};
                    default -> new int[] {0x0F, 0x3A, op};
                });
            }
        }
        return ops;
    }

    /**
     * VEX instructions checked against objdump: map, pp, opcode, whether VEX.vvvv is an operand
     * (if not, it must be 1111b or binutils rejects the encoding), whether W may be 1.
     */
    record VexForm(int map, int pp, int op, boolean usesVvvv, boolean anyW) {}

    static final List<VexForm> VEX_FORMS = List.of(
        new VexForm(1, 0, 0x10, false, false), new VexForm(1, 0, 0x28, false, false),
        new VexForm(1, 0, 0x29, false, false), new VexForm(1, 0, 0x54, true, false),
        new VexForm(1, 0, 0x57, true, false), new VexForm(1, 0, 0x58, true, false),
        new VexForm(1, 0, 0x59, true, false), new VexForm(1, 0, 0x5C, true, false),
        new VexForm(1, 1, 0x6F, false, false), new VexForm(1, 1, 0x7F, false, false),
        new VexForm(1, 1, 0xEF, true, false), new VexForm(1, 1, 0xFE, true, false),
        new VexForm(1, 1, 0xD4, true, false), new VexForm(1, 2, 0x58, true, false),
        new VexForm(1, 3, 0x59, true, false), new VexForm(1, 0, 0xC6, true, false),
        new VexForm(1, 0, 0xC2, true, false), new VexForm(1, 1, 0x70, false, false),
        new VexForm(1, 0, 0x77, false, false),
        new VexForm(2, 1, 0x00, true, false), new VexForm(2, 1, 0x40, true, false),
        new VexForm(3, 1, 0x0F, true, false), new VexForm(3, 1, 0x0C, true, false),
        // BMI1/BMI2 (SDM Vol. 2 §2.5): W selects 32/64-bit operands.
        new VexForm(2, 0, 0xF2, true, true), new VexForm(2, 0, 0xF3, true, true),
        new VexForm(2, 0, 0xF5, true, true), new VexForm(2, 2, 0xF5, true, true),
        new VexForm(2, 3, 0xF5, true, true), new VexForm(2, 3, 0xF6, true, true),
        new VexForm(2, 0, 0xF7, true, true), new VexForm(2, 1, 0xF7, true, true),
        new VexForm(2, 2, 0xF7, true, true), new VexForm(2, 3, 0xF7, true, true),
        new VexForm(3, 3, 0xF0, false, true));

    /** Candidate legacy encodings (prefixes, REX in 64-bit mode, opcode, random tail). */
    static Arbitrary<byte[]> legacy(int codeSize) {
        List<int[]> ops = legacyOpcodes(codeSize);
        Arbitrary<List<Integer>> prefixes = Arbitraries.of(toList(LEGACY_PREFIXES)).list().ofMaxSize(3);
        Arbitrary<Integer> rex = codeSize == 64
            ? Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0x40, 0x4F))
            : Arbitraries.just(0);
        Arbitrary<int[]> opcode = Arbitraries.of(ops);
        Arbitrary<byte[]> tail = Arbitraries.bytes().array(byte[].class).ofSize(TAIL);
        return Combinators.combine(prefixes, rex, opcode, tail).as((p, r, o, t) -> {
            byte[] b = new byte[p.size() + (r != 0 ? 1 : 0) + o.length + TAIL];
            int n = 0;
            for (int x : p) b[n++] = (byte) x;
            if (r != 0) b[n++] = (byte) (int) r;
            for (int x : o) b[n++] = (byte) x;
            System.arraycopy(t, 0, b, n, TAIL);
            // Outside 64-bit mode C4/C5 with ModRM.mod = 11b are VEX; keep them LES/LDS here.
            if (o.length == 1 && (o[0] == 0xC4 || o[0] == 0xC5)) b[n] &= 0x7F;
            return b;
        }).filter(b -> oracleUsable(b));
    }

    /**
     * Prefix combinations where binutils is not a usable oracle: a REX before FWAIT (binutils
     * treats 9B as a prefix of the following x87 instruction and prints the REX alone), and
     * F3 + REX.B + 90, which binutils prints as PAUSE while REX.B makes it XCHG r8, rAX here.
     */
    private static boolean oracleUsable(byte[] b) {
        int n = 0, rex = 0;
        boolean f3 = false;
        while (n < b.length) {
            int x = b[n] & 0xFF;
            if (x == 0xF3) f3 = true;
            if ((x & 0xF0) == 0x40 || x == 0x66 || x == 0x67 || x == 0xF0 || x == 0xF2 || x == 0xF3
                || x == 0x26 || x == 0x2E || x == 0x36 || x == 0x3E || x == 0x64 || x == 0x65) {
                rex = (x & 0xF0) == 0x40 ? x : 0;
                n++;
            } else {
                break;
            }
        }
        int op = b[n] & 0xFF;
        if (op == 0x9B && rex != 0) return false;
        return !(op == 0x90 && f3 && (rex & 1) != 0);
    }

    /** Candidate VEX encodings (32- and 64-bit code) from {@link #VEX_FORMS}. */
    static Arbitrary<byte[]> vex(int codeSize) {
        Arbitrary<VexForm> form = Arbitraries.of(VEX_FORMS);
        Arbitrary<Integer> bits = Arbitraries.integers().between(0, 0xFFFF);
        Arbitrary<byte[]> tail = Arbitraries.bytes().array(byte[].class).ofSize(TAIL);
        return Combinators.combine(form, bits, Arbitraries.of(true, false), tail).as((f, r, twoByte, t) -> {
            boolean mode64 = codeSize == 64;
            int rxb = mode64 ? r & 7 : 0;             // inverted R, X, B as stored: 1 = not extended
            int vvvv = f.usesVvvv() ? (r >> 3 & (mode64 ? 15 : 7)) : 0;
            int l = f.map() == 2 && f.op() >= 0xF0 || f.map() == 3 && f.op() == 0xF0 ? 0 : r >> 7 & 1;
            int w = f.anyW() ? r >> 8 & 1 : 0;
            byte[] b = new byte[3 + 1 + TAIL];
            int n = 0;
            if (twoByte && f.map() == 1 && w == 0 && (rxb & 3) == 0) {
                b[n++] = (byte) 0xC5;
                b[n++] = (byte) ((~(rxb >> 2) & 1) << 7 | (~vvvv & 15) << 3 | l << 2 | f.pp());
            } else {
                b[n++] = (byte) 0xC4;
                b[n++] = (byte) ((~rxb & 7) << 5 | f.map());
                b[n++] = (byte) (w << 7 | (~vvvv & 15) << 3 | l << 2 | f.pp());
            }
            b[n++] = (byte) f.op();
            System.arraycopy(t, 0, b, n, TAIL);
            return java.util.Arrays.copyOf(b, n + TAIL);
        });
    }

    /** Arbitrary bytes: the decoder must survive anything. */
    static Arbitrary<byte[]> soup() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(20);
    }

    private static List<Integer> toList(int[] a) {
        List<Integer> l = new ArrayList<>();
        for (int x : a) l.add(x);
        return l;
    }
}
