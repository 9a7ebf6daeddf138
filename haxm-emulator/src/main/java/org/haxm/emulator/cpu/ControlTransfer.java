package org.haxm.emulator.cpu;

import org.haxm.emulator.Cpu;

/**
 * Far control transfers through code-segment descriptors: far JMP, far CALL, far RET and IRET
 * (SDM Vol. 2 "JMP", "CALL", "RET", "IRET" Operation sections; Vol. 3A §5.8). Every check is made
 * and every stack write done before any register changes, so a fault leaves the state untouched.
 *
 * <p>Not modelled (they raise #GP(selector) instead): call gates and task gates/TSS targets for
 * JMP/CALL, and IRET with EFLAGS.NT = 1 (task return) outside IA-32e mode, which raises #GP(0).
 */
public final class ControlTransfer {
    private static final int GP = 13, NP = 11, SS_FAULT = 12;
    private static final int CS = Segment.CS.ordinal(), SS = Segment.SS.ordinal();
    /** Flags IRET always restores (CF PF AF ZF SF TF DF OF NT, RF AC ID). */
    private static final long IRET_ALWAYS = 0x4DD5L | CpuState.RF | CpuState.AC | CpuState.ID;

    private final Cpu cpu;
    private final CpuState state;
    private final Segmentation seg;
    private final SegmentRegister newSs = new SegmentRegister();

    public ControlTransfer(Cpu cpu, Segmentation seg) {
        this.cpu = cpu;
        this.state = cpu.state();
        this.seg = seg;
    }

    private static long opMask(int size) {
        return size == 8 ? -1L : size == 4 ? 0xFFFF_FFFFL : 0xFFFF;
    }

    /** Mask of rSP that the current stack uses: SP, ESP or RSP. */
    public long stackMask() {
        if (seg.mode64()) return -1L;
        return state.seg[SS].big() ? 0xFFFF_FFFFL : 0xFFFF;
    }

    /** Sets rSP, changing only the bits the current stack size uses. */
    public void setStackPointer(long value) {
        long mask = stackMask();
        state.gpr[4] = (state.gpr[4] & ~mask) | (value & mask);
    }

    private long readStack(long rsp, int size) {
        return cpu.readMemory(SS, rsp & stackMask(), size);
    }

    private void writeStack(long rsp, int size, long value) {
        cpu.writeMemory(SS, rsp & stackMask(), size, value);
    }

    /**
     * Validates a far JMP/CALL target (§5.8.1): a present code segment that is conforming with
     * DPL &le; CPL, or non-conforming with RPL &le; CPL and DPL = CPL.
     */
    private long checkCodeTarget(int selector) {
        if ((selector & 0xFFFC) == 0) throw cpu.fault(GP, 0);
        long d = seg.readDescriptor(selector, 0);
        int cpl = state.cpl();
        if (!Descriptor.code(d)) throw cpu.fault(GP, selector & 0xFFFC); // gates and TSSs not modelled
        if ((Descriptor.type(d) & Descriptor.TYPE_CONFORMING) != 0) {
            if (Descriptor.dpl(d) > cpl) throw cpu.fault(GP, selector & 0xFFFC);
        } else if ((selector & 3) > cpl || Descriptor.dpl(d) != cpl) {
            throw cpu.fault(GP, selector & 0xFFFC);
        }
        if (!Descriptor.present(d)) throw cpu.fault(NP, selector & 0xFFFC);
        return d;
    }

    /** Checks a new RIP against the target code segment: canonical for 64-bit code, else the limit (#GP(0)). */
    private long checkTargetOffset(long d, long offset, int operandSize) {
        boolean lma = (state.efer & CpuState.EFER_LMA) != 0;
        if (lma && Descriptor.longMode(d)) {
            if (Descriptor.big(d)) throw cpu.fault(GP, 0); // L = D = 1 is reserved (§5.2.1)
            if (((offset << 16) >> 16) != offset) throw cpu.fault(GP, 0);
            return offset;
        }
        offset &= opMask(Math.min(operandSize, 4));
        if (offset > (Descriptor.limit(d) & 0xFFFF_FFFFL)) throw cpu.fault(GP, 0);
        return offset;
    }

    private void commitCs(int selector, long d, int cpl) {
        seg.setAccessed(d);
        Segmentation.fromDescriptor(state.seg[CS], (selector & 0xFFFC) | cpl, d);
    }

    /** Far JMP ptr16:16/32 or m16:16/32/64. */
    public void farJump(int selector, long offset, int operandSize) {
        selector &= 0xFFFF;
        if (!seg.protectedMode()) {
            seg.loadReal(state.seg[CS], selector);
            state.rip = offset & opMask(operandSize);
            return;
        }
        long d = checkCodeTarget(selector);
        long rip = checkTargetOffset(d, offset, operandSize);
        commitCs(selector, d, state.cpl());
        state.rip = rip;
    }

    /** Far CALL: pushes CS then the return offset ({@code operandSize} bytes each), then jumps. */
    public void farCall(int selector, long offset, int operandSize, long returnOffset) {
        selector &= 0xFFFF;
        long rsp = state.gpr[4];
        int oldCs = state.seg[CS].selector;
        if (!seg.protectedMode()) {
            cpu.probeWrite(SS, (rsp - 2L * operandSize) & stackMask(), 2 * operandSize);
            writeStack(rsp - operandSize, operandSize, oldCs);
            writeStack(rsp - 2L * operandSize, operandSize, returnOffset);
            seg.loadReal(state.seg[CS], selector);
            state.rip = offset & opMask(operandSize);
            setStackPointer(rsp - 2L * operandSize);
            return;
        }
        long d = checkCodeTarget(selector);
        long rip = checkTargetOffset(d, offset, operandSize);
        cpu.probeWrite(SS, (rsp - 2L * operandSize) & stackMask(), 2 * operandSize);
        writeStack(rsp - operandSize, operandSize, oldCs);
        writeStack(rsp - 2L * operandSize, operandSize, returnOffset);
        commitCs(selector, d, state.cpl());
        state.rip = rip;
        setStackPointer(rsp - 2L * operandSize);
    }

    /**
     * Validates the CS of a far RET/IRET (§5.8.6): RPL &ge; CPL, a present code segment with
     * DPL &le; RPL (conforming) or DPL = RPL (non-conforming).
     */
    private long checkReturnCs(int selector) {
        if ((selector & 0xFFFC) == 0) throw cpu.fault(GP, 0);
        long d = seg.readDescriptor(selector, 0);
        int rpl = selector & 3;
        if (!Descriptor.code(d) || rpl < state.cpl()) throw cpu.fault(GP, selector & 0xFFFC);
        boolean conforming = (Descriptor.type(d) & Descriptor.TYPE_CONFORMING) != 0;
        if (conforming ? Descriptor.dpl(d) > rpl : Descriptor.dpl(d) != rpl) throw cpu.fault(GP, selector & 0xFFFC);
        if (!Descriptor.present(d)) throw cpu.fault(NP, selector & 0xFFFC);
        return d;
    }

    /** Far RET [imm16]: {@code extraPop} bytes are released after CS:rIP (and again after SS:rSP). */
    public void farReturn(int operandSize, int extraPop) {
        long rsp = state.gpr[4];
        long ip = readStack(rsp, operandSize);
        int selector = (int) readStack(rsp + operandSize, operandSize) & 0xFFFF;
        if (!seg.protectedMode()) {
            seg.loadReal(state.seg[CS], selector);
            state.rip = ip & opMask(operandSize);
            setStackPointer(rsp + 2L * operandSize + extraPop);
            return;
        }
        long d = checkReturnCs(selector);
        long rip = checkTargetOffset(d, ip, operandSize);
        int rpl = selector & 3;
        if (rpl == state.cpl()) {
            commitCs(selector, d, rpl);
            state.rip = rip;
            setStackPointer(rsp + 2L * operandSize + extraPop);
            return;
        }
        long top = rsp + 2L * operandSize + extraPop;
        long newSp = readStack(top, operandSize);
        int ssSelector = (int) readStack(top + operandSize, operandSize) & 0xFFFF;
        seg.loadStackInto(newSs, ssSelector, rpl, GP);
        commitCs(selector, d, rpl);
        state.seg[SS].copyFrom(newSs);
        state.rip = rip;
        setStackPointer(newSp + extraPop);
        nullDataSegmentsAbove(rpl);
    }

    /** After a return to an outer level, data registers the new CPL may not use become null (§5.8.6). */
    private void nullDataSegmentsAbove(int cpl) {
        for (Segment s : DATA_SEGMENTS) {
            SegmentRegister sr = state.seg(s);
            boolean conformingCode = (sr.type() & (Descriptor.TYPE_CODE | Descriptor.TYPE_CONFORMING))
                == (Descriptor.TYPE_CODE | Descriptor.TYPE_CONFORMING);
            if (!sr.unusable() && !conformingCode && sr.dpl() < cpl) {
                sr.set(0, 0, 0, SegmentRegister.AR_UNUSABLE);
            }
        }
    }

    private static final Segment[] DATA_SEGMENTS = {Segment.ES, Segment.DS, Segment.FS, Segment.GS};

    // ------------------------------------------------------------------------------------------
    // IRET

    /** IRET/IRETD/IRETQ (SDM Vol. 2 "IRET"). Also ends NMI blocking (§6.7.1). */
    public void iret(int operandSize) {
        state.interruptibility &= ~CpuState.BLOCKING_BY_NMI;
        if ((state.cr0 & CpuState.CR0_PE) == 0) {
            realModeIret(operandSize);
        } else if ((state.storedRflags() & CpuState.VM) != 0) {
            // Virtual-8086 mode without VME: IRET is IOPL-sensitive (§20.2.7).
            if ((state.storedRflags() & CpuState.IOPL) != CpuState.IOPL) throw cpu.fault(GP, 0);
            realModeIret(operandSize);
        } else {
            protectedIret(operandSize);
        }
    }

    private void realModeIret(int operandSize) {
        long rsp = state.gpr[4];
        long ip = readStack(rsp, operandSize);
        int selector = (int) readStack(rsp + operandSize, operandSize) & 0xFFFF;
        long flags = readStack(rsp + 2L * operandSize, operandSize);
        if (ip > 0xFFFF && state.seg[CS].limitUnsigned() < ip) throw cpu.fault(GP, 0);
        long old = state.rflags();
        long keep = (state.storedRflags() & CpuState.VM) != 0
            ? CpuState.VM | CpuState.IOPL | CpuState.VIP | CpuState.VIF
            : CpuState.VM | CpuState.VIP | CpuState.VIF;
        long updated = operandSize == 2 ? (old & ~0xFFFFL) | flags : flags;
        updated = (updated & ~keep) | (old & keep);
        seg.loadReal(state.seg[CS], selector);
        state.rip = ip;
        setStackPointer(rsp + 3L * operandSize);
        state.setRflags(updated);
    }

    private void protectedIret(int operandSize) {
        long old = state.rflags();
        boolean lma = (state.efer & CpuState.EFER_LMA) != 0;
        if ((old & CpuState.NT) != 0) throw cpu.fault(GP, 0); // task return not modelled; #GP(0) in IA-32e mode anyway
        long rsp = state.gpr[4];
        long ip = readStack(rsp, operandSize);
        int selector = (int) readStack(rsp + operandSize, operandSize) & 0xFFFF;
        long flags = readStack(rsp + 2L * operandSize, operandSize);
        int cpl = state.cpl();
        if (operandSize == 4 && (flags & CpuState.VM) != 0 && cpl == 0 && !lma) {
            returnToVirtual8086(rsp, ip, selector, flags);
            return;
        }
        long d = checkReturnCs(selector);
        long rip = checkTargetOffset(d, ip, operandSize);
        int rpl = selector & 3;
        boolean popStack = seg.mode64() || rpl > cpl;
        long newSp = 0;
        if (popStack) {
            newSp = readStack(rsp + 3L * operandSize, operandSize);
            int ssSelector = (int) readStack(rsp + 4L * operandSize, operandSize) & 0xFFFF;
            seg.loadStackInto(newSs, ssSelector, rpl, GP);
        }
        // Which flags may change depends on the CPL before the return (SDM "IRET", Operation).
        long mask = IRET_ALWAYS;
        int iopl = (int) (old >>> 12) & 3;
        if (cpl <= iopl) mask |= CpuState.IF;
        if (cpl == 0) mask |= CpuState.IOPL | CpuState.VIF | CpuState.VIP;
        if (operandSize == 2) mask &= 0xFFFF;
        long updated = (old & ~mask) | (flags & mask);
        commitCs(selector, d, rpl);
        state.rip = rip;
        if (popStack) {
            state.seg[SS].copyFrom(newSs);
            if (seg.mode64()) state.gpr[4] = newSp;
            else setStackPointer(newSp);
        } else {
            setStackPointer(rsp + 3L * operandSize);
        }
        state.setRflags(updated);
        if (rpl > cpl) nullDataSegmentsAbove(rpl);
    }

    /** IRET from CPL 0 with EFLAGS.VM = 1 in the image: back to virtual-8086 mode (SDM "IRET", RETURN-TO-VIRTUAL-8086-MODE). */
    private void returnToVirtual8086(long rsp, long ip, int selector, long flags) {
        long esp = readStack(rsp + 12, 4);
        int[] sel = scratchSelectors;
        for (int i = 0; i < 5; i++) sel[i] = (int) readStack(rsp + 16 + 4L * i, 4) & 0xFFFF; // SS ES DS FS GS
        state.setRflags(flags);
        seg.loadReal(state.seg[CS], selector);
        seg.loadReal(state.seg[SS], sel[0]);
        seg.loadReal(state.seg(Segment.ES), sel[1]);
        seg.loadReal(state.seg(Segment.DS), sel[2]);
        seg.loadReal(state.seg(Segment.FS), sel[3]);
        seg.loadReal(state.seg(Segment.GS), sel[4]);
        state.rip = ip & 0xFFFF;
        state.gpr[4] = esp & 0xFFFF_FFFFL;
    }

    private final int[] scratchSelectors = new int[5];
}
