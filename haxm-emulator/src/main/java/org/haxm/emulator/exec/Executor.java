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
        if (dispatch(cpu, insn) == Handler.NEXT) cpu.state().rip = Operands.nextRip(cpu, insn);
    }

    /**
     * The handler call. The most frequent mnemonics are called directly (static calls the JIT can
     * inline) instead of through the table, whose one call site sees every handler and so can
     * inline none; each case names exactly the method its family registers for it
     * ({@code ExecutorDispatchTest} runs these mnemonics both ways and compares the results).
     */
    private static boolean dispatch(Cpu cpu, DecodedInstruction insn) {
        switch (insn.mnemonic) {
            case ADD: case OR: case ADC: case SBB: case AND: case SUB: case XOR: case CMP: case TEST:
                return Alu.binary(cpu, insn);
            case INC: case DEC: case NEG: case NOT:
                return Alu.unary(cpu, insn);
            case MOV: return DataMove.mov(cpu, insn);
            case MOVZX: case MOVSX: case MOVSXD: return DataMove.extend(cpu, insn);
            case LEA: return DataMove.lea(cpu, insn);
            case JO: case JNO: case JB: case JAE: case JE: case JNE: case JBE: case JA:
            case JS: case JNS: case JP: case JNP: case JL: case JGE: case JLE: case JG:
                return Branch.jcc(cpu, insn);
            case JMP: return Branch.jmp(cpu, insn);
            case CALL: return Branch.call(cpu, insn);
            case RET: return Branch.ret(cpu, insn);
            case PUSH: return Stack.push(cpu, insn);
            case POP: return Stack.pop(cpu, insn);
            default: return viaTable(cpu, insn);
        }
    }

    /** Table dispatch: every mnemonic, as registered by the families. */
    static boolean viaTable(Cpu cpu, DecodedInstruction insn) {
        Handler h = TABLE[insn.mnemonic.ordinal()];
        if (h == null) throw cpu.fault(6, -1);
        return h.execute(cpu, insn);
    }

    /** Executes {@code insn} through the table only (tests compare it with {@link #execute}). */
    void executeViaTable(Cpu cpu, DecodedInstruction insn) {
        if (insn.fault != DecodedInstruction.FAULT_NONE) {
            throw cpu.fault(insn.fault, insn.fault == DecodedInstruction.FAULT_GP ? 0 : -1);
        }
        if (viaTable(cpu, insn) == Handler.NEXT) cpu.state().rip = Operands.nextRip(cpu, insn);
    }

    /** True when this core executes {@code m} (others raise #UD). */
    public static boolean implemented(Mnemonic m) {
        return TABLE[m.ordinal()] != null && m != Mnemonic.INVALID;
    }
}
