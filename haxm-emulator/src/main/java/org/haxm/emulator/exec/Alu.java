package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;

/**
 * Integer arithmetic and logic: ADD, OR, ADC, SBB, AND, SUB, XOR, CMP, TEST, INC, DEC, NEG, NOT
 * (SDM Vol. 1 §7.3.2 and §7.3.4). Memory destinations with a LOCK prefix are committed with a
 * compare-exchange loop so that another processor's store in between is never lost.
 */
final class Alu {
    private Alu() {}

    static void register(Handler[] t) {
        for (Mnemonic m : new Mnemonic[] {Mnemonic.ADD, Mnemonic.OR, Mnemonic.ADC, Mnemonic.SBB, Mnemonic.AND,
            Mnemonic.SUB, Mnemonic.XOR, Mnemonic.CMP, Mnemonic.TEST}) t[m.ordinal()] = Alu::binary;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.INC, Mnemonic.DEC, Mnemonic.NEG, Mnemonic.NOT}) {
            t[m.ordinal()] = Alu::unary;
        }
    }

    /** Two-operand forms: dest := dest OP src (CMP and TEST only set flags). */
    static boolean binary(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        Mnemonic m = insn.mnemonic;
        int size = insn.opSize[0];
        long b = Operands.read(cpu, insn, 1) & Operands.mask(size);
        boolean writes = m != Mnemonic.CMP && m != Mnemonic.TEST;
        // ADC/SBB read CF before any memory access can fail; nothing is committed until the write succeeds.
        long carryIn = m == Mnemonic.ADC || m == Mnemonic.SBB ? FlagsUnit.get(s, CpuState.CF) : 0;
        long a, r;
        boolean locked = writes && Operands.locked(insn);
        while (true) {
            a = Operands.read(cpu, insn, 0);
            r = compute(m, a, b, carryIn) & Operands.mask(size);
            if (!writes) break;
            if (!locked) { Operands.write(cpu, insn, 0, r); break; }
            if (Operands.compareExchange(cpu, insn, size, a, r) == a) break;
        }
        switch (m) {
            case ADD: case ADC: FlagsUnit.afterAdd(s, r, a, b, size); break;
            case SUB: case SBB: case CMP: FlagsUnit.afterSub(s, r, a, b, size); break;
            default: FlagsUnit.afterLogic(s, r, size);
        }
        return Handler.NEXT;
    }

    /** The arithmetic of a two-operand ALU operation. */
    static long compute(Mnemonic m, long a, long b, long carryIn) {
        switch (m) {
            case ADD: return a + b;
            case ADC: return a + b + carryIn;
            case SUB: case CMP: return a - b;
            case SBB: return a - b - carryIn;
            case AND: case TEST: return a & b;
            case OR: return a | b;
            default: return a ^ b; // XOR
        }
    }

    /** One-operand forms on the destination. */
    static boolean unary(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        Mnemonic m = insn.mnemonic;
        int size = insn.opSize[0];
        boolean locked = Operands.locked(insn);
        long a, r;
        while (true) {
            a = Operands.read(cpu, insn, 0);
            switch (m) {
                case INC: r = a + 1; break;
                case DEC: r = a - 1; break;
                case NEG: r = -a; break;
                default: r = ~a;
            }
            r &= Operands.mask(size);
            if (!locked) { Operands.write(cpu, insn, 0, r); break; }
            if (Operands.compareExchange(cpu, insn, size, a, r) == a) break;
        }
        switch (m) {
            case INC: FlagsUnit.afterInc(s, r, a, size); break;
            case DEC: FlagsUnit.afterDec(s, r, a, size); break;
            case NEG: FlagsUnit.afterSub(s, r, 0, a, size); break; // CF = (source != 0)
            default: break;                                       // NOT affects no flags
        }
        return Handler.NEXT;
    }
}
