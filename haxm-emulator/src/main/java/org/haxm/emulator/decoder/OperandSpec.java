package org.haxm.emulator.decoder;

/**
 * Operand specifications in the notation of Intel SDM Vol. 2, Appendix A.2 ("Ev", "Gb", "Iz", "Jb"...),
 * packed into an {@code int}: addressing method in bits 7:0, size code in bits 15:8, fixed register
 * number in bits 23:16. Parsing happens once, when the opcode tables are built.
 *
 * <p>Addressing methods (SDM A.2.1): E = ModRM r/m (register or memory), G = ModRM.reg GPR,
 * M = ModRM memory only, R = ModRM r/m register only, I = immediate, J = relative offset,
 * O = moffs, A = direct far pointer, S = ModRM.reg segment register, C/D = control/debug register,
 * X/Y = string source DS:rSI / destination ES:rDI, B = VEX.vvvv GPR, V/W/P/Q = XMM/MMX register
 * or memory. Extras of this project: Z = register in opcode bits 2:0 (SDM writes "rAX/r8" etc.),
 * "Ibs" = imm8 sign-extended to the operand size, "Mw/Rv" = memory word or register of operand size
 * (MOV from Sreg, SLDT, STR, SMSW), "EST" = x87 memory or ST(i).
 */
public final class OperandSpec {
    private OperandSpec() {}

    // Addressing methods.
    public static final int E = 1, G = 2, M = 3, R = 4, I = 5, I_SX = 6, J = 7, O = 8, A = 9, S = 10,
        C = 11, D = 12, X = 13, Y = 14, Z = 15, FIXED_GPR = 16, FIXED_SREG = 17, ONE = 18, B = 19,
        V = 20, W = 21, P = 22, Q = 23, EST = 24;

    // Size codes (SDM A.2.2), plus C_SIZE ("c": 32 bits, 64 in 64-bit mode) and MW_RV.
    public static final int SZ_NONE = 0, SZ_B = 1, SZ_W = 2, SZ_D = 3, SZ_Q = 4, SZ_V = 5, SZ_Z = 6,
        SZ_Y = 7, SZ_P = 8, SZ_S = 9, SZ_A = 10, SZ_C = 11, SZ_X = 12, SZ_MW_RV = 13;

    public static int method(int spec) { return spec & 0xFF; }
    public static int size(int spec) { return spec >>> 8 & 0xFF; }
    public static int fixedReg(int spec) { return spec >>> 16 & 0xFF; }

    private static int pack(int method, int size, int reg) { return method | size << 8 | reg << 16; }

    private static final String[] GPR_BYTE = {"AL", "CL", "DL", "BL"};
    private static final String[] SREGS = {"ES", "CS", "SS", "DS", "FS", "GS"};

    /**
     * Parses one operand spec such as {@code "Ev"} or {@code "AL"}.
     *
     * @throws IllegalArgumentException naming the spec if it is not understood (a table bug)
     */
    public static int parse(String spec) {
        switch (spec) {
            case "rAX": return pack(FIXED_GPR, SZ_V, 0);
            case "eAX": return pack(FIXED_GPR, SZ_Z, 0);
            case "DX": return pack(FIXED_GPR, SZ_W, 2);
            case "1": return pack(ONE, SZ_B, 0);
            case "Ibs": return pack(I_SX, SZ_B, 0);
            case "Mw/Rv": return pack(E, SZ_MW_RV, 0);
            case "EST": return pack(EST, SZ_NONE, 0);
            case "M": return pack(M, SZ_NONE, 0);
            case "Mdq": return pack(M, SZ_X, 0);
            default: break;
        }
        for (int i = 0; i < GPR_BYTE.length; i++) if (GPR_BYTE[i].equals(spec)) return pack(FIXED_GPR, SZ_B, i);
        for (int i = 0; i < SREGS.length; i++) if (SREGS[i].equals(spec)) return pack(FIXED_SREG, SZ_W, i);
        if (spec.isEmpty() || spec.length() > 2) throw new IllegalArgumentException("unknown operand spec: " + spec);
        int method = switch (spec.charAt(0)) {
            case 'E' -> E; case 'G' -> G; case 'M' -> M; case 'R' -> R; case 'I' -> I; case 'J' -> J;
            case 'O' -> O; case 'A' -> A; case 'S' -> S; case 'C' -> C; case 'D' -> D; case 'X' -> X;
            case 'Y' -> Y; case 'Z' -> Z; case 'B' -> B; case 'V' -> V; case 'W' -> W; case 'P' -> P;
            case 'Q' -> Q;
            default -> throw new IllegalArgumentException("unknown operand spec: " + spec);
        };
        int size = spec.length() == 1 ? SZ_NONE : switch (spec.charAt(1)) {
            case 'b' -> SZ_B; case 'w' -> SZ_W; case 'd' -> SZ_D; case 'q' -> SZ_Q; case 'v' -> SZ_V;
            case 'z' -> SZ_Z; case 'y' -> SZ_Y; case 'p' -> SZ_P; case 's' -> SZ_S; case 'a' -> SZ_A;
            case 'c' -> SZ_C; case 'x' -> SZ_X;
            default -> throw new IllegalArgumentException("unknown operand size in spec: " + spec);
        };
        return pack(method, size, 0);
    }

    /** True if the addressing method reads ModRM. */
    public static boolean needsModrm(int spec) {
        return switch (method(spec)) {
            case E, G, M, R, S, C, D, V, W, P, Q, EST -> true;
            default -> false;
        };
    }
}
