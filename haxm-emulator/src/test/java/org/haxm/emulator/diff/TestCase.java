package org.haxm.emulator.diff;

/**
 * One differential case: an instruction and the state it starts from, plus what the SDM leaves
 * undefined for these operands (flags and registers whose values are not compared).
 *
 * @param mode          64 or 32 (code size the instruction runs in)
 * @param insnClass     the instruction class, for the per-class summary
 * @param code          instruction bytes (1..15)
 * @param regs          RAX..R15 before the instruction (32-bit mode: only 0..7, low halves)
 * @param rflags        RFLAGS before the instruction
 * @param window        the first {@link Layout#WINDOW} bytes of the data area
 * @param undefinedFlags RFLAGS bits the SDM leaves undefined for this case
 * @param undefinedRegs bit i set: register i's result is undefined for this case
 */
record TestCase(int mode, String insnClass, byte[] code, long[] regs, long rflags, byte[] window,
                long undefinedFlags, int undefinedRegs) {}
