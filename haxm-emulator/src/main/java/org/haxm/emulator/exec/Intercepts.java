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

    /** Asks the hook about an instruction that needs no kind-specific fields. */
    static void ask(Cpu cpu, DecodedInstruction insn, SensitiveInstruction kind) {
        cpu.hook().instruction(begin(cpu, insn, kind));
    }

    /** #GP(0) unless CPL = 0 (privileged instructions, SDM Vol. 3A §5.9). */
    static void requireCpl0(Cpu cpu) {
        if (cpu.state().cpl() != 0) throw cpu.fault(13, 0);
    }
}
