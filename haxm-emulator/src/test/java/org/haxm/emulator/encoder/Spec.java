package org.haxm.emulator.encoder;

/**
 * One operand specification in the notation of SDM Vol. 2 Appendix A.2: an addressing method
 * letter and a size letter ("Ev", "Gb", "Iz", "Jb", "By", ...), or a fixed operand ("AL", "CL",
 * "rAX", "1"). "Ibs" is an imm8 sign-extended to the operand size; "Z" is a register in the low
 * three opcode bits ("+rb/+rw/+rd" in the SDM's opcode column).
 */
record Spec(char method, char size, int fixedReg) {
    static final char FIXED = 'F', ONE = '1', IMM_SX = 's';

    static Spec parse(String s) {
        return switch (s) {
            case "AL" -> new Spec(FIXED, 'b', 0);
            case "CL" -> new Spec(FIXED, 'b', 1);
            case "rAX" -> new Spec(FIXED, 'v', 0);
            case "1" -> new Spec(ONE, 'b', 0);
            case "Ibs" -> new Spec(IMM_SX, 'b', 0);
            case "M" -> new Spec('M', '-', 0);
            default -> {
                if (s.length() != 2 || "EGIJZMBXY".indexOf(s.charAt(0)) < 0 || "bwdqvzy".indexOf(s.charAt(1)) < 0) {
                    throw new IllegalArgumentException("unknown operand spec " + s);
                }
                yield new Spec(s.charAt(0), s.charAt(1), 0);
            }
        };
    }

    /** True for the operand that lives in ModRM.r/m (register or memory). */
    boolean isRm() { return method == 'E' || method == 'M'; }
    boolean isImmediate() { return method == 'I' || method == IMM_SX; }

    /**
     * Width in bytes for an instruction with operand size {@code os} (SDM Vol. 2 A.2.2): b = 1,
     * w = 2, d = 4, q = 8, v = os, z = 2 for os = 2 else 4, y = 4 or 8 (VEX.W / REX.W).
     */
    int width(int os) {
        return switch (size) {
            case 'b' -> 1;
            case 'w' -> 2;
            case 'd' -> 4;
            case 'q' -> 8;
            case 'v', 'y' -> os;
            case 'z' -> os == 2 ? 2 : 4;
            default -> 0;
        };
    }
}
