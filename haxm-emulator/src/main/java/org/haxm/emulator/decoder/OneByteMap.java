package org.haxm.emulator.decoder;

import static org.haxm.emulator.decoder.Mnemonic.*;
import static org.haxm.emulator.decoder.OpcodeEntry.of;
import static org.haxm.emulator.decoder.OpcodeEntry.select;
import static org.haxm.emulator.decoder.OpcodeFlags.*;

import org.haxm.emulator.decoder.OpcodeEntry.Selector;

/**
 * The one-byte opcode map, transcribed from Intel SDM Vol. 2, Appendix A, Table A-2, with the
 * group tables of Table A-6. Prefix bytes (26, 2E, 36, 3E, 64-67, F0, F2, F3) and the 0F escape are
 * handled by the {@link Decoder} and left as #UD cells here; 40-4F are INC/DEC (REX in 64-bit mode,
 * which the decoder consumes before looking here); C4/C5 reach this table only as LES/LDS.
 */
final class OneByteMap {
    private OneByteMap() {}

    /** The eight ALU operations in the order of their opcode rows (00, 08, ... 38) and of group 1. */
    static final Mnemonic[] ALU = {ADD, OR, ADC, SBB, AND, SUB, XOR, CMP};
    /** Group 2 shifts and rotates by ModRM.reg; /6 is an undocumented alias of SHL (SAL). */
    static final Mnemonic[] SHIFT = {ROL, ROR, RCL, RCR, SHL, SHR, SAL, SAR};

    static OpcodeEntry[] build() {
        OpcodeEntry[] t = new OpcodeEntry[256];
        java.util.Arrays.fill(t, OpcodeEntry.UD);
        aluRowsAndLegacy(t);
        registerRows(t);
        row6to9(t);
        rowAtoB(t);
        rowCtoD(t);
        rowEtoF(t);
        return t;
    }

    /** 00-3F: ADD..CMP in six forms each, the segment push/pops and the BCD adjusts. */
    private static void aluRowsAndLegacy(OpcodeEntry[] t) {
        for (int i = 0; i < 8; i++) {
            Mnemonic m = ALU[i];
            int lock = m == CMP ? 0 : LOCKABLE;
            t[i * 8] = of(m, "Eb,Gb", lock);
            t[i * 8 + 1] = of(m, "Ev,Gv", lock);
            t[i * 8 + 2] = of(m, "Gb,Eb");
            t[i * 8 + 3] = of(m, "Gv,Ev");
            t[i * 8 + 4] = of(m, "AL,Ib");
            t[i * 8 + 5] = of(m, "rAX,Iz");
        }
        t[0x06] = of(PUSH, "ES", INVALID_64); t[0x07] = of(POP, "ES", INVALID_64);
        t[0x0E] = of(PUSH, "CS", INVALID_64);
        t[0x16] = of(PUSH, "SS", INVALID_64); t[0x17] = of(POP, "SS", INVALID_64);
        t[0x1E] = of(PUSH, "DS", INVALID_64); t[0x1F] = of(POP, "DS", INVALID_64);
        t[0x27] = of(DAA, "", INVALID_64); t[0x2F] = of(DAS, "", INVALID_64);
        t[0x37] = of(AAA, "", INVALID_64); t[0x3F] = of(AAS, "", INVALID_64);
    }

    /** 40-5F: INC/DEC/PUSH/POP with the register in opcode bits 2:0. */
    private static void registerRows(OpcodeEntry[] t) {
        for (int r = 0; r < 8; r++) {
            t[0x40 + r] = of(INC, "Zv", INVALID_64);
            t[0x48 + r] = of(DEC, "Zv", INVALID_64);
            t[0x50 + r] = of(PUSH, "Zv", DEFAULT_64);
            t[0x58 + r] = of(POP, "Zv", DEFAULT_64);
        }
    }

    /** 60-9F. */
    private static void row6to9(OpcodeEntry[] t) {
        t[0x60] = select(Selector.OPSIZE, INVALID_64, of(PUSHA, "", INVALID_64), of(PUSHAD, "", INVALID_64), null);
        t[0x61] = select(Selector.OPSIZE, INVALID_64, of(POPA, "", INVALID_64), of(POPAD, "", INVALID_64), null);
        // 62 is BOUND outside 64-bit mode with a memory operand; EVEX otherwise (treated as #UD).
        t[0x62] = select(Selector.MOD, INVALID_64, of(BOUND, "Gv,Ma", INVALID_64), null);
        t[0x63] = select(Selector.MODE64, 0, of(ARPL, "Ew,Gw"), of(MOVSXD, "Gv,Ed"));
        t[0x68] = of(PUSH, "Iz", DEFAULT_64);
        t[0x69] = of(IMUL, "Gv,Ev,Iz");
        t[0x6A] = of(PUSH, "Ibs", DEFAULT_64);
        t[0x6B] = of(IMUL, "Gv,Ev,Ibs");
        t[0x6C] = of(INS, "Yb,DX", REP_OK); t[0x6D] = of(INS, "Yz,DX", REP_OK);
        t[0x6E] = of(OUTS, "DX,Xb", REP_OK); t[0x6F] = of(OUTS, "DX,Xz", REP_OK);
        for (int cc = 0; cc < 16; cc++) t[0x70 + cc] = of(Mnemonic.jcc(cc), "Jb", FORCE_64);
        t[0x80] = aluGroup("Eb,Ib", 0);
        t[0x81] = aluGroup("Ev,Iz", 0);
        t[0x82] = aluGroup("Eb,Ib", INVALID_64);
        t[0x83] = aluGroup("Ev,Ibs", 0);
        t[0x84] = of(TEST, "Eb,Gb"); t[0x85] = of(TEST, "Ev,Gv");
        t[0x86] = of(XCHG, "Eb,Gb", LOCKABLE); t[0x87] = of(XCHG, "Ev,Gv", LOCKABLE);
        t[0x88] = of(MOV, "Eb,Gb"); t[0x89] = of(MOV, "Ev,Gv");
        t[0x8A] = of(MOV, "Gb,Eb"); t[0x8B] = of(MOV, "Gv,Ev");
        t[0x8C] = of(MOV, "Mw/Rv,Sw");
        t[0x8D] = select(Selector.MOD, 0, of(LEA, "Gv,M"), null);
        t[0x8E] = of(MOV, "Sw,Ew");
        // Group 1A: only /0 is POP; other /digits are the AMD XOP escape (#UD on Intel).
        t[0x8F] = select(Selector.REG, DEFAULT_64, of(POP, "Ev", DEFAULT_64), null, null, null, null, null, null, null);
        // 90 is NOP (XCHG eAX,eAX does not zero-extend in 64-bit mode); F3 90 is PAUSE; REX.B 90 is XCHG r8,rAX.
        t[0x90] = select(Selector.REXB, 0,
            select(Selector.PREFIX, 0, of(NOP, ""), null, of(PAUSE, ""), null), of(XCHG, "Zv,rAX"));
        for (int r = 1; r < 8; r++) t[0x90 + r] = of(XCHG, "Zv,rAX");
        t[0x98] = select(Selector.OPSIZE, 0, of(CBW, ""), of(CWDE, ""), of(CDQE, ""));
        t[0x99] = select(Selector.OPSIZE, 0, of(CWD, ""), of(CDQ, ""), of(CQO, ""));
        t[0x9A] = of(CALLF, "Ap", INVALID_64);
        t[0x9B] = of(FWAIT, "");
        t[0x9C] = select(Selector.OPSIZE, DEFAULT_64, of(PUSHF, "", DEFAULT_64), of(PUSHFD, "", DEFAULT_64), of(PUSHFQ, "", DEFAULT_64));
        t[0x9D] = select(Selector.OPSIZE, DEFAULT_64, of(POPF, "", DEFAULT_64), of(POPFD, "", DEFAULT_64), of(POPFQ, "", DEFAULT_64));
        t[0x9E] = of(SAHF, ""); t[0x9F] = of(LAHF, "");
    }

    /** A0-BF: moffs moves, string instructions, MOV immediate to register. */
    private static void rowAtoB(OpcodeEntry[] t) {
        t[0xA0] = of(MOV, "AL,Ob"); t[0xA1] = of(MOV, "rAX,Ov");
        t[0xA2] = of(MOV, "Ob,AL"); t[0xA3] = of(MOV, "Ov,rAX");
        t[0xA4] = of(MOVS, "Yb,Xb", REP_OK); t[0xA5] = of(MOVS, "Yv,Xv", REP_OK);
        t[0xA6] = of(CMPS, "Xb,Yb", REP_OK | REP_COND); t[0xA7] = of(CMPS, "Xv,Yv", REP_OK | REP_COND);
        t[0xA8] = of(TEST, "AL,Ib"); t[0xA9] = of(TEST, "rAX,Iz");
        t[0xAA] = of(STOS, "Yb,AL", REP_OK); t[0xAB] = of(STOS, "Yv,rAX", REP_OK);
        t[0xAC] = of(LODS, "AL,Xb", REP_OK); t[0xAD] = of(LODS, "rAX,Xv", REP_OK);
        t[0xAE] = of(SCAS, "AL,Yb", REP_OK | REP_COND); t[0xAF] = of(SCAS, "rAX,Yv", REP_OK | REP_COND);
        for (int r = 0; r < 8; r++) {
            t[0xB0 + r] = of(MOV, "Zb,Ib");
            t[0xB8 + r] = of(MOV, "Zv,Iv");
        }
    }

    /** C0-DF: shifts, returns, LES/LDS, ENTER/LEAVE, interrupts, x87 escapes. */
    private static void rowCtoD(OpcodeEntry[] t) {
        t[0xC0] = shiftGroup("Eb,Ib"); t[0xC1] = shiftGroup("Ev,Ib");
        t[0xC2] = of(RET, "Iw", FORCE_64); t[0xC3] = of(RET, "", FORCE_64);
        t[0xC4] = select(Selector.MOD, 0, of(LES, "Gz,Mp", INVALID_64), null);
        t[0xC5] = select(Selector.MOD, 0, of(LDS, "Gz,Mp", INVALID_64), null);
        t[0xC6] = select(Selector.REG, 0, of(MOV, "Eb,Ib"), null, null, null, null, null, null, null);
        t[0xC7] = select(Selector.REG, 0, of(MOV, "Ev,Iz"), null, null, null, null, null, null, null);
        t[0xC8] = of(ENTER, "Iw,Ib", DEFAULT_64); t[0xC9] = of(LEAVE, "", DEFAULT_64);
        t[0xCA] = of(RETF, "Iw"); t[0xCB] = of(RETF, "");
        t[0xCC] = of(INT3, ""); t[0xCD] = of(INT, "Ib"); t[0xCE] = of(INTO, "", INVALID_64);
        t[0xCF] = select(Selector.OPSIZE, 0, of(IRET, ""), of(IRETD, ""), of(IRETQ, ""));
        t[0xD0] = shiftGroup("Eb,1"); t[0xD1] = shiftGroup("Ev,1");
        t[0xD2] = shiftGroup("Eb,CL"); t[0xD3] = shiftGroup("Ev,CL");
        t[0xD4] = of(AAM, "Ib", INVALID_64); t[0xD5] = of(AAD, "Ib", INVALID_64);
        t[0xD6] = of(SALC, "", INVALID_64);
        t[0xD7] = of(XLAT, "");
        // x87 escapes: ModRM always follows; no immediates (SDM Vol. 2 A.5).
        for (int op = 0xD8; op <= 0xDF; op++) t[op] = of(X87, "EST");
    }

    /** E0-FF: loops, port I/O, calls and jumps, groups 3/4/5. */
    private static void rowEtoF(OpcodeEntry[] t) {
        t[0xE0] = of(LOOPNE, "Jb", FORCE_64); t[0xE1] = of(LOOPE, "Jb", FORCE_64);
        t[0xE2] = of(LOOP, "Jb", FORCE_64);
        t[0xE3] = select(Selector.ADSIZE, FORCE_64, of(JCXZ, "Jb", FORCE_64), of(JECXZ, "Jb", FORCE_64), of(JRCXZ, "Jb", FORCE_64));
        t[0xE4] = of(IN, "AL,Ib"); t[0xE5] = of(IN, "eAX,Ib");
        t[0xE6] = of(OUT, "Ib,AL"); t[0xE7] = of(OUT, "Ib,eAX");
        t[0xE8] = of(CALL, "Jz", FORCE_64); t[0xE9] = of(JMP, "Jz", FORCE_64);
        t[0xEA] = of(JMPF, "Ap", INVALID_64); t[0xEB] = of(JMP, "Jb", FORCE_64);
        t[0xEC] = of(IN, "AL,DX"); t[0xED] = of(IN, "eAX,DX");
        t[0xEE] = of(OUT, "DX,AL"); t[0xEF] = of(OUT, "DX,eAX");
        t[0xF1] = of(INT1, "");
        t[0xF4] = of(HLT, ""); t[0xF5] = of(CMC, "");
        t[0xF6] = select(Selector.REG, 0, of(TEST, "Eb,Ib"), of(TEST, "Eb,Ib"), of(NOT, "Eb", LOCKABLE),
            of(NEG, "Eb", LOCKABLE), of(MUL, "Eb"), of(IMUL, "Eb"), of(DIV, "Eb"), of(IDIV, "Eb"));
        t[0xF7] = select(Selector.REG, 0, of(TEST, "Ev,Iz"), of(TEST, "Ev,Iz"), of(NOT, "Ev", LOCKABLE),
            of(NEG, "Ev", LOCKABLE), of(MUL, "Ev"), of(IMUL, "Ev"), of(DIV, "Ev"), of(IDIV, "Ev"));
        t[0xF8] = of(CLC, ""); t[0xF9] = of(STC, ""); t[0xFA] = of(CLI, ""); t[0xFB] = of(STI, "");
        t[0xFC] = of(CLD, ""); t[0xFD] = of(STD, "");
        t[0xFE] = select(Selector.REG, 0, of(INC, "Eb", LOCKABLE), of(DEC, "Eb", LOCKABLE),
            null, null, null, null, null, null);
        // Group 5 (SDM Table A-6). Intel: near CALL/JMP through Ev have 64-bit operands in 64-bit mode.
        t[0xFF] = select(Selector.REG, 0, of(INC, "Ev", LOCKABLE), of(DEC, "Ev", LOCKABLE),
            of(CALL, "Ev", FORCE_64), of(CALLF, "Mp"), of(JMP, "Ev", FORCE_64), of(JMPF, "Mp"),
            of(PUSH, "Ev", DEFAULT_64), null);
    }

    private static OpcodeEntry aluGroup(String operands, int extra) {
        OpcodeEntry[] g = new OpcodeEntry[8];
        for (int i = 0; i < 8; i++) g[i] = of(ALU[i], operands, extra | (ALU[i] == CMP ? 0 : LOCKABLE));
        return select(Selector.REG, extra, g);
    }

    private static OpcodeEntry shiftGroup(String operands) {
        OpcodeEntry[] g = new OpcodeEntry[8];
        for (int i = 0; i < 8; i++) g[i] = of(SHIFT[i], operands);
        return select(Selector.REG, 0, g);
    }
}
