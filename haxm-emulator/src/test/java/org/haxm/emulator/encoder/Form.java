package org.haxm.emulator.encoder;

import java.util.Arrays;
import java.util.List;
import org.haxm.emulator.decoder.Mnemonic;

/**
 * One instruction form as the SDM's instruction summary tables write it: an opcode column such as
 * {@code "0F AF /r"}, {@code "80 /7"}, {@code "F3 0F B8 /r"}, {@code "58+r"} or
 * {@code "VEX.F2.0F38 F6 /r"} (SDM Vol. 2 §3.1.1.1), and an operand list in Appendix A notation.
 *
 * @param mnemonic  what the decoder must report
 * @param map       0 = one-byte, 1 = 0F, 2 = 0F 38, 3 = 0F 3A
 * @param opcode    the opcode byte (the base value for "+r" forms)
 * @param digit     ModRM.reg for "/digit" forms, -1 otherwise
 * @param hasModrm  "/r" or "/digit"
 * @param plusReg   "+r": the register is in opcode bits 2:0 (extended by REX.B)
 * @param mandatory legacy mandatory prefix 0x66/0xF3/0xF2 or 0; for VEX the pp prefix
 * @param vex       VEX-encoded (SDM Vol. 2 §2.3)
 * @param sizes     which operand sizes exist (SDM Vol. 2 §2.2.1.2, Table 2-4)
 * @param modes     code sizes (16/32/64) in which the form is valid
 * @param specs     operands, destination first
 */
record Form(Mnemonic mnemonic, int map, int opcode, int digit, boolean hasModrm, boolean plusReg, int mandatory,
            boolean vex, Sizes sizes, List<Integer> modes, List<Spec> specs) {

    /** Operand-size behaviour of a form. */
    enum Sizes {
        /** Byte operation: no operand-size choice. */
        BYTE(1),
        /** 16/32 bits, 64 with REX.W in 64-bit mode. */
        V(2, 4, 8),
        /** 32/64 only (BSWAP: the 16-bit form is undefined, SDM Vol. 2A "BSWAP"). */
        V32(4, 8),
        /** Defaults to 64 bits in 64-bit mode, 66h selects 16; no 32-bit form there (PUSH, POP). */
        D64(2, 4, 8),
        /** Always 64 bits in 64-bit mode (near branches; Intel ignores 66h, SDM Vol. 1 §3.6.1). */
        F64(2, 4, 8),
        /** 32 bits, or 64 with W = 1 in 64-bit mode (VEX BMI, ADCX/ADOX). */
        Y(4, 8);

        final int[] widths;
        Sizes(int... widths) { this.widths = widths; }

        /** The operand sizes this rule allows in {@code codeSize}-bit code. */
        int[] allowed(int codeSize) {
            if (this == BYTE) return new int[] {1};
            if (codeSize == 64) {
                return switch (this) {
                    case D64 -> new int[] {2, 8};
                    case F64 -> new int[] {8};
                    default -> widths;
                };
            }
            return Arrays.stream(widths).filter(w -> w < 8).toArray();
        }
    }

    static final List<Integer> ALL = List.of(16, 32, 64), NOT64 = List.of(16, 32), ONLY64 = List.of(64),
        PROTECTED = List.of(32, 64);

    /** Parses an SDM opcode column and operand list. */
    static Form of(Mnemonic m, String opcodeColumn, String operands, Sizes sizes, List<Integer> modes) {
        String[] t = opcodeColumn.trim().split("\\s+");
        int i = 0, map = 0, mandatory = 0;
        boolean vex = false;
        if (t[0].startsWith("VEX.")) {
            // VEX.<pp>.<map>: pp is NP/66/F3/F2 (SDM Vol. 2 §3.1.1.2).
            String[] v = t[0].split("\\.");
            mandatory = switch (v[1]) { case "66" -> 0x66; case "F3" -> 0xF3; case "F2" -> 0xF2; default -> 0; };
            map = switch (v[2]) { case "0F" -> 1; case "0F38" -> 2; default -> 3; };
            vex = true;
            i = 1;
        } else {
            if (t[i].equals("66") || t[i].equals("F3") || t[i].equals("F2")) mandatory = Integer.parseInt(t[i++], 16);
            if (t[i].equals("0F")) {
                i++;
                map = 1;
                if (t[i].equals("38")) { map = 2; i++; } else if (t[i].equals("3A")) { map = 3; i++; }
            }
        }
        String op = t[i++];
        boolean plusReg = op.endsWith("+r");
        int opcode = Integer.parseInt(plusReg ? op.substring(0, op.length() - 2) : op, 16);
        int digit = -1;
        boolean modrm = false;
        if (i < t.length) {
            modrm = true;
            if (!t[i].equals("/r")) digit = t[i].charAt(1) - '0';
        }
        List<Spec> specs = operands.isEmpty() ? List.of() : Arrays.stream(operands.split(",")).map(Spec::parse).toList();
        return new Form(m, map, opcode, digit, modrm, plusReg, mandatory, vex, sizes, modes, specs);
    }

    /** Index of the operand encoded in ModRM.r/m, or -1. */
    int rmOperand() {
        for (int k = 0; k < specs.size(); k++) if (specs.get(k).isRm()) return k;
        return -1;
    }

    /** True if the r/m operand may only be memory (SDM "m" operands: LEA, MOVBE). */
    boolean memoryOnly() {
        int k = rmOperand();
        return k >= 0 && specs.get(k).method() == 'M';
    }

    @Override public String toString() {
        return mnemonic + " " + (vex ? "VEX " : "") + (mandatory != 0 ? Integer.toHexString(mandatory) + " " : "")
            + (map == 0 ? "" : map == 1 ? "0F " : map == 2 ? "0F38 " : "0F3A ") + Integer.toHexString(opcode)
            + (plusReg ? "+r" : "") + (digit >= 0 ? " /" + digit : hasModrm ? " /r" : "") + " " + specs;
    }
}
