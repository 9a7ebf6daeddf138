package org.haxm.emulator.encoder;

import java.util.List;

/**
 * A description of one instruction, independent of its bytes: the form, the mode it is for, its
 * operand and address sizes, the operands, and the optional prefixes that do not change what it
 * means structurally.
 *
 * @param form        the instruction form
 * @param codeSize    16, 32 or 64 (64 = 64-bit mode)
 * @param operandSize operand size in bytes for the form's "v"/"y" operands (1 for byte forms)
 * @param addressSize 2, 4 or 8
 * @param operands    one per {@link Form#specs()} entry, destination first
 * @param segment     segment-override prefix as a Segment ordinal (ES=0..GS=5), or -1 for none
 * @param rep         an F3 prefix on a string instruction
 * @param lock        an F0 (LOCK) prefix, valid or not (SDM Vol. 2A "LOCK")
 * @param emptyRex    a REX prefix (40h) even where no REX bit is needed (64-bit mode only)
 * @param prefixSeed  order in which the legacy prefixes are written (any order is legal, SDM Vol. 2 §2.1.1)
 */
record Instruction(Form form, int codeSize, int operandSize, int addressSize, List<Operand> operands,
                   int segment, boolean rep, boolean lock, boolean emptyRex, int prefixSeed) {

    Operand operand(int i) { return operands.get(i); }

    @Override public String toString() {
        return form + " code" + codeSize + " os" + operandSize + " as" + addressSize + " " + operands
            + (segment >= 0 ? " seg" + segment : "") + (rep ? " rep" : "") + (lock ? " lock" : "") + (emptyRex ? " rex40" : "");
    }
}
