package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;
import org.haxm.emulator.decoder.OperandKind;

/**
 * Control transfer (SDM Vol. 1 §6.3, §7.3.8): JMP, Jcc, CALL, RET (near and far), LOOP/LOOPE/
 * LOOPNE, JCXZ/JECXZ/JRCXZ, INT n/INT3/INTO/INT1 and IRET. Far transfers and interrupts are
 * carried out by the {@link Cpu} (descriptor checks, gates, privilege changes).
 */
final class Branch {
    private Branch() {}

    /** VMX interruption types passed to {@link Cpu#softwareInterrupt} (SDM Vol. 3C §25.8.3). */
    static final int SOFTWARE_INTERRUPT = 4, PRIVILEGED_SOFTWARE_EXCEPTION = 5, SOFTWARE_EXCEPTION = 6;

    static void register(Handler[] t) {
        for (int cc = 0; cc < 16; cc++) t[Mnemonic.jcc(cc).ordinal()] = Branch::jcc;
        t[Mnemonic.JMP.ordinal()] = Branch::jmp;
        t[Mnemonic.CALL.ordinal()] = Branch::call;
        t[Mnemonic.RET.ordinal()] = Branch::ret;
        t[Mnemonic.JMPF.ordinal()] = Branch::far;
        t[Mnemonic.CALLF.ordinal()] = Branch::far;
        t[Mnemonic.RETF.ordinal()] = Branch::retf;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.IRET, Mnemonic.IRETD, Mnemonic.IRETQ}) t[m.ordinal()] = Branch::iret;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.INT, Mnemonic.INT3, Mnemonic.INTO, Mnemonic.INT1}) t[m.ordinal()] = Branch::interrupt;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.LOOP, Mnemonic.LOOPE, Mnemonic.LOOPNE}) t[m.ordinal()] = Branch::loop;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.JCXZ, Mnemonic.JECXZ, Mnemonic.JRCXZ}) t[m.ordinal()] = Branch::jcxz;
    }

    /**
     * A near branch target must lie within CS's limit outside 64-bit mode and be canonical in
     * 64-bit mode, else #GP(0) with RIP still at the branch (SDM Vol. 2A "JMP").
     */
    static void checkTarget(Cpu cpu, long target) {
        if (cpu.codeSize() == 64) {
            if (((target << 16) >> 16) != target) throw cpu.fault(13, 0);
        } else if (Long.compareUnsigned(target, cpu.state().seg(Segment.CS).limitUnsigned()) > 0) {
            throw cpu.fault(13, 0);
        }
    }

    /** Target of a REL operand: next RIP + displacement, truncated to the operand size. */
    static long relativeTarget(Cpu cpu, DecodedInstruction insn) {
        return (Operands.nextRip(cpu, insn) + insn.imm) & Operands.mask(insn.operandSize);
    }

    /** Target of a near JMP/CALL: relative, or absolute from a register or memory. */
    private static long nearTarget(Cpu cpu, DecodedInstruction insn) {
        if (insn.opKind[0] == OperandKind.REL) return relativeTarget(cpu, insn);
        return Operands.read(cpu, insn, 0) & Operands.mask(insn.operandSize);
    }

    private static boolean jumpTo(Cpu cpu, long target) {
        checkTarget(cpu, target);
        cpu.state().rip = target;
        return Handler.RIP_SET;
    }

    static boolean jcc(Cpu cpu, DecodedInstruction insn) {
        if (!FlagsUnit.condition(cpu.state(), insn.mnemonic.conditionCode())) return Handler.NEXT;
        return jumpTo(cpu, relativeTarget(cpu, insn));
    }

    static boolean jmp(Cpu cpu, DecodedInstruction insn) {
        return jumpTo(cpu, nearTarget(cpu, insn));
    }

    /** Near CALL: the return address (next RIP) is pushed with the operand size. */
    static boolean call(Cpu cpu, DecodedInstruction insn) {
        long target = nearTarget(cpu, insn);
        checkTarget(cpu, target);
        cpu.push(Operands.nextRip(cpu, insn) & Operands.mask(insn.operandSize), insn.operandSize);
        cpu.state().rip = target;
        return Handler.RIP_SET;
    }

    /** Near RET [imm16]: pop the target, then release imm16 more bytes. */
    static boolean ret(Cpu cpu, DecodedInstruction insn) {
        int size = insn.operandSize;
        long target = cpu.peekStack(0, size);
        checkTarget(cpu, target);
        long release = insn.operandCount > 0 ? insn.imm & 0xFFFF : 0;
        Stack.setSp(cpu, Stack.spPlus(cpu, size + release));
        cpu.state().rip = target;
        return Handler.RIP_SET;
    }

    /** JMP far / CALL far with ptr16:16/32 or m16:16/32/64 (offset first, then the selector). */
    static boolean far(Cpu cpu, DecodedInstruction insn) {
        int size = insn.operandSize;
        long offset;
        int selector;
        if (insn.opKind[0] == OperandKind.FAR_PTR) {
            offset = insn.imm & Operands.mask(size);
            selector = (int) insn.imm2 & 0xFFFF;
        } else if (insn.opKind[0] == OperandKind.MEM) {
            long ea = Operands.effectiveAddress(cpu, insn);
            offset = cpu.readMemory(insn.segment, ea, size);
            selector = (int) cpu.readMemory(insn.segment, (ea + size) & Operands.mask(insn.addressSize), 2);
        } else {
            throw cpu.fault(6, -1); // JMP/CALL far with a register operand
        }
        if (insn.mnemonic == Mnemonic.JMPF) cpu.farJump(selector, offset, size);
        else cpu.farCall(selector, offset, size, Operands.nextRip(cpu, insn));
        return Handler.RIP_SET;
    }

    static boolean retf(Cpu cpu, DecodedInstruction insn) {
        cpu.farReturn(insn.operandSize, insn.operandCount > 0 ? (int) (insn.imm & 0xFFFF) : 0);
        return Handler.RIP_SET;
    }

    static boolean iret(Cpu cpu, DecodedInstruction insn) {
        int size = insn.mnemonic == Mnemonic.IRETQ ? 8 : insn.mnemonic == Mnemonic.IRETD ? 4 : insn.operandSize;
        cpu.iret(size);
        return Handler.RIP_SET;
    }

    /**
     * INT n, INT3, INTO, INT1 (SDM Vol. 2A "INT n/INTO/INT3/INT1"). INT n in virtual-8086 mode
     * with IOPL < 3 is #GP(0) (VME's redirection is not modelled). INTO does nothing when OF=0.
     */
    static boolean interrupt(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        switch (insn.mnemonic) {
            case INT:
                if (Stack.v86Sensitive(s)) throw cpu.fault(13, 0);
                cpu.softwareInterrupt((int) (insn.imm & 0xFF), insn.length, SOFTWARE_INTERRUPT);
                return Handler.RIP_SET;
            case INT3:
                cpu.softwareInterrupt(3, insn.length, SOFTWARE_EXCEPTION);
                return Handler.RIP_SET;
            case INT1:
                cpu.softwareInterrupt(1, insn.length, PRIVILEGED_SOFTWARE_EXCEPTION);
                return Handler.RIP_SET;
            default: // INTO
                if ((s.rflags() & CpuState.OF) == 0) return Handler.NEXT;
                cpu.softwareInterrupt(4, insn.length, SOFTWARE_EXCEPTION);
                return Handler.RIP_SET;
        }
    }

    /** LOOP/LOOPE/LOOPNE: decrement the address-size count register, branch if non-zero (and ZF test). */
    static boolean loop(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int as = insn.addressSize;
        long count = (Operands.readCount(s, as) - 1) & Operands.mask(as);
        boolean zf = (s.rflags() & CpuState.ZF) != 0;
        boolean take = count != 0
            && (insn.mnemonic == Mnemonic.LOOP || (insn.mnemonic == Mnemonic.LOOPE) == zf);
        long target = take ? relativeTarget(cpu, insn) : 0;
        if (take) checkTarget(cpu, target);
        Operands.writeGpr(s, 1, as, count);
        if (!take) return Handler.NEXT;
        s.rip = target;
        return Handler.RIP_SET;
    }

    static boolean jcxz(Cpu cpu, DecodedInstruction insn) {
        int width = insn.mnemonic == Mnemonic.JCXZ ? 2 : insn.mnemonic == Mnemonic.JECXZ ? 4 : 8;
        if (Operands.readCount(cpu.state(), width) != 0) return Handler.NEXT;
        return jumpTo(cpu, relativeTarget(cpu, insn));
    }
}
