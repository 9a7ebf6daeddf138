package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.decoder.DecodedInstruction;

/** Executes the instructions of one family; see {@link Executor} for the contract. */
@FunctionalInterface
interface Handler {
    /** Returned when the handler left RIP for the executor to advance to the next instruction. */
    boolean NEXT = false;
    /** Returned when the handler set RIP itself (branch taken, REP iteration pending, far transfer). */
    boolean RIP_SET = true;

    /**
     * Executes {@code insn}; every fault is thrown before architectural state changes.
     *
     * @return {@link #RIP_SET} if RIP was already updated, else {@link #NEXT}
     */
    boolean execute(Cpu cpu, DecodedInstruction insn);
}
