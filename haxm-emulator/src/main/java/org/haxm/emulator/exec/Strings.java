package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;

/**
 * String instructions MOVS, STOS, LODS, SCAS, CMPS with REP/REPE/REPNE (SDM Vol. 1 §7.3.9).
 *
 * <p>One call performs one iteration. With a REP prefix RIP stays on the instruction until the
 * repetition ends, so the instruction is simply executed again: this is exactly the hardware's
 * interruptible-REP model (SDM Vol. 2B "REP/REPE/REPZ/REPNE/REPNZ": the registers are updated
 * per iteration and an interrupt returns to the REP instruction). A fault or VM exit in an
 * iteration leaves rSI/rDI/rCX as they were before that iteration.
 */
final class Strings {
    private Strings() {}

    static final int RAX = 0, RCX = 1, RSI = 6, RDI = 7, ES = Segment.ES.ordinal();

    static void register(Handler[] t) {
        for (Mnemonic m : new Mnemonic[] {Mnemonic.MOVS, Mnemonic.STOS, Mnemonic.LODS, Mnemonic.SCAS, Mnemonic.CMPS}) {
            t[m.ordinal()] = Strings::iterate;
        }
    }

    /** Any repeat prefix (F3 or F2; F2 acts as plain REP on MOVS/STOS/LODS/INS/OUTS). */
    static boolean repeated(DecodedInstruction insn) {
        return (insn.prefixes & (DecodedInstruction.PREFIX_REP | DecodedInstruction.PREFIX_REPNE)) != 0;
    }

    /** Element step: +size, or -size when DF is set. */
    static long step(CpuState s, int size) { return (s.rflags() & CpuState.DF) != 0 ? -size : size; }

    static boolean iterate(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int as = insn.addressSize;
        boolean rep = repeated(insn);
        if (rep && Operands.readCount(s, as) == 0) return Handler.NEXT;
        int size = insn.operandSize;
        long d = step(s, size);
        long si = s.gpr[RSI] & Operands.mask(as), di = s.gpr[RDI] & Operands.mask(as);
        boolean compares = false;
        switch (insn.mnemonic) {
            case MOVS: {
                long v = cpu.readMemory(insn.segment, si, size);
                cpu.writeMemory(ES, di, size, v);
                Operands.writeGpr(s, RSI, as, si + d);
                Operands.writeGpr(s, RDI, as, di + d);
                break;
            }
            case STOS:
                cpu.writeMemory(ES, di, size, s.gpr[RAX]);
                Operands.writeGpr(s, RDI, as, di + d);
                break;
            case LODS: {
                long v = cpu.readMemory(insn.segment, si, size);
                Operands.writeGpr(s, RAX, size, v);
                Operands.writeGpr(s, RSI, as, si + d);
                break;
            }
            case SCAS: {
                long a = s.gpr[RAX] & Operands.mask(size);
                long b = cpu.readMemory(ES, di, size);
                Operands.writeGpr(s, RDI, as, di + d);
                FlagsUnit.afterSub(s, (a - b) & Operands.mask(size), a, b, size);
                compares = true;
                break;
            }
            default: { // CMPS: [seg:rSI] - [ES:rDI]
                long a = cpu.readMemory(insn.segment, si, size);
                long b = cpu.readMemory(ES, di, size);
                Operands.writeGpr(s, RSI, as, si + d);
                Operands.writeGpr(s, RDI, as, di + d);
                FlagsUnit.afterSub(s, (a - b) & Operands.mask(size), a, b, size);
                compares = true;
            }
        }
        return rep ? repeatAgain(cpu, insn, compares) : Handler.NEXT;
    }

    /**
     * After one iteration of a repeated string instruction: decrement rCX and decide whether
     * to run again (RIP unchanged) or finish. REPE stops on ZF=0, REPNE on ZF=1 (CMPS/SCAS only).
     */
    static boolean repeatAgain(Cpu cpu, DecodedInstruction insn, boolean compares) {
        CpuState s = cpu.state();
        int as = insn.addressSize;
        long count = (Operands.readCount(s, as) - 1) & Operands.mask(as);
        Operands.writeGpr(s, RCX, as, count);
        if (count == 0) return Handler.NEXT;
        if (compares) {
            boolean zf = (s.rflags() & CpuState.ZF) != 0;
            boolean repne = insn.hasPrefix(DecodedInstruction.PREFIX_REPNE);
            if (repne == zf) return Handler.NEXT;
        }
        return Handler.RIP_SET;
    }
}
