package org.haxm.emulator.decoder;

import static org.haxm.emulator.decoder.OpcodeEntry.of;
import static org.haxm.emulator.decoder.OpcodeEntry.select;

import org.haxm.emulator.decoder.OpcodeEntry.Selector;

/**
 * MMX/SSE cells of the 0F map. These are decoded for length and disassembly only (generic
 * mnemonics {@link Mnemonic#MMX}/{@link Mnemonic#SSE}), but their validity per mandatory prefix is
 * modelled so that, e.g., F2 0F 54 is #UD. The prefix columns come from SDM Vol. 2, Table A-3
 * (rows 1, 2, 5-7, C-F); without a prefix, rows 6-7 and D-F are MMX forms on mm registers.
 */
final class VectorEntries {
    private VectorEntries() {}

    /** Mandatory-prefix columns: no prefix, 66, F3, F2. */
    static final int NP = 1, P66 = 2, PF3 = 4, PF2 = 8, ALL = NP | P66 | PF3 | PF2, NP66 = NP | P66;

    /** A vector cell valid under the prefixes in {@code mask}; {@code mmx} makes the no-prefix form MMX. */
    static OpcodeEntry sse(int mask, boolean imm8, boolean mmx) {
        String ib = imm8 ? ",Ib" : "";
        OpcodeEntry none = (mask & NP) == 0 ? OpcodeEntry.UD
            : mmx ? of(Mnemonic.MMX, "P,Q" + ib) : of(Mnemonic.SSE, "V,W" + ib);
        return select(Selector.PREFIX, 0, none,
            (mask & P66) != 0 ? of(Mnemonic.SSE, "V,W" + ib) : OpcodeEntry.UD,
            (mask & PF3) != 0 ? of(Mnemonic.SSE, "V,W" + ib) : OpcodeEntry.UD,
            (mask & PF2) != 0 ? of(Mnemonic.SSE, "V,W" + ib) : OpcodeEntry.UD);
    }

    /** 66 0F 78 /0 ib ib: AMD EXTRQ (SSE4a); decoded so that lengths agree with other tools. */
    static OpcodeEntry extrq() {
        return select(Selector.MOD, 0, null, select(Selector.REG, 0, of(Mnemonic.SSE, "W,Ib,Ib"),
            null, null, null, null, null, null, null));
    }

    /** F2 0F 78 ib ib: AMD INSERTQ (SSE4a), register form. */
    static OpcodeEntry insertq() {
        return select(Selector.MOD, 0, null, of(Mnemonic.SSE, "V,W,Ib,Ib"));
    }

    /** Restricts a cell to ModRM memory forms (mod != 11b), as for MOVNTPS or MOVHPD. */
    static OpcodeEntry memoryOnly(OpcodeEntry e) { return select(Selector.MOD, 0, e, null); }

    /** Restricts a cell to ModRM register forms (mod = 11b), as for MOVMSKPS or MOVHLPS. */
    static OpcodeEntry registerOnly(OpcodeEntry e) { return select(Selector.MOD, 0, null, e); }

    /** A prefix-selected cell whose columns differ in their ModRM constraints. */
    private static OpcodeEntry columns(OpcodeEntry none, OpcodeEntry p66, OpcodeEntry f3, OpcodeEntry f2) {
        return select(Selector.PREFIX, 0, none, p66, f3, f2);
    }

    private static void fill(OpcodeEntry[] t, int from, int to, int mask, boolean imm8, boolean mmx) {
        for (int op = from; op <= to; op++) t[op] = sse(mask, imm8, mmx);
    }

    /** Fills the vector cells of the two-byte map. */
    static void fillTwoByte(OpcodeEntry[] t) {
        OpcodeEntry xmm = of(Mnemonic.SSE, "V,W"), ud = OpcodeEntry.UD;
        fill(t, 0x10, 0x11, ALL, false, false);
        // MOVLPS/MOVHLPS, MOVLPD (memory only), MOVSLDUP, MOVDDUP; likewise 16 with MOVHPS/MOVLHPS.
        t[0x12] = columns(xmm, memoryOnly(xmm), xmm, xmm);
        t[0x13] = memoryOnly(sse(NP66, false, false));
        fill(t, 0x14, 0x15, NP66, false, false);
        t[0x16] = columns(xmm, memoryOnly(xmm), xmm, ud);
        t[0x17] = memoryOnly(sse(NP66, false, false));
        fill(t, 0x28, 0x29, NP66, false, false);
        t[0x2A] = sse(ALL, false, false);
        t[0x2B] = memoryOnly(sse(NP66, false, false));
        fill(t, 0x2C, 0x2D, ALL, false, false);
        fill(t, 0x2E, 0x2F, NP66, false, false);
        t[0x50] = registerOnly(sse(NP66, false, false));
        t[0x51] = sse(ALL, false, false);
        fill(t, 0x52, 0x53, NP | PF3, false, false);
        fill(t, 0x54, 0x57, NP66, false, false);
        fill(t, 0x58, 0x5A, ALL, false, false);
        t[0x5B] = sse(NP66 | PF3, false, false);
        fill(t, 0x5C, 0x5F, ALL, false, false);
        fill(t, 0x60, 0x6B, NP66, false, true);
        fill(t, 0x6C, 0x6D, P66, false, false);
        t[0x6E] = sse(NP66, false, true);
        t[0x6F] = sse(NP66 | PF3, false, true);
        t[0x70] = sse(ALL, true, true);
        t[0x71] = shiftGroup(false);
        t[0x72] = shiftGroup(false);
        t[0x73] = shiftGroup(true);
        fill(t, 0x74, 0x76, NP66, false, true);
        t[0x77] = select(Selector.PREFIX, 0, of(Mnemonic.MMX, ""), OpcodeEntry.UD, OpcodeEntry.UD, OpcodeEntry.UD);
        fill(t, 0x7C, 0x7D, P66 | PF2, false, false);
        fill(t, 0x7E, 0x7F, NP66 | PF3, false, true);
        t[0xC2] = sse(ALL, true, false);
        t[0xC4] = sse(NP66, true, true);
        t[0xC5] = select(Selector.MOD, 0, null, sse(NP66, true, true));
        t[0xC6] = sse(NP66, true, false);
        t[0xD0] = sse(P66 | PF2, false, false);
        fill(t, 0xD1, 0xD5, NP66, false, true);
        t[0xD6] = columns(ud, xmm, registerOnly(xmm), registerOnly(xmm));
        t[0xD7] = select(Selector.MOD, 0, null, sse(NP66, false, true));
        fill(t, 0xD8, 0xE5, NP66, false, true);
        t[0xE6] = sse(P66 | PF3 | PF2, false, false);
        t[0xE7] = select(Selector.MOD, 0, sse(NP66, false, true), null);
        fill(t, 0xE8, 0xEF, NP66, false, true);
        t[0xF0] = select(Selector.MOD, 0, sse(PF2, false, false), null);
        fill(t, 0xF1, 0xF6, NP66, false, true);
        t[0xF7] = select(Selector.MOD, 0, null, sse(NP66, false, true));
        fill(t, 0xF8, 0xFE, NP66, false, true);
    }

    /** Groups 12-14 (0F 71-73): shifts of an MMX/XMM register by imm8, register forms only. */
    private static OpcodeEntry shiftGroup(boolean group14) {
        OpcodeEntry both = sse(NP66, true, true), xmmOnly = sse(P66, true, false);
        OpcodeEntry byReg = select(Selector.REG, 0, null, null, both, group14 ? xmmOnly : null,
            group14 ? null : both, null, both, group14 ? xmmOnly : null);
        return select(Selector.MOD, 0, null, byReg);
    }
}
