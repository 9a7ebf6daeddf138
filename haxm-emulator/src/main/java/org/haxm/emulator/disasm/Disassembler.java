package org.haxm.emulator.disasm;

import org.haxm.emulator.decoder.CodeFetcher;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Decoder;
import org.haxm.emulator.decoder.Mnemonic;
import org.haxm.emulator.decoder.OperandKind;

/**
 * Formats decoded instructions in Intel syntax, close to {@code objdump -M intel}: lower-case
 * mnemonics, destination first, {@code DWORD PTR [rax+rbx*4+0x10]} memory operands, absolute hex
 * branch targets and {@code [rip+0x..]} for RIP-relative addresses.
 *
 * <p>Intended for logs, debuggers and tests, not for the per-instruction hot path (it builds strings).
 */
public final class Disassembler {
    private final Decoder decoder = new Decoder();
    private final DecodedInstruction scratch = new DecodedInstruction();

    /**
     * Formats one decoded instruction located at {@code address}.
     *
     * @param insn    a decoded instruction (a faulting one prints as {@code (bad)})
     * @param address linear address of its first byte, used for branch targets and RIP-relative comments
     * @return the Intel-syntax text, e.g. {@code "mov DWORD PTR [rbp-0x4],0x1"}
     */
    public String format(DecodedInstruction insn, long address) {
        if (insn.fault != DecodedInstruction.FAULT_NONE) return "(bad)";
        StringBuilder sb = new StringBuilder(48);
        prefixText(insn, sb);
        sb.append(mnemonicText(insn));
        for (int i = 0; i < insn.operandCount; i++) {
            sb.append(i == 0 ? ' ' : ',');
            operand(insn, i, address, sb);
        }
        if (insn.ripRelative && insn.memoryOperand() >= 0) {
            // Like objdump, end with the absolute address a RIP-relative operand refers to.
            sb.append("        # ");
            hex(address + insn.length + insn.disp, insn.addressSize, sb);
        }
        if (insn.mnemonic == Mnemonic.XLAT) {
            // XLAT's implicit table operand: seg:[rBX] (SDM Vol. 2, XLAT).
            sb.append(" BYTE PTR ").append(RegisterNames.sreg(insn.segment)).append(":[")
                .append(RegisterNames.gpr(3, insn.addressSize)).append(']');
        }
        return sb.toString();
    }

    /**
     * Disassembles a whole buffer into a listing, one line per instruction:
     * {@code "address: bytes  text"}. Undecodable bytes print as {@code (bad)} and advance one byte.
     *
     * @param code     machine code
     * @param codeSize 16, 32 or 64
     * @param address  address of {@code code[0]}
     */
    public String disassemble(byte[] code, int codeSize, long address) {
        if (code == null) throw new IllegalArgumentException("code must not be null");
        StringBuilder sb = new StringBuilder();
        ArrayFetcher fetcher = new ArrayFetcher(code);
        int offset = 0;
        while (offset < code.length) {
            fetcher.start = offset;
            String text;
            int length;
            try {
                decoder.decode(fetcher, codeSize, scratch);
                length = scratch.fault == DecodedInstruction.FAULT_UD ? 1 : scratch.length;
                text = format(scratch, address + offset);
            } catch (IndexOutOfBoundsException truncated) {
                length = code.length - offset;
                text = "(bad)";
            }
            sb.append(String.format("%8x:", address + offset)).append(' ');
            StringBuilder hex = new StringBuilder();
            for (int k = 0; k < length; k++) hex.append(String.format("%02x ", code[offset + k] & 0xFF));
            sb.append(String.format("%-45s", hex)).append(' ').append(text).append('\n');
            offset += length;
        }
        return sb.toString();
    }

    /** Reads from a byte array starting at {@link #start}; past the end it throws (truncated code). */
    private static final class ArrayFetcher implements CodeFetcher {
        private final byte[] code;
        int start;
        ArrayFetcher(byte[] code) { this.code = code; }
        @Override public int fetch(int offset) {
            int i = start + offset;
            if (i >= code.length) throw new IndexOutOfBoundsException("code ends at " + code.length);
            return code[i] & 0xFF;
        }
    }

    private static void prefixText(DecodedInstruction insn, StringBuilder sb) {
        if (insn.hasPrefix(DecodedInstruction.PREFIX_LOCK)) sb.append("lock ");
        Mnemonic m = insn.mnemonic;
        boolean string = m == Mnemonic.MOVS || m == Mnemonic.STOS || m == Mnemonic.LODS
            || m == Mnemonic.INS || m == Mnemonic.OUTS;
        boolean compare = m == Mnemonic.CMPS || m == Mnemonic.SCAS;
        int last = lastRepPrefix(insn);
        if (string && last == 0xF3) sb.append("rep ");
        else if ((string || compare) && last == 0xF2) sb.append("repnz ");
        else if (compare && last == 0xF3) sb.append("repz ");
    }

    /** The last F2/F3 byte among the prefixes, or 0. */
    private static int lastRepPrefix(DecodedInstruction insn) {
        int last = 0;
        for (int k = 0; k < insn.length; k++) {
            int b = insn.bytes[k] & 0xFF;
            if (b == 0xF2 || b == 0xF3) last = b;
            else if (!(b == 0xF0 || b == 0x66 || b == 0x67 || b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E
                || b == 0x64 || b == 0x65 || (b & 0xF0) == 0x40)) break;
        }
        return last;
    }

    /** Lower-case mnemonic, with objdump's spelling where it differs from the SDM constant name. */
    static String mnemonicText(DecodedInstruction insn) {
        return switch (insn.mnemonic) {
            // objdump's name for MOV with a 64-bit immediate or a 64-bit moffs.
            case MOV -> insn.opcode >= 0xB8 && insn.opcode <= 0xBF && insn.operandSize == 8
                || insn.opcode >= 0xA0 && insn.opcode <= 0xA3 && insn.addressSize == 8 ? "movabs" : "mov";
            case JMPF -> "jmp";
            case CALLF -> "call";
            case INT1 -> "int1";
            default -> insn.mnemonic.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static void operand(DecodedInstruction insn, int i, long address, StringBuilder sb) {
        int size = insn.opSize[i];
        switch (insn.opKind[i]) {
            case OperandKind.GPR -> sb.append(RegisterNames.gpr(insn.opReg[i], size));
            case OperandKind.GPR_HIGH8 -> sb.append(RegisterNames.high8(insn.opReg[i]));
            case OperandKind.MEM -> memory(insn, size, address, sb);
            case OperandKind.IMM -> hex(insn.imm, size, sb);
            case OperandKind.IMM2 -> hex(insn.imm2, size, sb);
            case OperandKind.REL -> hex(address + insn.length + insn.imm, size, sb);
            case OperandKind.SREG -> sb.append(RegisterNames.sreg(insn.opReg[i]));
            case OperandKind.CREG -> sb.append("cr").append(insn.opReg[i]);
            case OperandKind.DREG -> sb.append("dr").append(insn.opReg[i]);
            case OperandKind.FAR_PTR -> { hex(insn.imm2, 2, sb); sb.append(':'); hex(insn.imm, size - 2, sb); }
            case OperandKind.STRING_SRC -> stringOperand(insn, size, RegisterNames.sreg(insn.segment), 6, sb);
            case OperandKind.STRING_DST -> stringOperand(insn, size, "es", 7, sb);
            case OperandKind.ONE -> sb.append('1');
            case OperandKind.VECTOR_REG -> sb.append(RegisterNames.vector(insn.opReg[i], size));
            default -> sb.append('?');
        }
    }

    private static void stringOperand(DecodedInstruction insn, int size, String seg, int reg, StringBuilder sb) {
        sb.append(RegisterNames.ptr(size)).append(seg).append(":[")
            .append(RegisterNames.gpr(reg, insn.addressSize)).append(']');
    }

    private static void memory(DecodedInstruction insn, int size, long address, StringBuilder sb) {
        // objdump omits the size keyword for the moffs forms of MOV (A0-A3): the register says it.
        boolean moffs = insn.opcode >= 0xA0 && insn.opcode <= 0xA3;
        if (!moffs) sb.append(RegisterNames.ptr(size));
        // Print the segment where an override applies (64-bit mode ignores ES/CS/SS/DS overrides),
        // and always for an absolute address, as objdump does.
        boolean overridden = insn.segmentOverride >= 0 && (insn.codeSize != 64 || insn.segment >= 4);
        boolean absolute = insn.base < 0 && insn.index < 0 && !insn.ripRelative;
        if (overridden || absolute) sb.append(RegisterNames.sreg(insn.segment)).append(':');
        if (absolute) {
            hex(insn.disp, insn.addressSize, sb);
            return;
        }
        sb.append('[');
        boolean first = true;
        if (insn.ripRelative) { sb.append(insn.addressSize == 8 ? "rip" : "eip"); first = false; }
        if (insn.base >= 0) { sb.append(RegisterNames.gpr(insn.base, insn.addressSize)); first = false; }
        boolean sib = insn.addressSize != 2 && insn.modrm >= 0 && (insn.modrm & 7) == 4 && insn.modrm >> 6 != 3;
        if (insn.index >= 0) {
            if (!first) sb.append('+');
            sb.append(RegisterNames.gpr(insn.index, insn.addressSize));
            // 16-bit forms have no scale; a SIB byte always has one, even *1.
            if (insn.addressSize != 2) sb.append('*').append(insn.scale);
            first = false;
        } else if (sib && insn.base >= 0 && ((insn.base & 7) != 4 || insn.scale != 1)) {
            // objdump shows a SIB byte whose index field is 100b (no index) as eiz/riz.
            sb.append(insn.addressSize == 8 ? "+riz*" : "+eiz*").append(insn.scale);
        }
        long disp = insn.disp;
        int mod = insn.modrm >> 6;
        boolean explicitDisp = insn.modrm >= 0 && (mod == 1 || mod == 2);
        if (disp != 0 || first || explicitDisp) {
            // objdump prints negative displacements as "-0x..", except RIP-relative ones.
            if (disp < 0 && !first && !insn.ripRelative) { sb.append('-'); hex(-disp, insn.addressSize, sb); }
            else if (insn.ripRelative) sb.append("+0x").append(Long.toHexString(disp));
            else { if (!first) sb.append('+'); hex(disp, insn.addressSize, sb); }
        }
        sb.append(']');
    }

    /** Hex with the value truncated to {@code size} bytes, as objdump prints immediates and targets. */
    private static void hex(long value, int size, StringBuilder sb) {
        long v = size >= 8 || size <= 0 ? value : value & ((1L << (8 * size)) - 1);
        sb.append("0x").append(Long.toHexString(v));
    }
}
