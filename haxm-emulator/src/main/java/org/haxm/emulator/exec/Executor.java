package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;

/**
 * The execution core: carries out one decoded instruction on a {@link Cpu}.
 *
 * <p>Dispatch is a table indexed by {@link Mnemonic#ordinal()} whose entries are the handler
 * methods of small per-family classes ({@link Alu}, {@link Shifts}, {@link MulDiv}, {@link BitOps},
 * {@link DataMove}, {@link Stack}, {@link Branch}, {@link Strings}, {@link PortIo}, {@link SystemOps},
 * {@link ProcessorOps}, {@link Bcd}, {@link FastSystemCall}, {@link DescriptorOps}); a mnemonic without a handler raises #UD.
 *
 * <p>Contract of every handler (what makes faults precise and VM exits restartable): all checks
 * and memory accesses of the instruction, or of one string iteration, come first and may throw
 * ({@code cpu.fault(...)} or {@link org.haxm.emulator.InstructionAbort}); registers, flags and RIP
 * are committed only afterwards. RIP is advanced here unless the handler set it (branches, far
 * transfers, a REP iteration that must run again). The executor is stateless and allocation-free;
 * one instance may serve any number of CPUs.
 */
public final class Executor {
    private static final Handler[] TABLE = new Handler[Mnemonic.values().length];

    static {
        Alu.register(TABLE);
        Shifts.register(TABLE);
        MulDiv.register(TABLE);
        BitOps.register(TABLE);
        DataMove.register(TABLE);
        Stack.register(TABLE);
        Branch.register(TABLE);
        Strings.register(TABLE);
        PortIo.register(TABLE);
        SystemOps.register(TABLE);
        ProcessorOps.register(TABLE);
        Bcd.register(TABLE);
        FastSystemCall.register(TABLE);
        DescriptorOps.register(TABLE);
    }

    /**
     * Executes {@code insn}, which must have been decoded at the CPU's current RIP.
     *
     * @throws org.haxm.emulator.CpuException for an architectural fault (state unchanged)
     * @throws org.haxm.emulator.InstructionAbort when a memory access or the intercept hook took
     *         the instruction away (state unchanged)
     */
    public void execute(Cpu cpu, DecodedInstruction insn) {
        if (insn.fault != DecodedInstruction.FAULT_NONE) {
            throw cpu.fault(insn.fault, insn.fault == DecodedInstruction.FAULT_GP ? 0 : -1);
        }
        Handler h = TABLE[insn.mnemonic.ordinal()];
        if (h == null) throw cpu.fault(6, -1);
        if (h.execute(cpu, insn) == Handler.NEXT) cpu.state().rip = Operands.nextRip(cpu, insn);
    }

    /** True when this core executes {@code m} (others raise #UD). */
    public static boolean implemented(Mnemonic m) {
        return TABLE[m.ordinal()] != null && m != Mnemonic.INVALID;
    }
}
