package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.InterceptInfo;
import org.haxm.emulator.SensitiveInstruction;
import org.haxm.emulator.decoder.DecodedInstruction;

/**
 * Helpers for sensitive instructions: privilege checks that take priority over a VM exit, and
 * filling the CPU's single {@link InterceptInfo} before asking the hook (SDM Vol. 3C §26.1).
 */
final class Intercepts {
    private Intercepts() {}

    /** Starts an intercept record of {@code kind} for {@code insn}; the caller fills kind-specific fields. */
    static InterceptInfo begin(Cpu cpu, DecodedInstruction insn, SensitiveInstruction kind) {
        InterceptInfo info = cpu.interceptInfo();
        info.kind = kind;
        info.mnemonic = insn.mnemonic;
        info.insn = insn;
        info.length = insn.length;
        return info;
    }

    /**
     * Asks the hook about an instruction that needs no kind-specific fields; true when the hook
     * took a VM exit, in which case the handler must return {@link Handler#RIP_SET} at once with
     * nothing changed (the exit reports the instruction's own RIP, SDM Vol. 3C §28.1).
     */
    static boolean ask(Cpu cpu, DecodedInstruction insn, SensitiveInstruction kind) {
        return offer(cpu, begin(cpu, insn, kind));
    }

    /**
     * Offers a filled record to the hook; true when it took a VM exit. The exit is signalled by a
     * return value rather than by unwinding with {@link org.haxm.emulator.InstructionAbort}: an
     * exception thrown through the interpreter's non-inlined frames costs close to a microsecond
     * on HotSpot, several times the rest of an exit round trip.
     */
    static boolean offer(Cpu cpu, InterceptInfo info) {
        if (!cpu.hook().instruction(info)) return false;
        cpu.instructionExited();
        return true;
    }

    /** #GP(0) unless CPL = 0 (privileged instructions, SDM Vol. 3A §5.9). */
    static void requireCpl0(Cpu cpu) {
        if (cpu.state().cpl() != 0) throw cpu.fault(13, 0);
    }
}
