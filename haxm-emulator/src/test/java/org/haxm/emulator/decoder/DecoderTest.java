package org.haxm.emulator.decoder;

import static org.haxm.emulator.decoder.DecodedInstruction.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hand-picked encodings with known decodings (SDM Vol. 2 Chapter 2 and the instruction pages). */
class DecoderTest {
    private final Decoder decoder = new Decoder();

    private DecodedInstruction decode(int codeSize, String hex) {
        String[] parts = hex.trim().split("\\s+");
        byte[] code = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) code[i] = (byte) Integer.parseInt(parts[i], 16);
        DecodedInstruction insn = new DecodedInstruction();
        decoder.decode(off -> {
            if (off >= code.length) throw new IllegalStateException("decoder read past the test bytes at " + off);
            return code[off] & 0xFF;
        }, codeSize, insn);
        return insn;
    }

    private static void assertOperand(DecodedInstruction insn, int i, int kind, int reg, int size) {
        assertEquals(kind, insn.opKind[i], "kind of operand " + i);
        if (kind != OperandKind.MEM) assertEquals(reg, insn.opReg[i], "register of operand " + i);
        assertEquals(size, insn.opSize[i], "size of operand " + i);
    }

    @Test
    void movWithSibAndDisp8UsesStackSegment() {
        DecodedInstruction i = decode(64, "48 8b 44 24 08");   // mov rax, [rsp+8]
        assertEquals(Mnemonic.MOV, i.mnemonic);
        assertEquals(5, i.length);
        assertEquals(8, i.operandSize);
        assertOperand(i, 0, OperandKind.GPR, 0, 8);
        assertOperand(i, 1, OperandKind.MEM, 0, 8);
        assertEquals(4, i.base);
        assertEquals(-1, i.index);
        assertEquals(8, i.disp);
        assertEquals(2, i.segment, "rSP base defaults to SS");
    }

    @Test
    void rexSelectsSplWhereNoRexMeansAh() {
        DecodedInstruction withRex = decode(64, "40 88 e0");  // mov al, spl
        assertOperand(withRex, 1, OperandKind.GPR, 4, 1);
        DecodedInstruction noRex = decode(64, "88 e0");       // mov al, ah
        assertOperand(noRex, 1, OperandKind.GPR_HIGH8, 0, 1);
        assertEquals(1, noRex.operandSize);
        DecodedInstruction r12b = decode(64, "45 88 e0");     // mov r8b, r12b
        assertOperand(r12b, 0, OperandKind.GPR, 8, 1);
        assertOperand(r12b, 1, OperandKind.GPR, 12, 1);
    }

    @Test
    void sixteenBitAddressing() {
        DecodedInstruction bpsi = decode(16, "8b 42 10");     // mov ax, [bp+si+0x10]
        assertEquals(3, bpsi.length);
        assertEquals(2, bpsi.addressSize);
        assertEquals(2, bpsi.operandSize);
        assertEquals(5, bpsi.base);
        assertEquals(6, bpsi.index);
        assertEquals(0x10, bpsi.disp);
        assertEquals(2, bpsi.segment, "BP-based defaults to SS");
        DecodedInstruction direct = decode(16, "8b 06 34 12"); // mov ax, [0x1234]
        assertEquals(4, direct.length);
        assertEquals(-1, direct.base);
        assertEquals(-1, direct.index);
        assertEquals(0x1234, direct.disp);
        assertEquals(3, direct.segment);
        DecodedInstruction viaPrefix = decode(32, "67 8b 47 fe"); // mov eax, [bx-2]
        assertEquals(4, viaPrefix.length);
        assertEquals(3, viaPrefix.base);
        assertEquals(-2, viaPrefix.disp);
    }

    @Test
    void ripRelativeOnlyIn64BitMode() {
        DecodedInstruction rip = decode(64, "48 8b 05 10 00 00 00");
        assertTrue(rip.ripRelative);
        assertEquals(-1, rip.base);
        assertEquals(0x10, rip.disp);
        assertEquals(7, rip.length);
        DecodedInstruction abs = decode(32, "8b 05 10 00 00 80");
        assertFalse(abs.ripRelative);
        assertEquals(-1, abs.base);
        assertEquals((int) 0x80000010, abs.disp, "disp32 is sign-extended");
        DecodedInstruction sibNoBase = decode(64, "8b 04 8d 00 01 00 00"); // mov eax, [rcx*4+0x100]
        assertFalse(sibNoBase.ripRelative);
        assertEquals(-1, sibNoBase.base);
        assertEquals(1, sibNoBase.index);
        assertEquals(4, sibNoBase.scale);
        assertEquals(0x100, sibNoBase.disp);
    }

    @Test
    void moffsTakesTheAddressSize() {
        DecodedInstruction m16 = decode(16, "a1 34 12");
        assertEquals(3, m16.length);
        assertEquals(0x1234, m16.disp);
        DecodedInstruction m32 = decode(32, "a1 78 56 34 12");
        assertEquals(5, m32.length);
        assertEquals(0x12345678, m32.disp);
        DecodedInstruction m64 = decode(64, "48 a1 88 77 66 55 44 33 22 f1");
        assertEquals(10, m64.length);
        assertEquals(0xf122334455667788L, m64.disp, "64-bit offsets are not sign-extended");
        assertOperand(m64, 1, OperandKind.MEM, 0, 8);
        assertEquals(-1, m64.base);
        assertEquals(-1, m64.index);
        DecodedInstruction m64a32 = decode(64, "67 a2 00 00 00 80");
        assertEquals(6, m64a32.length);
        assertEquals(0x80000000L, m64a32.disp, "moffs is zero-extended");
        assertEquals(1, m64a32.operandSize);
    }

    @Test
    void immediatesAndTheirExtension() {
        DecodedInstruction imm64 = decode(64, "48 b8 88 77 66 55 44 33 22 11");
        assertEquals(10, imm64.length);
        assertEquals(0x1122334455667788L, imm64.imm);
        assertOperand(imm64, 1, OperandKind.IMM, 0, 8);
        DecodedInstruction imm32 = decode(64, "41 b8 ff ff ff ff");  // mov r8d, 0xffffffff
        assertEquals(6, imm32.length);
        assertOperand(imm32, 0, OperandKind.GPR, 8, 4);
        assertEquals(0xffffffffL, imm32.imm);
        assertEquals(-1, decode(64, "48 83 c0 ff").imm, "imm8 of 83 is sign-extended");
        assertEquals(8, decode(64, "48 83 c0 ff").opSize[1]);
        assertEquals(-1, decode(64, "48 05 ff ff ff ff").imm, "Iz with 64-bit operand is sign-extended");
        assertEquals(0xffffffffL, decode(32, "05 ff ff ff ff").imm, "Iz with 32-bit operand stays as is");
        assertEquals(0x80, decode(32, "b0 80").imm, "imm8 of MOV r8 is not sign-extended");
        DecodedInstruction push = decode(64, "6a f0");
        assertEquals(Mnemonic.PUSH, push.mnemonic);
        assertEquals(8, push.operandSize);
        assertEquals(-16, push.imm);
    }

    @Test
    void lockOnlyWithLockableMemoryDestination() {
        DecodedInstruction ok = decode(64, "f0 01 00");       // lock add [rax], eax
        assertEquals(Mnemonic.ADD, ok.mnemonic);
        assertTrue(ok.hasPrefix(PREFIX_LOCK));
        assertEquals(FAULT_UD, decode(64, "f0 01 c0").fault, "register destination");
        assertEquals(FAULT_UD, decode(64, "f0 8b 00").fault, "MOV is not lockable");
        assertEquals(FAULT_UD, decode(64, "f0 90").fault, "NOP is not lockable");
        assertEquals(FAULT_UD, decode(32, "f0 39 00").fault, "CMP is not lockable");
        assertEquals(Mnemonic.XCHG, decode(32, "f0 87 08").mnemonic);
        assertEquals(Mnemonic.CMPXCHG8B, decode(32, "f0 0f c7 0e").mnemonic);
    }

    @Test
    void fifteenByteLimit() {
        DecodedInstruction fifteen = decode(32, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 90");
        assertEquals(FAULT_NONE, fifteen.fault);
        assertEquals(15, fifteen.length);
        DecodedInstruction sixteen = decode(32, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90");
        assertEquals(FAULT_GP, sixteen.fault);
        assertEquals(Mnemonic.INVALID, sixteen.mnemonic);
        DecodedInstruction longImm = decode(64, "f2 f2 f2 f2 f2 26 48 81 84 88 00 00 00 01 00 00 00 02");
        assertEquals(FAULT_GP, longImm.fault, "prefixes + SIB + disp32 + imm32 exceed 15 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"06", "07", "0e", "16", "17", "1e", "1f", "27", "2f", "37", "3f", "60", "61",
        "62 00", "82 c0 01", "9a 00 00 00 00 00 00", "d4 0a", "d5 0a", "d6", "ea 00 00 00 00 00 00", "ce"})
    void invalidIn64BitModeButValidIn32(String hex) {
        assertEquals(FAULT_UD, decode(64, hex).fault, hex);
        DecodedInstruction legacy = decode(32, hex);
        assertEquals(FAULT_NONE, legacy.fault, hex);
        assertEquals(hex.split(" ").length, legacy.length, hex);
    }

    @Test
    void groupOpcodesSelectByModrmReg() {
        assertEquals(Mnemonic.NEG, decode(32, "f7 d8").mnemonic);
        DecodedInstruction test = decode(32, "f7 c0 01 00 00 00");
        assertEquals(Mnemonic.TEST, test.mnemonic);
        assertEquals(6, test.length);
        DecodedInstruction jmp = decode(64, "ff 20");
        assertEquals(Mnemonic.JMP, jmp.mnemonic);
        assertEquals(8, jmp.opSize[0], "near indirect branches are 64-bit in 64-bit mode");
        assertEquals(FAULT_UD, decode(32, "fe 10").fault, "FE /2 is undefined");
        assertEquals(FAULT_UD, decode(32, "ff ff").fault, "FF /7 is undefined");
        DecodedInstruction shl = decode(32, "c0 e0 03");
        assertEquals(Mnemonic.SHL, shl.mnemonic);
        assertEquals(3, shl.imm);
        assertEquals(Mnemonic.BTS, decode(32, "0f ba e8 05").mnemonic);
        assertEquals(Mnemonic.VMCALL, decode(64, "0f 01 c1").mnemonic);
        assertEquals(Mnemonic.LGDT, decode(64, "0f 01 10").mnemonic);
        assertEquals(10, decode(64, "0f 01 10").opSize[0], "descriptor-table operand is 10 bytes in 64-bit mode");
        assertEquals(6, decode(32, "0f 01 10").opSize[0]);
        assertEquals(Mnemonic.SWAPGS, decode(64, "0f 01 f8").mnemonic);
        assertEquals(FAULT_UD, decode(32, "0f 01 f8").fault, "SWAPGS is 64-bit only");
    }

    @Test
    void prefixCombinations() {
        DecodedInstruction movsw = decode(32, "66 f3 a5");
        assertEquals(Mnemonic.MOVS, movsw.mnemonic);
        assertEquals(2, movsw.operandSize);
        assertTrue(movsw.hasPrefix(PREFIX_REP));
        assertEquals(OperandKind.STRING_DST, movsw.opKind[0]);
        assertEquals(OperandKind.STRING_SRC, movsw.opKind[1]);
        DecodedInstruction both = decode(32, "f2 f3 a4");
        assertTrue(both.hasPrefix(PREFIX_REP) && both.hasPrefix(PREFIX_REPNE));
        assertEquals(1, both.operandSize);
        assertEquals(3, decode(32, "2e 3e 8b 00").segment, "last segment override wins");
        DecodedInstruction cs64 = decode(64, "2e 8b 00");
        assertEquals(3, cs64.segment, "CS override ignored in 64-bit mode");
        assertEquals(1, cs64.segmentOverride);
        assertTrue(cs64.hasPrefix(PREFIX_SEG));
        assertEquals(4, decode(64, "64 8b 00").segment, "FS override honoured in 64-bit mode");
        assertEquals(4, decode(64, "64 3e 8b 00").segment, "a later DS prefix is a null prefix in 64-bit mode");
        assertEquals(3, decode(32, "64 3e 8b 00").segment, "last override wins outside 64-bit mode");
        assertEquals(2, decode(64, "3e 8b 45 00").segment, "DS override ignored: rBP-based stays SS");
        assertEquals(3, decode(32, "3e 8b 45 00").segment, "DS override honoured in 32-bit mode");
        assertEquals(0, decode(32, "26 ac").segment, "string source can be overridden");
        DecodedInstruction rexThenPrefix = decode(64, "48 66 8b 00");
        assertEquals(0, rexThenPrefix.rex, "REX not immediately before the opcode is ignored");
        assertEquals(2, rexThenPrefix.operandSize);
        DecodedInstruction rexWins = decode(64, "66 48 8b 00");
        assertEquals(8, rexWins.operandSize, "REX.W beats 66");
    }

    @Test
    void incDecOutside64BitMode() {
        DecodedInstruction inc = decode(32, "40");
        assertEquals(Mnemonic.INC, inc.mnemonic);
        assertEquals(1, inc.length);
        assertOperand(inc, 0, OperandKind.GPR, 0, 4);
        assertEquals(Mnemonic.DEC, decode(16, "4f").mnemonic);
        assertEquals(2, decode(16, "4f").opSize[0]);
    }

    @Test
    void enterAndFarPointers() {
        DecodedInstruction enter = decode(32, "c8 10 00 02");
        assertEquals(Mnemonic.ENTER, enter.mnemonic);
        assertEquals(0x10, enter.imm);
        assertEquals(2, enter.imm2);
        assertEquals(OperandKind.IMM, enter.opKind[0]);
        assertEquals(OperandKind.IMM2, enter.opKind[1]);
        DecodedInstruction far32 = decode(32, "ea 78 56 34 12 00 10");
        assertEquals(Mnemonic.JMPF, far32.mnemonic);
        assertEquals(7, far32.length);
        assertEquals(0x12345678, far32.imm);
        assertEquals(0x1000, far32.imm2);
        assertEquals(OperandKind.FAR_PTR, far32.opKind[0]);
        DecodedInstruction far16 = decode(16, "9a 34 12 00 f0");
        assertEquals(Mnemonic.CALLF, far16.mnemonic);
        assertEquals(5, far16.length);
        assertEquals(0xf000, far16.imm2);
        assertEquals(Mnemonic.RETF, decode(16, "ca 04 00").mnemonic);
        assertEquals(4, decode(16, "ca 04 00").imm);
    }

    @Test
    void relativeBranches() {
        DecodedInstruction je = decode(32, "74 fe");
        assertEquals(Mnemonic.JE, je.mnemonic);
        assertEquals(-2, je.imm);
        assertEquals(OperandKind.REL, je.opKind[0]);
        assertEquals(6, decode(32, "0f 84 00 00 00 00").length);
        assertEquals(5, decode(32, "66 0f 84 00 00").length, "rel16 with 66 outside 64-bit mode");
        DecodedInstruction jmp = decode(64, "66 e9 00 01 00 00");
        assertEquals(6, jmp.length, "Intel 64: 66 is ignored by near branches in 64-bit mode");
        assertEquals(8, jmp.opSize[0]);
        assertEquals(Mnemonic.JRCXZ, decode(64, "e3 00").mnemonic);
        assertEquals(Mnemonic.JECXZ, decode(64, "67 e3 00").mnemonic);
        assertEquals(Mnemonic.JCXZ, decode(16, "e3 00").mnemonic);
    }

    @Test
    void controlAndSegmentRegisterMoves() {
        DecodedInstruction rdcr0 = decode(64, "0f 20 c0");
        assertEquals(Mnemonic.MOV, rdcr0.mnemonic);
        assertOperand(rdcr0, 0, OperandKind.GPR, 0, 8);
        assertOperand(rdcr0, 1, OperandKind.CREG, 0, 8);
        assertOperand(decode(32, "0f 22 d8"), 0, OperandKind.CREG, 3, 4);
        assertOperand(decode(64, "44 0f 20 c0"), 1, OperandKind.CREG, 8, 8);
        assertOperand(decode(32, "0f 20 00"), 0, OperandKind.GPR, 0, 4); // mod is ignored
        assertEquals(FAULT_UD, decode(32, "0f 20 c8").fault, "CR1 does not exist");
        assertOperand(decode(32, "0f 23 f8"), 0, OperandKind.DREG, 7, 4);
        assertEquals(FAULT_UD, decode(32, "8e c8").fault, "MOV CS, r/m is #UD");
        assertOperand(decode(32, "8e d8"), 0, OperandKind.SREG, 3, 2);
        assertEquals(2, decode(32, "8c 00").opSize[0], "MOV m16, Sreg stores a word");
        assertEquals(4, decode(32, "8c c0").opSize[0], "MOV r32, Sreg");
        assertEquals(FAULT_UD, decode(32, "8c f0").fault, "Sreg 6 is reserved");
    }

    @Test
    void bmiInstructionsThroughVex() {
        DecodedInstruction andn = decode(64, "c4 e2 70 f2 c2");   // andn eax, ecx, edx
        assertEquals(Mnemonic.ANDN, andn.mnemonic);
        assertTrue(andn.hasPrefix(PREFIX_VEX));
        assertEquals(1, andn.vexReg);
        assertOperand(andn, 0, OperandKind.GPR, 0, 4);
        assertOperand(andn, 1, OperandKind.GPR, 1, 4);
        assertOperand(andn, 2, OperandKind.GPR, 2, 4);
        DecodedInstruction andn64 = decode(64, "c4 62 f0 f2 c2");  // andn r8, rcx, rdx
        assertOperand(andn64, 0, OperandKind.GPR, 8, 8);
        assertEquals(8, andn64.operandSize);
        DecodedInstruction rorx = decode(64, "c4 e3 7b f0 c1 05");
        assertEquals(Mnemonic.RORX, rorx.mnemonic);
        assertEquals(5, rorx.imm);
        assertEquals(6, rorx.length);
        assertEquals(Mnemonic.BLSR, decode(64, "c4 e2 78 f3 c9").mnemonic);
        assertEquals(Mnemonic.SHLX, decode(64, "c4 e2 71 f7 c2").mnemonic);
        assertEquals(FAULT_UD, decode(64, "c4 e2 74 f2 c2").fault, "BMI with VEX.L = 1");
        assertEquals(FAULT_UD, decode(64, "c4 e3 73 f0 c1 05").fault, "RORX with VEX.vvvv != 1111b");
        assertEquals(FAULT_UD, decode(64, "66 c4 e2 70 f2 c2").fault, "VEX after 66");
        DecodedInstruction mulx32 = decode(32, "c4 e2 f3 f6 c2");  // W ignored outside 64-bit mode
        assertEquals(Mnemonic.MULX, mulx32.mnemonic);
        assertEquals(4, mulx32.operandSize);
    }

    @Test
    void vexVersusLesLdsOutside64BitMode() {
        DecodedInstruction vz = decode(32, "c5 f8 77");
        assertEquals(Mnemonic.AVX, vz.mnemonic);
        assertEquals(3, vz.length);
        DecodedInstruction lds = decode(32, "c5 00");
        assertEquals(Mnemonic.LDS, lds.mnemonic);
        assertEquals(6, lds.opSize[1], "m16:32");
        assertEquals(Mnemonic.AVX, decode(64, "c5 fc 28 00").mnemonic);
        assertEquals(4, decode(64, "c5 fc 28 00").length);
        assertEquals(6, decode(64, "c4 e3 79 0f c1 08").length, "map 0F3A has an imm8");
        assertEquals(5, decode(64, "c5 f9 70 c1 1b").length, "VEX.0F 70 (vpshufd) has an imm8");
        assertEquals(Mnemonic.AVX, decode(64, "c5 f8 ae 10").mnemonic, "vldmxcsr [rax]");
        assertEquals(FAULT_UD, decode(64, "c5 f8 05").fault, "no VEX form of 0F 05");
        assertEquals(FAULT_UD, decode(64, "c4 e8 78 10 c1").fault, "VEX map 8 is reserved");
    }

    @Test
    void nopPauseAndXchg() {
        assertEquals(Mnemonic.NOP, decode(64, "90").mnemonic);
        assertEquals(Mnemonic.PAUSE, decode(64, "f3 90").mnemonic);
        DecodedInstruction x = decode(64, "41 90");
        assertEquals(Mnemonic.XCHG, x.mnemonic);
        assertOperand(x, 0, OperandKind.GPR, 8, 4);
        DecodedInstruction nop5 = decode(64, "0f 1f 44 00 00");
        assertEquals(Mnemonic.NOP, nop5.mnemonic);
        assertEquals(5, nop5.length);
        assertEquals(Mnemonic.ENDBR64, decode(64, "f3 0f 1e fa").mnemonic);
    }

    @Test
    void sizeDependentMnemonics() {
        assertEquals(Mnemonic.CBW, decode(16, "98").mnemonic);
        assertEquals(Mnemonic.CWDE, decode(32, "98").mnemonic);
        assertEquals(Mnemonic.CDQE, decode(64, "48 98").mnemonic);
        assertEquals(Mnemonic.CQO, decode(64, "48 99").mnemonic);
        assertEquals(Mnemonic.PUSHFQ, decode(64, "9c").mnemonic);
        assertEquals(Mnemonic.PUSHF, decode(64, "66 9c").mnemonic);
        assertEquals(Mnemonic.IRETQ, decode(64, "48 cf").mnemonic);
        assertEquals(Mnemonic.IRETD, decode(64, "cf").mnemonic);
        assertEquals(Mnemonic.MOVSXD, decode(64, "48 63 c1").mnemonic);
        assertEquals(Mnemonic.ARPL, decode(32, "63 c1").mnemonic);
        assertEquals(Mnemonic.CMPXCHG16B, decode(64, "48 0f c7 0e").mnemonic);
        assertEquals(16, decode(64, "48 0f c7 0e").opSize[0]);
        DecodedInstruction push = decode(64, "41 50");
        assertOperand(push, 0, OperandKind.GPR, 8, 8);
        assertEquals(2, decode(64, "66 50").operandSize);
        assertEquals(4, decode(64, "48 ed").operandSize, "IN eAX, DX stays 32-bit with REX.W");
        assertEquals(4, decode(64, "48 6d").operandSize, "INSD with REX.W");
        assertEquals(2, decode(32, "66 ef").operandSize, "OUT DX, AX");
        assertEquals(8, decode(64, "68 00 00 00 80").operandSize, "PUSH imm32 pushes 64 bits");
        assertEquals(0xffffffff80000000L, decode(64, "68 00 00 00 80").imm);
    }

    @Test
    void vectorAndX87LengthsAndPrefixColumns() {
        assertEquals(Mnemonic.X87, decode(32, "d9 c0").mnemonic);
        assertEquals(6, decode(32, "dd 05 00 00 00 00").length);
        assertEquals(9, decode(64, "66 0f 6f 04 25 00 00 00 00").length);
        assertEquals(Mnemonic.MMX, decode(64, "0f 3a 0f c1 08").mnemonic);
        assertEquals(5, decode(64, "0f 3a 0f c1 08").length);
        assertEquals(Mnemonic.SSE, decode(64, "f2 0f 10 c1").mnemonic);
        assertEquals(FAULT_UD, decode(64, "f2 0f 54 c1").fault, "ANDPS has no F2 form");
        assertEquals(FAULT_UD, decode(64, "0f 50 00").fault, "MOVMSKPS needs a register source");
        assertEquals(Mnemonic.POPCNT, decode(64, "f3 0f b8 c1").mnemonic);
        assertEquals(FAULT_UD, decode(64, "0f b8 c1").fault, "0F B8 without F3 (JMPE) is #UD");
        assertEquals(Mnemonic.TZCNT, decode(64, "f3 0f bc c1").mnemonic);
        assertEquals(Mnemonic.BSF, decode(64, "66 0f bc c1").mnemonic);
        assertEquals(2, decode(64, "66 0f bc c1").operandSize);
        assertEquals(Mnemonic.CRC32, decode(64, "f2 0f 38 f1 c1").mnemonic);
        assertEquals(Mnemonic.MOVBE, decode(64, "0f 38 f0 01").mnemonic);
        assertEquals(Mnemonic.INVEPT, decode(64, "66 0f 38 80 01").mnemonic);
        assertEquals(Mnemonic.LFENCE, decode(64, "0f ae e8").mnemonic);
        assertEquals(FAULT_UD, decode(64, "66 0f ae e8").fault);
        assertEquals(Mnemonic.MFENCE, decode(64, "0f ae f0").mnemonic);
        assertEquals(FAULT_UD, decode(64, "0f ae f1").fault, "MFENCE is listed as 0F AE F0 only");
        assertEquals(Mnemonic.CLFLUSH, decode(64, "0f ae 38").mnemonic);
        assertEquals(Mnemonic.VMREAD, decode(64, "0f 78 c8").mnemonic);
        assertEquals(8, decode(64, "0f 78 c8").opSize[0]);
    }

    @Test
    void fetcherExceptionsPropagate() {
        class CodePageFault extends RuntimeException {}
        DecodedInstruction insn = new DecodedInstruction();
        assertThrows(CodePageFault.class, () -> decoder.decode(off -> {
            if (off == 2) throw new CodePageFault();
            return off == 0 ? 0x8b : 0x80;   // mov eax, [eax+disp32] needs more bytes
        }, 32, insn));
        // The decoder is usable again afterwards.
        assertEquals(Mnemonic.NOP, decode(32, "90").mnemonic);
    }

    @Test
    void rejectsBadCodeSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> decoder.decode(off -> 0x90, 48, new DecodedInstruction()));
        assertTrue(e.getMessage().contains("codeSize"));
    }

    @Test
    void pkruAccessTakesNoMandatoryPrefix() {
        // SDM Vol. 2: "NP 0F 01 EE/EF" — found by the objdump property with 26 F2 0F 01 EF.
        assertEquals(Mnemonic.WRPKRU, decode(16, "0f 01 ef").mnemonic);
        assertEquals(Mnemonic.RDPKRU, decode(64, "0f 01 ee").mnemonic);
        for (String hex : new String[] {"f2 0f 01 ef", "66 0f 01 ee", "26 f2 0f 01 ef"}) {
            assertEquals(FAULT_UD, decode(16, hex).fault, hex);
        }
    }
}
