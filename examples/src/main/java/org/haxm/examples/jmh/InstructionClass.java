package org.haxm.examples.jmh;

import java.io.ByteArrayOutputStream;

/**
 * The instruction classes {@link ExecutionBenchmark} measures, each as 32-bit protected-mode code
 * that repeats one instruction (or one pair that belongs together, such as PUSH/POP) and loops
 * forever, so the CPU can run any number of steps without leaving the class.
 *
 * <p>Every loop is {@link #COPIES} copies of the body, then the class's tail (which undoes what
 * the body moved, e.g. ESI/EDI for MOVS), then {@code JMP rel32} back. The loop-closing
 * instructions are part of each figure; with 32 copies they are at most 3 in 35.
 * Encodings from the SDM Vol. 2 instruction pages.
 */
public enum InstructionClass {
    /** {@code ADD EAX, EBX} (01 /r). */
    ALU_REG(hex("01 D8"), hex("")),
    /** {@code ADD EAX, [ESI]} (03 /r): a load plus the ALU operation. */
    ALU_MEM(hex("03 06"), hex("")),
    /** {@code SHL EAX, 3} (C1 /4 ib). */
    SHIFT(hex("C1 E0 03"), hex("")),
    /** {@code IMUL EAX, EBX} (0F AF /r). */
    MUL(hex("0F AF C3"), hex("")),
    /**
     * {@code DIV EBX} (F7 /6) with EBX = 7 and EDX = 0 at the start: the remainder left in EDX is
     * below the divisor, so the next EDX:EAX / EBX quotient always fits in 32 bits and #DE never
     * happens (SDM Vol. 2A "DIV").
     */
    DIV(hex("F7 F3"), hex("")),
    /** {@code JNZ +0} (75 cb), always taken: RFLAGS = 2 at the start, ZF = 0, and nothing here writes flags. */
    JCC(hex("75 00"), hex("")),
    /** {@code PUSH EAX; POP EBX} (50, 5B): two instructions per copy. */
    PUSH_POP(hex("50 5B"), hex("")),
    /** {@code CALL rel32} to a {@code RET} (E8 cd, C3): two instructions per copy. */
    CALL_RET(null, hex("")),
    /**
     * {@code MOVSD} (A5) without REP, DF = 0; the tail moves ESI and EDI back by the 32 x 4 bytes
     * copied ({@code SUB ESI, 128; SUB EDI, 128}, 81 /5 id).
     */
    STRING(hex("A5"), hex("81 EE 80 00 00 00 81 EF 80 00 00 00"));

    /** Copies of the body per loop iteration. */
    public static final int COPIES = 32;
    /** Where the code is placed; a {@code RET} sits at {@link #RET_ADDRESS}, the loop follows it. */
    public static final int CODE_ADDRESS = 0x1000;
    /** The {@code RET} that {@link #CALL_RET} calls. */
    public static final int RET_ADDRESS = CODE_ADDRESS;

    private final byte[] body;
    private final byte[] tail;

    InstructionClass(byte[] body, byte[] tail) {
        this.body = body;
        this.tail = tail;
    }

    /** The loop's first instruction (the entry point). */
    public static int loopStart() {
        return CODE_ADDRESS + 1;
    }

    /** Instructions per copy of the body. */
    public int instructionsPerCopy() {
        return this == PUSH_POP || this == CALL_RET ? 2 : 1;
    }

    /** Instructions in one loop iteration: the copies, the tail and the closing jump. */
    public int instructionsPerIteration() {
        return COPIES * instructionsPerCopy() + (tail.length == 0 ? 0 : 2) + 1;
    }

    /** The code to place at {@link #CODE_ADDRESS}: {@code RET}, then the loop. */
    public byte[] code() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xC3);
        for (int i = 0; i < COPIES; i++) {
            if (this == CALL_RET) {
                int next = CODE_ADDRESS + out.size() + 5;
                out.write(0xE8);
                writeInt(out, RET_ADDRESS - next);
            } else {
                out.writeBytes(body);
            }
        }
        out.writeBytes(tail);
        int next = CODE_ADDRESS + out.size() + 5;
        out.write(0xE9);
        writeInt(out, loopStart() - next);
        return out.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        for (int i = 0; i < 4; i++) {
            out.write(v >>> (8 * i));
        }
    }

    /** Bytes from space-separated hex pairs. */
    static byte[] hex(String s) {
        if (s.isBlank()) {
            return new byte[0];
        }
        String[] parts = s.trim().split("\\s+");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return b;
    }
}
