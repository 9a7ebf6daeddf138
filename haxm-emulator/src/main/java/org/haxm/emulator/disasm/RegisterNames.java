package org.haxm.emulator.disasm;

/** Intel-syntax register names by encoding number and width (SDM Vol. 1 §3.4.1, §3.7.2.1). */
final class RegisterNames {
    private RegisterNames() {}

    private static final String[] R64 = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
    private static final String[] R32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
        "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
    private static final String[] R16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
        "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
    private static final String[] R8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
        "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};
    private static final String[] HIGH8 = {"ah", "ch", "dh", "bh"};
    private static final String[] SREG = {"es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr"};

    /** General-purpose register {@code reg} (0..15) of {@code size} bytes. */
    static String gpr(int reg, int size) {
        return switch (size) {
            case 1 -> R8[reg & 15];
            case 2 -> R16[reg & 15];
            case 8 -> R64[reg & 15];
            default -> R32[reg & 15];
        };
    }

    static String high8(int reg) { return HIGH8[reg & 3]; }

    static String sreg(int n) { return SREG[n & 7]; }

    /** Vector register by width: 10 = x87 ST(i), 8 = MMX, 16 = XMM, 32 = YMM. */
    static String vector(int reg, int size) {
        return switch (size) {
            case 10 -> "st(" + (reg & 7) + ")";
            case 8 -> "mm" + (reg & 7);
            case 32 -> "ymm" + reg;
            default -> "xmm" + reg;
        };
    }

    /** The "XXX PTR" size keyword objdump prints for a memory operand of {@code size} bytes. */
    static String ptr(int size) {
        return switch (size) {
            case 1 -> "BYTE PTR ";
            case 2 -> "WORD PTR ";
            case 4 -> "DWORD PTR ";
            case 6 -> "FWORD PTR ";
            case 8 -> "QWORD PTR ";
            case 10 -> "TBYTE PTR ";
            case 16 -> "XMMWORD PTR ";
            case 32 -> "YMMWORD PTR ";
            default -> "";
        };
    }
}
