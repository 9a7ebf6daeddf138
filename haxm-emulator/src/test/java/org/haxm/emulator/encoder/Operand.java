package org.haxm.emulator.encoder;

/**
 * One operand of an {@link Instruction} description, in the terms of SDM Vol. 2 §2.1 (what the
 * programmer writes), not of bytes. Sizes are not stored here: they follow from the
 * {@link Form}'s operand specification and the instruction's operand size.
 */
sealed interface Operand permits Operand.Reg, Operand.Imm, Operand.Mem16, Operand.Mem32, Operand.RipRelative {

    /**
     * A general-purpose register by its encoding number 0..15 (RAX..R15, or AL..R15B for bytes).
     * {@code high8} names AH, CH, DH or BH (number 4..7 encoded without REX, SDM Vol. 2 §2.2.1.2).
     */
    record Reg(int number, boolean high8) implements Operand {
        public Reg {
            if (number < 0 || number > 15 || high8 && (number < 4 || number > 7)) {
                throw new IllegalArgumentException("no such register: " + number + (high8 ? " (high byte)" : ""));
            }
        }
        static Reg of(int number) { return new Reg(number, false); }
    }

    /** An immediate, relative displacement or constant, as the value the instruction means. */
    record Imm(long value) implements Operand {}

    /**
     * 16-bit addressing (SDM Vol. 2 Table 2-1): {@code rm} 0..7 selects [BX+SI], [BX+DI], [BP+SI],
     * [BP+DI], [SI], [DI], [BP] (or disp16 alone when mod = 00b), [BX]; {@code mod} 0..2 selects
     * no displacement, disp8 or disp16.
     */
    record Mem16(int rm, int mod, long disp) implements Operand {}

    /**
     * 32- or 64-bit addressing (SDM Vol. 2 Tables 2-2 and 2-3): base (-1 = none), index (-1 =
     * none; 4 = RSP cannot be an index), scale 1/2/4/8, displacement and its width in bytes (0, 1
     * or 4; the encoder widens 0 to a disp8 of zero where rBP/R13 as base requires one). A SIB
     * byte is used when the form needs one or {@code forceSib} asks for it.
     */
    record Mem32(int base, int index, int scale, long disp, int dispBytes, boolean forceSib) implements Operand {}

    /** [RIP + disp32] (64-bit mode only, SDM Vol. 2 §2.2.1.6). */
    record RipRelative(long disp) implements Operand {}
}
