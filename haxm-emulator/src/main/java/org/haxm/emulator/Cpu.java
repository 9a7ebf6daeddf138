package org.haxm.emulator;

import org.haxm.emulator.cpu.ControlRegisters;
import org.haxm.emulator.cpu.ControlTransfer;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.ModelSpecificRegisters;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.cpu.Segmentation;
import org.haxm.emulator.decoder.CodeFetcher;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Decoder;
import org.haxm.emulator.event.EventDelivery;
import org.haxm.emulator.event.EventType;
import org.haxm.emulator.exec.Executor;
import org.haxm.emulator.mem.AccessType;
import org.haxm.emulator.mem.PhysicalMemory;
import org.haxm.emulator.mmu.Mmu;

/**
 * One logical processor: its architectural state plus the machinery that gives the state meaning
 * — segmentation ({@link Segmentation}), paging ({@link Mmu}), far control transfers
 * ({@link ControlTransfer}), control registers and MSRs, and event delivery ({@link EventDelivery}).
 *
 * <p>This class is the facade the execution core and the engine talk to. It runs guest code
 * instruction by instruction: fetch through CS:RIP, decode, execute, and turn every
 * {@link CpuException} into an exception delivered to the guest (SDM Vol. 3A ch. 6).
 * {@link InstructionAbort} (a VM exit) is never caught. Nothing here allocates per instruction.
 */
public final class Cpu {
    private static final int SS = Segment.SS.ordinal(), CS = Segment.CS.ordinal();

    private final CpuState state;
    private PhysicalMemory memory;
    private InterceptHook hook;
    private final PortBus ports;
    private final InterceptInfo info = new InterceptInfo();
    private final CpuException exception = new CpuException();

    private final Mmu mmu;
    private final Segmentation segmentation;
    private final ControlTransfer transfer;
    private final ControlRegisters controlRegisters;
    private final ModelSpecificRegisters msrs;
    private final EventDelivery events;

    private final Decoder decoder = new Decoder();
    private final DecodedInstruction insn = new DecodedInstruction();
    private final DecodedInstruction traceInsn = new DecodedInstruction();
    private final Fetcher fetcher = new Fetcher();
    private final Executor executor = new Executor();

    private boolean eventCheck;
    /** RIP of the instruction being executed (valid while {@link #inInstruction}). */
    private long instructionRip;
    private boolean inInstruction;

    /**
     * @param state  the architectural state (not copied)
     * @param memory guest-physical memory
     * @param hook   interception hook, or null for {@link InterceptHook#NONE}
     * @param ports  port I/O bus, or null for {@link PortBus#EMPTY}
     */
    public Cpu(CpuState state, PhysicalMemory memory, InterceptHook hook, PortBus ports) {
        if (state == null) throw new IllegalArgumentException("state must not be null");
        if (memory == null) throw new IllegalArgumentException("memory must not be null");
        this.state = state;
        this.memory = memory;
        this.hook = hook == null ? InterceptHook.NONE : hook;
        this.ports = ports == null ? PortBus.EMPTY : ports;
        this.mmu = new Mmu(state, memory, exception);
        this.segmentation = new Segmentation(this);
        this.transfer = new ControlTransfer(this, segmentation);
        this.controlRegisters = new ControlRegisters(this, mmu, segmentation);
        this.msrs = new ModelSpecificRegisters(this, controlRegisters);
        this.events = new EventDelivery(this, segmentation);
    }

    public CpuState state() { return state; }
    public PhysicalMemory memory() { return memory; }
    public InterceptHook hook() { return hook; }
    public PortBus ports() { return ports; }
    /** The paging unit (for the engine and tests). */
    public Mmu mmu() { return mmu; }

    public void setMemory(PhysicalMemory m) {
        if (m == null) throw new IllegalArgumentException("memory must not be null");
        this.memory = m;
        mmu.setMemory(m);
    }

    public void setHook(InterceptHook h) { this.hook = h == null ? InterceptHook.NONE : h; }

    /** The one reusable {@link InterceptInfo} the execution core fills before calling the hook. */
    public InterceptInfo interceptInfo() { return info; }

    // ------------------------------------------------------------------------------------------
    // Running

    /**
     * Runs until {@code maxInstructions} steps were taken, or the processor halts (HLT) or shuts
     * down. A step that ends in exception delivery counts against the budget but is not retired.
     *
     * @return instructions retired
     * @throws InstructionAbort when the hook ends the run with a VM exit
     */
    public long run(long maxInstructions) {
        if (maxInstructions < 0) throw new IllegalArgumentException("maxInstructions must be >= 0, was " + maxInstructions);
        long retired = 0;
        for (long i = 0; i < maxInstructions && state.activityState == CpuState.ACTIVE; i++) {
            if (stepInstruction()) retired++;
        }
        return retired;
    }

    /** Executes one instruction (delivering the exception it raises, if any); nothing when not ACTIVE. */
    public void step() {
        if (state.activityState == CpuState.ACTIVE) stepInstruction();
    }

    /** One fetch-decode-execute; true if the instruction retired. */
    private boolean stepInstruction() {
        long startRip = state.rip;
        int shadow = state.interruptibility & (CpuState.BLOCKING_BY_STI | CpuState.BLOCKING_BY_MOV_SS);
        boolean singleStep = (state.storedRflags() & CpuState.TF) != 0;
        instructionRip = startRip;
        inInstruction = true;
        try {
            fetcher.start(startRip);
            decoder.decode(fetcher, codeSize(), insn);
            if (insn.fault != DecodedInstruction.FAULT_NONE) {
                throw insn.fault == DecodedInstruction.FAULT_GP ? fault(13, 0) : fault(6, -1);
            }
            executor.execute(this, insn);
            state.instructionsRetired++;
            // An STI/MOV SS shadow covers exactly the next instruction (SDM Vol. 3A §6.8.3).
            state.interruptibility &= ~shadow;
        } catch (CpuException e) {
            inInstruction = false;
            state.rip = startRip; // faults report the faulting instruction (SDM Vol. 3A §6.5)
            events.raise(e.vector, e.errorCode, e.qualification, EventType.HARDWARE_EXCEPTION, startRip);
            return false;
        } finally {
            inInstruction = false;
        }
        if (singleStep) singleStepTrap();
        if (eventCheck) hook.afterInstruction();
        return true;
    }

    /** EFLAGS.TF set before an instruction: a #DB trap after it, DR6.BS = 1 (SDM Vol. 3A §18.3.1.4). */
    private void singleStepTrap() {
        state.dr[6] |= 0x4000;
        events.raise(1, -1, 0x4000, EventType.HARDWARE_EXCEPTION, state.rip);
    }

    /** While on, {@link InterceptHook#afterInstruction()} is called after every retired instruction. */
    public void requestEventCheck(boolean on) { eventCheck = on; }

    /**
     * Delivers (injects) an event now, as VM entry does (SDM Vol. 3C §27.6): through the IVT/IDT,
     * with any exception its delivery raises handled by the #DF rules. An external interrupt or NMI
     * wakes the processor from HLT.
     *
     * @param vector            0..255
     * @param type              VMX interruption type ({@link EventType}); 7 (other) delivers nothing
     * @param errorCode         error code to push, or -1
     * @param instructionLength for software interrupts/exceptions: length added to RIP for the saved return address
     */
    public void deliverEvent(int vector, int type, int errorCode, int instructionLength) {
        if (vector < 0 || vector > 255) throw new IllegalArgumentException("vector must be 0..255, was " + vector);
        if (type < 0 || type > 7 || type == 1) throw new IllegalArgumentException("type must be 0, 2..7, was " + type);
        if (type == EventType.OTHER || state.activityState == CpuState.SHUTDOWN) return;
        long returnRip = EventType.pushesNextRip(type) ? state.rip + instructionLength : state.rip;
        events.deliver(vector, type, errorCode, returnRip);
    }

    /** External interrupts may be delivered: RFLAGS.IF = 1 and no STI/MOV SS blocking (SDM Vol. 3A §6.8.1). */
    public boolean interruptible() {
        return (state.storedRflags() & CpuState.IF) != 0
            && (state.interruptibility & (CpuState.BLOCKING_BY_STI | CpuState.BLOCKING_BY_MOV_SS)) == 0;
    }

    /** Invalidates every cached translation (INVLPG, INVPCID, or the engine changing guest page tables). */
    public void flushTlb() { mmu.flush(); }

    /** INVLPG: invalidates the cached translation of the page holding {@code linear} (SDM Vol. 3A §4.10.4.1). */
    public void invalidatePage(long linear) { mmu.invalidatePage(linear); }

    /**
     * Decodes the instruction at CS:{@code rip} without executing it (for traces), into a
     * DecodedInstruction separate from the one execution uses. Fetch faults propagate as
     * {@link CpuException}.
     */
    public DecodedInstruction decodeAt(long rip) {
        fetcher.start(rip);
        decoder.decode(fetcher, codeSize(), traceInsn);
        return traceInsn;
    }

    /** Default code size from CR0.PE, EFLAGS.VM, EFER.LMA, CS.L and CS.D (SDM Vol. 3A §3.4.5). */
    public int codeSize() {
        if ((state.cr0 & CpuState.CR0_PE) == 0 || (state.storedRflags() & CpuState.VM) != 0) return 16;
        if (segmentation.mode64()) return 64;
        return state.seg[CS].big() ? 32 : 16;
    }

    /** Stack address size in bytes: 8 in 64-bit mode, else 4 or 2 by SS.B (SDM Vol. 3A §6.2.3). */
    public int stackAddressSize() {
        if (segmentation.mode64()) return 8;
        return state.seg[SS].big() ? 4 : 2;
    }

    /** Reads instruction bytes through CS:RIP with the execute checks (limit/canonical, paging). */
    private final class Fetcher implements CodeFetcher {
        private long rip;

        void start(long rip) { this.rip = rip; }

        @Override public int fetch(int offset) {
            long ip = rip + offset;
            if (!segmentation.mode64()) ip &= 0xFFFF_FFFFL;
            long lin = segmentation.linear(CS, ip, 1, AccessType.EXECUTE);
            return (int) mmu.read(lin, 1, AccessType.EXECUTE, supervisor()) & 0xFF;
        }
    }

    /**
     * CPL &lt; 3, computed without materialising lazy arithmetic flags (only EFLAGS.VM is needed,
     * which the execution core always keeps in the stored RFLAGS).
     */
    private boolean supervisor() {
        if ((state.cr0 & CpuState.CR0_PE) == 0) return true;
        if ((state.storedRflags() & CpuState.VM) != 0) return false;
        return state.seg[CS].dpl() < 3;
    }

    // ------------------------------------------------------------------------------------------
    // Services for the execution core

    /** Fills and returns the preallocated exception: {@code throw cpu.fault(13, 0)}; errorCode -1 = none. */
    public CpuException fault(int vector, int errorCode) { return exception.set(vector, errorCode, 0); }

    /** Segmentation: the linear address of segment:offset after limit/type/canonical checks (#GP(0)/#SS(0)). */
    public long linearAddress(int segment, long offset, int size, boolean write) {
        return segmentation.linear(segment, offset, size, write ? AccessType.WRITE : AccessType.READ);
    }

    /** Reads 1, 2, 4 or 8 bytes at segment:offset with the current privilege. */
    public long readMemory(int segment, long offset, int size) {
        long lin = segmentation.linear(segment, offset, size, AccessType.READ);
        return mmu.read(lin, size, AccessType.READ, supervisor());
    }

    /** Writes 1, 2, 4 or 8 bytes at segment:offset; a page-crossing write is all-or-nothing for faults. */
    public void writeMemory(int segment, long offset, int size, long value) {
        long lin = segmentation.linear(segment, offset, size, AccessType.WRITE);
        mmu.write(lin, size, value, supervisor());
    }

    /** Reads through paging; {@code supervisor} false means a user-mode (CPL 3) access. */
    public long readLinear(long linear, int size, int accessType, boolean supervisor) {
        return mmu.read(linear, size, accessType, supervisor);
    }

    /** Writes through paging. */
    public void writeLinear(long linear, int size, long value, boolean supervisor) {
        mmu.write(linear, size, value, supervisor);
    }

    /** Faults now if a write of {@code size} bytes at segment:offset would fault; changes nothing. */
    public void probeWrite(int segment, long offset, int size) {
        long lin = segmentation.linear(segment, offset, size, AccessType.WRITE);
        mmu.probeWrite(lin, size, supervisor());
    }

    /** Faults now if a write at a linear address would fault; changes nothing. */
    public void probeWriteLinear(long linear, int size, boolean supervisor) {
        mmu.probeWrite(linear, size, supervisor);
    }

    /** LOCK read-modify-write: atomically stores {@code update} if the value equals {@code expected}; returns the old value. */
    public long lockedCompareExchange(int segment, long offset, int size, long expected, long update) {
        long lin = segmentation.linear(segment, offset, size, AccessType.WRITE);
        return mmu.compareExchange(lin, size, expected, update, supervisor());
    }

    /** Pushes {@code size} bytes on SS:rSP (stack address size applies); rSP changes only after the write. */
    public void push(long value, int size) {
        long rsp = state.gpr[4] - size;
        writeMemory(SS, rsp & transfer.stackMask(), size, value);
        transfer.setStackPointer(rsp);
    }

    /** Pops {@code size} bytes from SS:rSP; rSP changes only after the read. */
    public long pop(int size) {
        long value = readMemory(SS, state.gpr[4] & transfer.stackMask(), size);
        transfer.setStackPointer(state.gpr[4] + size);
        return value;
    }

    /** Reads SS:[rSP + offsetBytes] without popping. */
    public long peekStack(int offsetBytes, int size) {
        return readMemory(SS, (state.gpr[4] + offsetBytes) & transfer.stackMask(), size);
    }

    /**
     * MOV/POP Sreg, LxS, LLDT, LTR: loads a segment register with the mode's rules (real/v86:
     * base = selector * 16; protected: descriptor checks with selector error codes, accessed bit).
     * Loading SS starts the one-instruction MOV-SS interrupt shadow (SDM Vol. 3A §6.8.3).
     */
    public void loadSegment(Segment s, int selector) {
        segmentation.load(s, selector);
        if (s == Segment.SS) state.interruptibility |= CpuState.BLOCKING_BY_MOV_SS;
    }

    public void farJump(int selector, long offset, int operandSize) { transfer.farJump(selector, offset, operandSize); }

    public void farCall(int selector, long offset, int operandSize, long returnOffset) {
        transfer.farCall(selector, offset, operandSize, returnOffset);
    }

    public void farReturn(int operandSize, int extraPop) { transfer.farReturn(operandSize, extraPop); }

    /**
     * INT n (type 4), INT3/INTO (type 6), INT1 (type 5): delivers the event with the address of the
     * next instruction (the current instruction's RIP + {@code instructionLength}) as return
     * address; works whether or not the caller already advanced RIP. INT3/INTO/INT1 are offered to
     * the hook first (exception bitmap). A fault during delivery propagates as {@link CpuException}.
     */
    public void softwareInterrupt(int vector, int instructionLength, int type) {
        long start = inInstruction ? instructionRip : state.rip;
        state.rip = start;
        if (type != EventType.SOFTWARE_INTERRUPT) hook.exception(vector, -1, 0, type);
        events.deliverOnce(vector, type, -1, start + instructionLength);
    }

    public void iret(int operandSize) { transfer.iret(operandSize); }

    public void writeCr(int cr, long value) { controlRegisters.write(cr, value); }

    public long readCr(int cr) { return controlRegisters.read(cr); }

    public void writeEfer(long value) { controlRegisters.writeEfer(value); }

    public long readMsr(int index) { return msrs.read(index); }

    public void writeMsr(int index, long value) { msrs.write(index, value); }
}
