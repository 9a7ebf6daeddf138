package org.haxm.emulator.encoder;

import static org.haxm.emulator.decoder.Mnemonic.*;
import static org.haxm.emulator.encoder.Form.Sizes.*;

import java.util.ArrayList;
import java.util.List;
import org.haxm.emulator.decoder.Mnemonic;
import org.haxm.emulator.encoder.Form.Sizes;

/**
 * The instruction forms the encoder knows: the general-purpose forms the differential and ALU
 * tests generate, transcribed from the opcode columns of SDM Vol. 2 chapters 3-4 (not from the
 * decoder's tables, which they check).
 */
final class Forms {
    private Forms() {}

    static final Mnemonic[] ALU = {ADD, OR, ADC, SBB, AND, SUB, XOR, CMP};
    /** Group 2 by ModRM.reg (SDM Vol. 2 Table A-6); /6 is undocumented and left out. */
    static final Mnemonic[] SHIFT = {ROL, ROR, RCL, RCR, SHL, SHR, null, SAR};
    /** Group 3 /2../7. */
    static final Mnemonic[] GROUP3 = {null, null, NOT, NEG, MUL, IMUL, DIV, IDIV};

    static final List<Form> ALL = build();

    private static Form f(Mnemonic m, String opcode, String operands, Sizes sizes) {
        return Form.of(m, opcode, operands, sizes, Form.ALL);
    }

    private static Form f(Mnemonic m, String opcode, String operands, Sizes sizes, List<Integer> modes) {
        return Form.of(m, opcode, operands, sizes, modes);
    }

    private static String hex(int b) { return String.format("%02X", b); }

    private static List<Form> build() {
        List<Form> t = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Mnemonic m = ALU[i];
            t.add(f(m, hex(i * 8) + " /r", "Eb,Gb", BYTE));
            t.add(f(m, hex(i * 8 + 1) + " /r", "Ev,Gv", V));
            t.add(f(m, hex(i * 8 + 2) + " /r", "Gb,Eb", BYTE));
            t.add(f(m, hex(i * 8 + 3) + " /r", "Gv,Ev", V));
            t.add(f(m, hex(i * 8 + 4), "AL,Ib", BYTE));
            t.add(f(m, hex(i * 8 + 5), "rAX,Iz", V));
            t.add(f(m, "80 /" + i, "Eb,Ib", BYTE));
            t.add(f(m, "81 /" + i, "Ev,Iz", V));
            t.add(f(m, "83 /" + i, "Ev,Ibs", V));
        }
        t.add(f(TEST, "84 /r", "Eb,Gb", BYTE));
        t.add(f(TEST, "85 /r", "Ev,Gv", V));
        t.add(f(TEST, "A8", "AL,Ib", BYTE));
        t.add(f(TEST, "A9", "rAX,Iz", V));
        t.add(f(TEST, "F6 /0", "Eb,Ib", BYTE));
        t.add(f(TEST, "F7 /0", "Ev,Iz", V));
        t.add(f(INC, "FE /0", "Eb", BYTE));
        t.add(f(DEC, "FE /1", "Eb", BYTE));
        t.add(f(INC, "FF /0", "Ev", V));
        t.add(f(DEC, "FF /1", "Ev", V));
        t.add(f(INC, "40+r", "Zv", V, Form.NOT64));
        t.add(f(DEC, "48+r", "Zv", V, Form.NOT64));
        for (int d = 2; d < 8; d++) {
            t.add(f(GROUP3[d], "F6 /" + d, "Eb", BYTE));
            t.add(f(GROUP3[d], "F7 /" + d, "Ev", V));
        }
        t.add(f(IMUL, "0F AF /r", "Gv,Ev", V));
        t.add(f(IMUL, "69 /r", "Gv,Ev,Iz", V));
        t.add(f(IMUL, "6B /r", "Gv,Ev,Ibs", V));
        for (int d = 0; d < 8; d++) {
            if (SHIFT[d] == null) continue;
            t.add(f(SHIFT[d], "C0 /" + d, "Eb,Ib", BYTE));
            t.add(f(SHIFT[d], "C1 /" + d, "Ev,Ib", V));
            t.add(f(SHIFT[d], "D0 /" + d, "Eb,1", BYTE));
            t.add(f(SHIFT[d], "D1 /" + d, "Ev,1", V));
            t.add(f(SHIFT[d], "D2 /" + d, "Eb,CL", BYTE));
            t.add(f(SHIFT[d], "D3 /" + d, "Ev,CL", V));
        }
        t.add(f(SHLD, "0F A4 /r", "Ev,Gv,Ib", V));
        t.add(f(SHLD, "0F A5 /r", "Ev,Gv,CL", V));
        t.add(f(SHRD, "0F AC /r", "Ev,Gv,Ib", V));
        t.add(f(SHRD, "0F AD /r", "Ev,Gv,CL", V));
        Mnemonic[] bt = {BT, BTS, BTR, BTC};
        for (int k = 0; k < 4; k++) {
            t.add(f(bt[k], "0F " + hex(0xA3 + 8 * k) + " /r", "Ev,Gv", V));
            t.add(f(bt[k], "0F BA /" + (4 + k), "Ev,Ib", V));
        }
        t.add(f(BSF, "0F BC /r", "Gv,Ev", V));
        t.add(f(BSR, "0F BD /r", "Gv,Ev", V));
        t.add(f(TZCNT, "F3 0F BC /r", "Gv,Ev", V));
        t.add(f(LZCNT, "F3 0F BD /r", "Gv,Ev", V));
        t.add(f(POPCNT, "F3 0F B8 /r", "Gv,Ev", V));
        t.add(f(ADCX, "66 0F 38 F6 /r", "Gy,Ey", Y));
        t.add(f(ADOX, "F3 0F 38 F6 /r", "Gy,Ey", Y));
        t.add(f(ANDN, "VEX.NP.0F38 F2 /r", "Gy,By,Ey", Y, Form.PROTECTED));
        t.add(f(BLSR, "VEX.NP.0F38 F3 /1", "By,Ey", Y, Form.PROTECTED));
        t.add(f(BLSMSK, "VEX.NP.0F38 F3 /2", "By,Ey", Y, Form.PROTECTED));
        t.add(f(BLSI, "VEX.NP.0F38 F3 /3", "By,Ey", Y, Form.PROTECTED));
        t.add(f(BZHI, "VEX.NP.0F38 F5 /r", "Gy,Ey,By", Y, Form.PROTECTED));
        t.add(f(PEXT, "VEX.F3.0F38 F5 /r", "Gy,By,Ey", Y, Form.PROTECTED));
        t.add(f(PDEP, "VEX.F2.0F38 F5 /r", "Gy,By,Ey", Y, Form.PROTECTED));
        t.add(f(MULX, "VEX.F2.0F38 F6 /r", "Gy,By,Ey", Y, Form.PROTECTED));
        t.add(f(BEXTR, "VEX.NP.0F38 F7 /r", "Gy,Ey,By", Y, Form.PROTECTED));
        t.add(f(SHLX, "VEX.66.0F38 F7 /r", "Gy,Ey,By", Y, Form.PROTECTED));
        t.add(f(SARX, "VEX.F3.0F38 F7 /r", "Gy,Ey,By", Y, Form.PROTECTED));
        t.add(f(SHRX, "VEX.F2.0F38 F7 /r", "Gy,Ey,By", Y, Form.PROTECTED));
        t.add(f(RORX, "VEX.F2.0F3A F0 /r", "Gy,Ey,Ib", Y, Form.PROTECTED));
        t.add(f(MOVZX, "0F B6 /r", "Gv,Eb", V));
        t.add(f(MOVZX, "0F B7 /r", "Gv,Ew", V));
        t.add(f(MOVSX, "0F BE /r", "Gv,Eb", V));
        t.add(f(MOVSX, "0F BF /r", "Gv,Ew", V));
        t.add(f(MOVSXD, "63 /r", "Gv,Ed", V, Form.ONLY64));
        t.add(f(MOVBE, "0F 38 F0 /r", "Gv,Mv", V));
        t.add(f(MOVBE, "0F 38 F1 /r", "Mv,Gv", V));
        t.add(f(BSWAP, "0F C8+r", "Zv", V32));
        for (int cc = 0; cc < 16; cc++) {
            t.add(f(Mnemonic.cmov(cc), "0F " + hex(0x40 + cc) + " /r", "Gv,Ev", V));
            t.add(f(Mnemonic.set(cc), "0F " + hex(0x90 + cc) + " /0", "Eb", BYTE));
            t.add(f(Mnemonic.jcc(cc), hex(0x70 + cc), "Jb", F64));
            t.add(f(Mnemonic.jcc(cc), "0F " + hex(0x80 + cc), "Jz", F64));
        }
        t.add(f(JMP, "EB", "Jb", F64));
        t.add(f(JMP, "E9", "Jz", F64));
        t.add(f(CALL, "E8", "Jz", F64));
        t.add(f(LOOPNE, "E0", "Jb", F64));
        t.add(f(LOOPE, "E1", "Jb", F64));
        t.add(f(LOOP, "E2", "Jb", F64));
        t.add(f(JCXZ, "E3", "Jb", F64)); // JCXZ/JECXZ/JRCXZ by address size
        t.add(f(XCHG, "86 /r", "Eb,Gb", BYTE));
        t.add(f(XCHG, "87 /r", "Ev,Gv", V));
        t.add(f(XCHG, "90+r", "Zv,rAX", V));
        t.add(f(CMPXCHG, "0F B0 /r", "Eb,Gb", BYTE));
        t.add(f(CMPXCHG, "0F B1 /r", "Ev,Gv", V));
        t.add(f(XADD, "0F C0 /r", "Eb,Gb", BYTE));
        t.add(f(XADD, "0F C1 /r", "Ev,Gv", V));
        t.add(f(LEA, "8D /r", "Gv,M", V));
        t.add(f(MOV, "88 /r", "Eb,Gb", BYTE));
        t.add(f(MOV, "89 /r", "Ev,Gv", V));
        t.add(f(MOV, "8A /r", "Gb,Eb", BYTE));
        t.add(f(MOV, "8B /r", "Gv,Ev", V));
        t.add(f(MOV, "C6 /0", "Eb,Ib", BYTE));
        t.add(f(MOV, "C7 /0", "Ev,Iz", V));
        t.add(f(MOV, "B0+r", "Zb,Ib", BYTE));
        t.add(f(MOV, "B8+r", "Zv,Iv", V));
        t.add(f(PUSH, "50+r", "Zv", D64));
        t.add(f(POP, "58+r", "Zv", D64));
        t.add(f(PUSH, "FF /6", "Ev", D64));
        t.add(f(POP, "8F /0", "Ev", D64));
        t.add(f(PUSH, "68", "Iz", D64));
        t.add(f(PUSH, "6A", "Ibs", D64));
        // Flag and conversion instructions without operands; CBW/CWD name the size (see Expectation).
        t.add(f(CLC, "F8", "", BYTE));
        t.add(f(STC, "F9", "", BYTE));
        t.add(f(CMC, "F5", "", BYTE));
        t.add(f(CLD, "FC", "", BYTE));
        t.add(f(STD, "FD", "", BYTE));
        t.add(f(LAHF, "9F", "", BYTE));
        t.add(f(SAHF, "9E", "", BYTE));
        t.add(f(CBW, "98", "", V));
        t.add(f(CWD, "99", "", V));
        t.add(f(RET, "C3", "", F64));
        t.add(f(RET, "C2", "Iw", F64));
        t.add(f(LEAVE, "C9", "", D64));
        // Decimal adjustment (invalid in 64-bit mode).
        t.add(f(DAA, "27", "", BYTE, Form.NOT64));
        t.add(f(DAS, "2F", "", BYTE, Form.NOT64));
        t.add(f(AAA, "37", "", BYTE, Form.NOT64));
        t.add(f(AAS, "3F", "", BYTE, Form.NOT64));
        t.add(f(AAM, "D4", "Ib", BYTE, Form.NOT64));
        t.add(f(AAD, "D5", "Ib", BYTE, Form.NOT64));
        t.add(f(MOVS, "A4", "Yb,Xb", BYTE));
        t.add(f(MOVS, "A5", "Yv,Xv", V));
        t.add(f(CMPS, "A6", "Xb,Yb", BYTE));
        t.add(f(CMPS, "A7", "Xv,Yv", V));
        t.add(f(STOS, "AA", "Yb,AL", BYTE));
        t.add(f(STOS, "AB", "Yv,rAX", V));
        t.add(f(LODS, "AC", "AL,Xb", BYTE));
        t.add(f(LODS, "AD", "rAX,Xv", V));
        t.add(f(SCAS, "AE", "AL,Yb", BYTE));
        t.add(f(SCAS, "AF", "rAX,Yv", V));
        return List.copyOf(t);
    }
}
