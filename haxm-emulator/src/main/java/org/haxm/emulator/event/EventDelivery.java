package org.haxm.emulator.event;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.CpuException;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Descriptor;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.cpu.SegmentRegister;
import org.haxm.emulator.cpu.Segmentation;
import org.haxm.emulator.mem.AccessType;

/**
 * Delivery of interrupts and exceptions (SDM Vol. 3A ch. 6): through the IVT in real mode
 * (§20.1.4), through 8-byte interrupt/trap gates in protected mode (§6.12) with a stack switch
 * from the 32-bit (or 16-bit) TSS on a privilege change, and through 16-byte gates in IA-32e mode
 * (§6.14) with RSPn/IST stacks and an unconditional SS:RSP push. Exceptions raised during delivery
 * follow the double-fault rules of {@link ExceptionClass}; a triple fault calls
 * {@link org.haxm.emulator.InterceptHook#tripleFault()} and, if that returns, enters SHUTDOWN.
 *
 * <p>Not modelled: task gates in the IDT (#GP(vector*8+2+EXT)), the virtual-8086 interrupt
 * redirection of CR4.VME, and #DB data breakpoints.
 */
public final class EventDelivery {
    private static final int GP = 13, NP = 11, SS_FAULT = 12, TS = 10, DF = 8, PF = 14;
    private static final int CS = Segment.CS.ordinal(), SS = Segment.SS.ordinal();

    private final Cpu cpu;
    private final CpuState state;
    private final Segmentation seg;
    private final SegmentRegister newSs = new SegmentRegister();
    private final SegmentRegister newCs = new SegmentRegister();

    public EventDelivery(Cpu cpu, Segmentation seg) {
        this.cpu = cpu;
        this.state = cpu.state();
        this.seg = seg;
    }

    /**
     * Delivers an exception raised by an instruction or by an earlier delivery step: asks the hook
     * first (exception bitmap), sets CR2 for #PF, then delivers with the #DF rules.
     * {@code returnRip} is the RIP to save (the faulting instruction for faults).
     */
    public void raise(int vector, int errorCode, long qualification, int type, long returnRip) {
        int softwareType = type == EventType.HARDWARE_EXCEPTION ? 0 : type;
        cpu.hook().exception(vector, errorCode, qualification, softwareType);
        if (vector == PF) state.cr2 = qualification;
        deliver(vector, type, errorCode, returnRip);
    }

    /**
     * Delivers one event, then any exceptions its delivery raises, serially or merged into #DF,
     * until something is delivered or the processor shuts down. Never throws {@link CpuException}.
     */
    public void deliver(int vector, int type, int errorCode, long returnRip) {
        ExceptionClass current = ExceptionClass.of(vector, type);
        while (true) {
            try {
                deliverOnce(vector, type, errorCode, returnRip);
                return;
            } catch (CpuException e) {
                int second = e.vector;
                int secondError = e.errorCode;
                long qualification = e.qualification;
                // The exception bitmap sees the nested exception itself, before any #DF merging
                // (SDM Vol. 3C §26.2 / §27.2.4: the VM exit records the original event as IDT-vectoring).
                cpu.hook().exception(second, secondError, qualification, 0);
                ExceptionClass.Outcome outcome = current.combine(ExceptionClass.of(second, EventType.HARDWARE_EXCEPTION));
                if (outcome == ExceptionClass.Outcome.TRIPLE_FAULT) {
                    shutdown();
                    return;
                }
                if (outcome == ExceptionClass.Outcome.DOUBLE_FAULT) {
                    second = DF;
                    secondError = 0;
                    qualification = 0;
                    cpu.hook().exception(DF, 0, 0, 0);
                } else if (second == PF) {
                    state.cr2 = qualification;
                }
                // Faults during delivery report the instruction that started it (state is unchanged).
                returnRip = state.rip;
                vector = second;
                errorCode = secondError;
                type = EventType.HARDWARE_EXCEPTION;
                current = ExceptionClass.of(vector, type);
            }
        }
    }

    /** Triple fault (SDM Vol. 3A §6.15 "Interrupt 8"): the hook sees it first; then SHUTDOWN. */
    private void shutdown() {
        cpu.hook().tripleFault();
        state.activityState = CpuState.SHUTDOWN;
    }

    /** One delivery attempt through the IVT or IDT; faults propagate as {@link CpuException}. */
    public void deliverOnce(int vector, int type, int errorCode, long returnRip) {
        int ext = EventType.software(type) ? 0 : 1;
        if ((state.cr0 & CpuState.CR0_PE) == 0) {
            deliverReal(vector, returnRip);
        } else if ((state.efer & CpuState.EFER_LMA) != 0) {
            deliverLong(vector, type, errorCode, returnRip, ext);
        } else {
            deliverProtected(vector, type, errorCode, returnRip, ext);
        }
        if (type == EventType.NMI) state.interruptibility |= CpuState.BLOCKING_BY_NMI;
        state.interruptibility &= ~(CpuState.BLOCKING_BY_STI | CpuState.BLOCKING_BY_MOV_SS);
        if (state.activityState == CpuState.HLT) state.activityState = CpuState.ACTIVE;
    }

    // ------------------------------------------------------------------------------------------
    // Real mode: IVT of 4-byte IP:CS vectors (SDM Vol. 3A §20.1.4)

    private void deliverReal(int vector, long returnRip) {
        long entry = vector * 4L;
        if (entry + 3 > (state.idtrLimit & 0xFFFF)) throw cpu.fault(GP, 0);
        long sp = state.gpr[4];
        long mask = state.seg[SS].big() ? 0xFFFF_FFFFL : 0xFFFF;
        // Each 2-byte push is checked on its own: SP wraps within the 64-KiB stack as on hardware.
        long target = cpu.readLinear((state.idtrBase + entry) & 0xFFFF_FFFFL, 4, AccessType.READ, true);
        long flags = state.rflags();
        cpu.writeMemory(SS, (sp - 2) & mask, 2, flags);
        cpu.writeMemory(SS, (sp - 4) & mask, 2, state.seg[CS].selector);
        cpu.writeMemory(SS, (sp - 6) & mask, 2, returnRip);
        seg.loadReal(state.seg[CS], (int) (target >>> 16));
        state.rip = target & 0xFFFF;
        state.gpr[4] = (sp & ~mask) | ((sp - 6) & mask);
        state.setRflags(flags & ~(CpuState.IF | CpuState.TF | CpuState.AC | CpuState.RF));
    }

    // ------------------------------------------------------------------------------------------
    // Protected mode: 8-byte gates (SDM Vol. 3A §6.10-6.12)

    private long checkGate(int vector, int type, int ext, int entrySize) {
        long offset = (long) vector * entrySize;
        int idtError = vector * 8 + 2 + ext;
        if (offset + entrySize - 1 > (state.idtrLimit & 0xFFFF)) throw cpu.fault(GP, idtError);
        long gate = cpu.readLinear(state.idtrBase + offset, 8, AccessType.READ, true);
        int gateType = Descriptor.type(gate);
        boolean ok = Descriptor.system(gate) && (entrySize == 16
            ? gateType == Descriptor.INTERRUPT_GATE || gateType == Descriptor.TRAP_GATE
            : gateType == Descriptor.INTERRUPT_GATE || gateType == Descriptor.TRAP_GATE
                || gateType == Descriptor.INTERRUPT_GATE16 || gateType == Descriptor.TRAP_GATE16);
        if (!ok) throw cpu.fault(GP, idtError); // includes task gates (not modelled)
        if (EventType.software(type) && Descriptor.dpl(gate) < state.cpl()) throw cpu.fault(GP, idtError);
        if (!Descriptor.present(gate)) throw cpu.fault(NP, idtError);
        return gate;
    }

    /** The handler's code segment: a present code segment with DPL &le; CPL (§6.12.1.1). */
    private long checkHandlerCs(int selector, int ext) {
        if ((selector & 0xFFFC) == 0) throw cpu.fault(GP, ext);
        long d = seg.readDescriptor(selector, ext);
        if (!Descriptor.code(d) || Descriptor.dpl(d) > state.cpl()) throw cpu.fault(GP, (selector & 0xFFFC) | ext);
        if (!Descriptor.present(d)) throw cpu.fault(NP, (selector & 0xFFFC) | ext);
        return d;
    }

    private void deliverProtected(int vector, int type, int errorCode, long returnRip, int ext) {
        boolean v86 = (state.storedRflags() & CpuState.VM) != 0;
        if (v86 && type == EventType.SOFTWARE_INTERRUPT && (state.storedRflags() & CpuState.IOPL) != CpuState.IOPL) {
            throw cpu.fault(GP, 0); // INT n in virtual-8086 mode is IOPL-sensitive (§20.2.7)
        }
        long gate = checkGate(vector, type, ext, 8);
        int selector = Descriptor.gateSelector(gate);
        long d = checkHandlerCs(selector, ext);
        int gateType = Descriptor.type(gate);
        boolean gate32 = gateType >= Descriptor.INTERRUPT_GATE;
        int size = gate32 ? 4 : 2;
        long handler = gate32 ? Descriptor.gateOffset(gate) : gate & 0xFFFF;
        int cpl = state.cpl();
        int dpl = Descriptor.dpl(d);
        boolean conforming = (Descriptor.type(d) & Descriptor.TYPE_CONFORMING) != 0;
        boolean inner = !conforming && dpl < cpl;
        if (v86 && (!inner || dpl != 0)) throw cpu.fault(GP, (selector & 0xFFFC) | ext);
        if (handler > (Descriptor.limit(d) & 0xFFFF_FFFFL)) throw cpu.fault(GP, ext);
        long flags = state.rflags();
        int newCpl = inner ? dpl : cpl;

        long sp;
        SegmentRegister stack;
        if (inner) {
            loadInnerStack32(dpl, ext);
            stack = newSs;
            sp = tssStackPointer;
        } else {
            stack = state.seg[SS];
            sp = state.gpr[4];
        }
        long mask = stack.big() ? 0xFFFF_FFFFL : 0xFFFF;
        int slots = (inner ? 5 : 3) + (v86 ? 4 : 0) + (errorCode >= 0 ? 1 : 0);
        // Check the whole frame first so no write happens if it does not fit (#SS/#PF).
        long bottom = (sp - (long) slots * size) & mask;
        probeStack(stack, bottom, slots * size, newCpl);
        long p = sp;
        if (v86) {
            p = push(stack, p, mask, size, state.seg(Segment.GS).selector, newCpl);
            p = push(stack, p, mask, size, state.seg(Segment.FS).selector, newCpl);
            p = push(stack, p, mask, size, state.seg(Segment.DS).selector, newCpl);
            p = push(stack, p, mask, size, state.seg(Segment.ES).selector, newCpl);
        }
        if (inner) {
            p = push(stack, p, mask, size, state.seg[SS].selector, newCpl);
            p = push(stack, p, mask, size, state.gpr[4], newCpl);
        }
        p = push(stack, p, mask, size, flags, newCpl);
        p = push(stack, p, mask, size, state.seg[CS].selector, newCpl);
        p = push(stack, p, mask, size, returnRip, newCpl);
        if (errorCode >= 0) p = push(stack, p, mask, size, errorCode, newCpl);

        // Commit.
        seg.setAccessed(d);
        Segmentation.fromDescriptor(state.seg[CS], (selector & 0xFFFC) | newCpl, d);
        if (inner) state.seg[SS].copyFrom(newSs);
        // A new 16-bit stack keeps ESP[31:16] from the TSS value's perspective as zero.
        state.gpr[4] = inner ? p : (state.gpr[4] & ~mask) | (p & mask);
        if (v86) {
            nullSegment(Segment.ES); nullSegment(Segment.DS); nullSegment(Segment.FS); nullSegment(Segment.GS);
        }
        state.rip = handler;
        long clear = CpuState.TF | CpuState.NT | CpuState.RF | CpuState.VM;
        if (gateType == Descriptor.INTERRUPT_GATE || gateType == Descriptor.INTERRUPT_GATE16) clear |= CpuState.IF;
        state.setRflags(flags & ~clear);
    }

    private void nullSegment(Segment s) {
        state.seg(s).set(0, 0, 0, SegmentRegister.AR_UNUSABLE);
    }

    private long tssStackPointer;

    /** Reads SS:ESP for privilege {@code dpl} from the current TSS and validates SS (§7.2.1, #TS rules). */
    private void loadInnerStack32(int dpl, int ext) {
        SegmentRegister tr = state.seg[Segment.TR.ordinal()];
        boolean tss32 = (tr.type() & 8) != 0;
        long spOffset = tss32 ? 4 + dpl * 8L : 2 + dpl * 4L;
        long ssOffset = tss32 ? 8 + dpl * 8L : 4 + dpl * 4L;
        int spSize = tss32 ? 4 : 2;
        if (ssOffset + 1 > tr.limitUnsigned() || spOffset + spSize - 1 > tr.limitUnsigned()) {
            throw cpu.fault(TS, (tr.selector & 0xFFFC) | ext);
        }
        long sp = cpu.readLinear((tr.base + spOffset) & 0xFFFF_FFFFL, spSize, AccessType.READ, true);
        int ss = (int) cpu.readLinear((tr.base + ssOffset) & 0xFFFF_FFFFL, 2, AccessType.READ, true);
        if ((ss & 0xFFFC) == 0) throw cpu.fault(TS, ext);
        long d = seg.readDescriptor(ss, ext);
        seg.checkStackDescriptor(ss, d, dpl, TS);
        if (!Descriptor.present(d)) throw cpu.fault(SS_FAULT, (ss & 0xFFFC) | ext);
        seg.setAccessed(d);
        Segmentation.fromDescriptor(newSs, ss, d);
        tssStackPointer = sp;
    }

    private void probeStack(SegmentRegister stack, long bottom, int bytes, int newCpl) {
        long lin = seg.linear(stack, SS, bottom, bytes, AccessType.WRITE);
        cpu.probeWriteLinear(lin, bytes, newCpl < 3);
    }

    private long push(SegmentRegister stack, long sp, long mask, int size, long value, int newCpl) {
        long p = (sp - size) & mask;
        long lin = seg.linear(stack, SS, p, size, AccessType.WRITE);
        cpu.writeLinear(lin, size, value, newCpl < 3);
        return p;
    }

    // ------------------------------------------------------------------------------------------
    // IA-32e mode: 16-byte gates (SDM Vol. 3A §6.14)

    private void deliverLong(int vector, int type, int errorCode, long returnRip, int ext) {
        long gate = checkGate(vector, type, ext, 16);
        long high = cpu.readLinear(state.idtrBase + vector * 16L + 8, 8, AccessType.READ, true);
        int selector = Descriptor.gateSelector(gate);
        long d = checkHandlerCs(selector, ext);
        if (!Descriptor.longMode(d) || Descriptor.big(d)) throw cpu.fault(GP, (selector & 0xFFFC) | ext);
        long handler = Descriptor.gateOffset(gate) | (high << 32);
        if (((handler << 16) >> 16) != handler) throw cpu.fault(GP, ext);
        int cpl = state.cpl();
        int dpl = Descriptor.dpl(d);
        boolean conforming = (Descriptor.type(d) & Descriptor.TYPE_CONFORMING) != 0;
        boolean inner = !conforming && dpl < cpl;
        int newCpl = inner ? dpl : cpl;
        int ist = Descriptor.gateIst(gate);
        long rsp;
        if (ist != 0) rsp = readTss64(0x24 + (ist - 1) * 8L, ext);
        else if (inner) rsp = readTss64(4 + dpl * 8L, ext);
        else rsp = state.gpr[4];
        rsp &= ~0xFL; // the new stack is 16-byte aligned (§6.14.2)
        int slots = errorCode >= 0 ? 6 : 5;
        long bottom = rsp - slots * 8L;
        if (((bottom << 16) >> 16) != bottom || ((rsp << 16) >> 16) != rsp) throw cpu.fault(SS_FAULT, ext);
        boolean supervisor = newCpl < 3;
        cpu.probeWriteLinear(bottom, slots * 8, supervisor);
        long flags = state.rflags();
        long p = rsp;
        cpu.writeLinear(p -= 8, 8, state.seg[SS].selector, supervisor);
        cpu.writeLinear(p -= 8, 8, state.gpr[4], supervisor);
        cpu.writeLinear(p -= 8, 8, flags, supervisor);
        cpu.writeLinear(p -= 8, 8, state.seg[CS].selector, supervisor);
        cpu.writeLinear(p -= 8, 8, returnRip, supervisor);
        if (errorCode >= 0) cpu.writeLinear(p -= 8, 8, errorCode & 0xFFFF_FFFFL, supervisor);

        seg.setAccessed(d);
        Segmentation.fromDescriptor(state.seg[CS], (selector & 0xFFFC) | newCpl, d);
        if (inner) {
            // SS becomes a null selector with RPL = new CPL (§6.14.4).
            state.seg[SS].set(newCpl, 0, 0, SegmentRegister.AR_UNUSABLE | (newCpl << SegmentRegister.AR_DPL_SHIFT));
        }
        state.gpr[4] = p;
        state.rip = handler;
        long clear = CpuState.TF | CpuState.NT | CpuState.RF | CpuState.VM;
        if (Descriptor.type(gate) == Descriptor.INTERRUPT_GATE) clear |= CpuState.IF;
        state.setRflags(flags & ~clear);
    }

    private long readTss64(long offset, int ext) {
        SegmentRegister tr = state.seg[Segment.TR.ordinal()];
        if (offset + 7 > tr.limitUnsigned()) throw cpu.fault(TS, (tr.selector & 0xFFFC) | ext);
        return cpu.readLinear(tr.base + offset, 8, AccessType.READ, true);
    }
}
