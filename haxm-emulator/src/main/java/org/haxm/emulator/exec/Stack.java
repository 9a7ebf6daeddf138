package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;
import org.haxm.emulator.decoder.OperandKind;

/**
 * Stack instructions (SDM Vol. 1 §6.2, §7.3.1.4): PUSH, POP, PUSHA/POPA, PUSHF/POPF, ENTER, LEAVE.
 * The stack-pointer width (SP/ESP/RSP) comes from {@link Cpu#stackAddressSize()}. Multi-slot
 * instructions write all memory first and commit rSP last, so a fault leaves rSP untouched.
 */
final class Stack {
    private Stack() {}

    private static final int SS = Segment.SS.ordinal(), RSP = 4, RBP = 5;

    static void register(Handler[] t) {
        t[Mnemonic.PUSH.ordinal()] = Stack::push;
        t[Mnemonic.POP.ordinal()] = Stack::pop;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.PUSHA, Mnemonic.PUSHAD}) t[m.ordinal()] = Stack::pusha;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.POPA, Mnemonic.POPAD}) t[m.ordinal()] = Stack::popa;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.PUSHF, Mnemonic.PUSHFD, Mnemonic.PUSHFQ}) t[m.ordinal()] = Stack::pushf;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.POPF, Mnemonic.POPFD, Mnemonic.POPFQ}) t[m.ordinal()] = Stack::popf;
        t[Mnemonic.ENTER.ordinal()] = Stack::enter;
        t[Mnemonic.LEAVE.ordinal()] = Stack::leave;
    }

    /** The stack pointer, as wide as the stack address size. */
    static long sp(Cpu cpu) { return cpu.state().gpr[RSP] & Operands.mask(cpu.stackAddressSize()); }

    /** rSP + delta, wrapped to the stack address size. */
    static long spPlus(Cpu cpu, long delta) { return (cpu.state().gpr[RSP] + delta) & Operands.mask(cpu.stackAddressSize()); }

    /** Sets the stack pointer; a 16-bit stack changes SP only (SDM Vol. 1 §6.2.3). */
    static void setSp(Cpu cpu, long value) { Operands.writeGpr(cpu.state(), RSP, cpu.stackAddressSize(), value); }

    /** PUSH: the operand size is the instruction's (opSize of the operand, or operandSize for immediates). */
    static boolean push(Cpu cpu, DecodedInstruction insn) {
        int size = insn.operandSize;
        long v;
        if (insn.opKind[0] == OperandKind.SREG) {
            // PUSH Sreg with a 32/64-bit operand: the selector zero-extended (recent cores write only 16 bits).
            v = cpu.state().seg[insn.opReg[0]].selector;
        } else if (insn.opKind[0] == OperandKind.IMM) {
            v = insn.imm; // already sign-extended by the decoder
        } else {
            v = Operands.read(cpu, insn, 0); // PUSH rSP pushes the value before the decrement
        }
        cpu.push(v & Operands.mask(size), size);
        return Handler.NEXT;
    }

    /**
     * POP: read the top of the stack, then write the destination, then move rSP. A memory
     * destination addressed through rSP uses the value after the increment (SDM Vol. 2B "POP").
     */
    static boolean pop(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int size = insn.operandSize;
        long v = cpu.peekStack(0, size);
        if (insn.opKind[0] == OperandKind.SREG) {
            int sreg = insn.opReg[0];
            if (sreg == Segment.CS.ordinal()) throw cpu.fault(6, -1);
            // The increment uses the stack attributes from before the load (POP SS may change SS.B).
            long newSp = spPlus(cpu, size);
            int width = cpu.stackAddressSize();
            cpu.loadSegment(Segment.of(sreg), (int) v & 0xFFFF);
            Operands.writeGpr(s, RSP, width, newSp);
            if (sreg == SS) s.interruptibility |= CpuState.BLOCKING_BY_MOV_SS;
        } else if (insn.opKind[0] == OperandKind.MEM) {
            // The effective address sees the incremented rSP; compute it with rSP moved, put rSP
            // back, and commit rSP only after the store succeeded.
            long oldRsp = s.gpr[RSP];
            setSp(cpu, spPlus(cpu, size));
            long newRsp = s.gpr[RSP];
            long ea = Operands.effectiveAddress(cpu, insn);
            s.gpr[RSP] = oldRsp;
            cpu.writeMemory(insn.segment, ea, size, v);
            s.gpr[RSP] = newRsp;
        } else {
            setSp(cpu, spPlus(cpu, size));
            Operands.write(cpu, insn, 0, v); // POP rSP: the popped value wins
        }
        return Handler.NEXT;
    }

    /** Writes {@code value} at rSP - {@code below} in SS, without moving rSP. */
    private static void store(Cpu cpu, long below, int size, long value) {
        cpu.writeMemory(SS, spPlus(cpu, -below), size, value);
    }

    /** PUSHA/PUSHAD: AX, CX, DX, BX, original SP, BP, SI, DI. #UD in 64-bit mode (decoder). */
    static boolean pusha(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int size = insn.operandSize;
        for (int r = 0; r < 8; r++) store(cpu, (long) (r + 1) * size, size, s.gpr[r]);
        setSp(cpu, spPlus(cpu, -8L * size));
        return Handler.NEXT;
    }

    /** POPA/POPAD: the reverse, skipping the saved SP. */
    static boolean popa(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int size = insn.operandSize;
        long di = cpu.peekStack(0, size), si = cpu.peekStack(size, size), bp = cpu.peekStack(2 * size, size);
        long bx = cpu.peekStack(4 * size, size), dx = cpu.peekStack(5 * size, size), cx = cpu.peekStack(6 * size, size);
        long ax = cpu.peekStack(7 * size, size);
        Operands.writeGpr(s, 7, size, di); Operands.writeGpr(s, 6, size, si); Operands.writeGpr(s, 5, size, bp);
        Operands.writeGpr(s, 3, size, bx); Operands.writeGpr(s, 2, size, dx); Operands.writeGpr(s, 1, size, cx);
        Operands.writeGpr(s, 0, size, ax);
        setSp(cpu, spPlus(cpu, 8L * size));
        return Handler.NEXT;
    }

    /** True in virtual-8086 mode with IOPL < 3, where PUSHF/POPF/CLI/STI fault (VME not modelled). */
    static boolean v86Sensitive(CpuState s) {
        long f = s.rflags();
        return (f & CpuState.VM) != 0 && (f & CpuState.IOPL) != CpuState.IOPL;
    }

    /** PUSHF/D/Q: the image has VM and RF cleared (SDM Vol. 2B "PUSHF"). */
    static boolean pushf(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        if (v86Sensitive(s)) throw cpu.fault(13, 0);
        int size = insn.operandSize;
        cpu.push(s.rflags() & ~(CpuState.VM | CpuState.RF) & Operands.mask(size), size);
        return Handler.NEXT;
    }

    /**
     * POPF/D/Q. Which bits change depends on mode and privilege (SDM Vol. 2B "POPF"): IOPL only
     * at CPL 0, IF only when CPL <= IOPL; VM, VIF and VIP never; RF is cleared. A 16-bit POPF
     * changes only bits 15:0.
     */
    static boolean popf(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        if (v86Sensitive(s)) throw cpu.fault(13, 0);
        int size = insn.operandSize;
        long v = cpu.peekStack(0, size);
        long old = s.rflags();
        long changeable = CpuState.STATUS_FLAGS | CpuState.TF | CpuState.DF | CpuState.NT | CpuState.AC | CpuState.ID
            | CpuState.IF | CpuState.IOPL;
        int cpl = s.cpl();
        int iopl = (int) ((old & CpuState.IOPL) >>> 12);
        if ((old & CpuState.VM) != 0) changeable &= ~CpuState.IOPL;      // VM86 with IOPL 3
        else if ((s.cr0 & CpuState.CR0_PE) != 0) {
            if (cpl > 0) changeable &= ~CpuState.IOPL;
            if (cpl > iopl) changeable &= ~CpuState.IF;
        }
        if (size == 2) changeable &= 0xFFFF;
        long f = ((old & ~changeable) | (v & changeable)) & ~CpuState.RF;
        setSp(cpu, spPlus(cpu, size));
        s.setRflags(f);
        return Handler.NEXT;
    }

    /**
     * ENTER imm16, imm8: push rBP, copy {@code level-1} outer frame pointers, push the new frame
     * pointer, then reserve {@code imm16} bytes (SDM Vol. 2A "ENTER"). All stores happen before
     * rBP/rSP change.
     */
    static boolean enter(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int size = insn.operandSize;
        int alloc = (int) (insn.imm & 0xFFFF);
        int level = (int) (insn.imm2 & 31);
        int ss = cpu.stackAddressSize();
        long frameTemp = spPlus(cpu, -size);                      // where the old rBP goes
        store(cpu, size, size, s.gpr[RBP]);
        long bp = s.gpr[RBP];
        for (int i = 1; i < level; i++) {
            long from = (bp - (long) i * size) & Operands.mask(ss);
            long value = cpu.readMemory(SS, from, size);
            store(cpu, (long) (i + 1) * size, size, value);
        }
        if (level > 0) store(cpu, (long) (level + 1) * size, size, frameTemp);
        long newSp = spPlus(cpu, -((long) (level > 0 ? level + 1 : 1) * size) - alloc);
        // The final rSP must be writable too (the SDM checks the whole new frame first).
        if (alloc > 0) cpu.probeWrite(SS, newSp, 1);
        Operands.writeGpr(s, RBP, ss, frameTemp);
        setSp(cpu, newSp);
        return Handler.NEXT;
    }

    /** LEAVE: rSP := rBP, then pop rBP. */
    static boolean leave(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int size = insn.operandSize;
        int ss = cpu.stackAddressSize();
        long bp = s.gpr[RBP] & Operands.mask(ss);
        long v = cpu.readMemory(SS, bp, size);
        Operands.writeGpr(s, RSP, ss, bp + size);
        Operands.writeGpr(s, RBP, size, v);
        return Handler.NEXT;
    }
}
