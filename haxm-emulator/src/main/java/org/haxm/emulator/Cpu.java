package org.haxm.emulator;

import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.mem.AccessType;
import org.haxm.emulator.mem.PhysicalMemory;

/**
 * One logical processor: architectural state plus the machinery that gives it meaning
 * (segmentation, paging, event delivery). PRELIMINARY VERSION: API fixed, bodies simplified.
 */
public final class Cpu {
    private final CpuState state;
    private PhysicalMemory memory;
    private InterceptHook hook;
    private final PortBus ports;
    private final InterceptInfo info = new InterceptInfo();
    private final CpuException exception = new CpuException();
    private boolean eventCheck;

    public Cpu(CpuState state, PhysicalMemory memory, InterceptHook hook, PortBus ports) {
        if (state == null) throw new IllegalArgumentException("state must not be null");
        if (memory == null) throw new IllegalArgumentException("memory must not be null");
        this.state = state;
        this.memory = memory;
        this.hook = hook == null ? InterceptHook.NONE : hook;
        this.ports = ports == null ? PortBus.EMPTY : ports;
    }

    public CpuState state() { return state; }
    public PhysicalMemory memory() { return memory; }
    public InterceptHook hook() { return hook; }
    public PortBus ports() { return ports; }
    public void setMemory(PhysicalMemory m) { this.memory = m; }
    public void setHook(InterceptHook h) { this.hook = h == null ? InterceptHook.NONE : h; }
    public InterceptInfo interceptInfo() { return info; }

    public long run(long maxInstructions) { return 0; }
    public void step() {}
    public void requestEventCheck(boolean on) { eventCheck = on; }
    public void deliverEvent(int vector, int type, int errorCode, int instructionLength) {}
    public boolean interruptible() {
        return (state.rflags() & CpuState.IF) != 0
            && (state.interruptibility & (CpuState.BLOCKING_BY_STI | CpuState.BLOCKING_BY_MOV_SS)) == 0;
    }
    public void flushTlb() {}
    public DecodedInstruction decodeAt(long rip) { return new DecodedInstruction(); }
    public int codeSize() {
        if ((state.cr0 & CpuState.CR0_PE) == 0 || (state.rflags() & CpuState.VM) != 0) return 16;
        if (state.longModeActive() && state.seg(Segment.CS).longMode()) return 64;
        return state.seg(Segment.CS).big() ? 32 : 16;
    }
    public int stackAddressSize() {
        if (codeSize() == 64) return 8;
        return state.seg(Segment.SS).big() ? 4 : 2;
    }

    public CpuException fault(int vector, int errorCode) { return exception.set(vector, errorCode, 0); }
    public long linearAddress(int segment, long offset, int size, boolean write) { return state.seg[segment].base + offset; }
    public long readMemory(int segment, long offset, int size) {
        return readLinear(linearAddress(segment, offset, size, false), size, AccessType.READ, state.cpl() < 3);
    }
    public void writeMemory(int segment, long offset, int size, long value) {
        writeLinear(linearAddress(segment, offset, size, true), size, value, state.cpl() < 3);
    }
    public long readLinear(long linear, int size, int accessType, boolean supervisor) { return memory.read(linear, size, accessType, linear); }
    public void writeLinear(long linear, int size, long value, boolean supervisor) { memory.write(linear, size, value, AccessType.WRITE, linear); }
    public void probeWrite(int segment, long offset, int size) {}
    public long lockedCompareExchange(int segment, long offset, int size, long expected, long update) {
        long lin = linearAddress(segment, offset, size, true);
        return memory.compareAndExchange(lin, size, expected, update, lin);
    }
    public void push(long value, int size) {
        long rsp = state.gpr[4] - size;
        writeMemory(Segment.SS.ordinal(), rsp, size, value);
        state.gpr[4] = rsp;
    }
    public long pop(int size) {
        long v = readMemory(Segment.SS.ordinal(), state.gpr[4], size);
        state.gpr[4] += size;
        return v;
    }
    public long peekStack(int offsetBytes, int size) { return readMemory(Segment.SS.ordinal(), state.gpr[4] + offsetBytes, size); }
    public void loadSegment(Segment s, int selector) { state.seg(s).set(selector, (long) (selector & 0xFFFF) << 4, state.seg(s).limit, state.seg(s).accessRights); }
    public void farJump(int selector, long offset, int operandSize) { loadSegment(Segment.CS, selector); state.rip = offset; }
    public void farCall(int selector, long offset, int operandSize, long returnOffset) {
        push(state.seg(Segment.CS).selector, operandSize); push(returnOffset, operandSize); farJump(selector, offset, operandSize);
    }
    public void farReturn(int operandSize, int extraPop) {
        long ip = pop(operandSize); int cs = (int) pop(operandSize); state.gpr[4] += extraPop; farJump(cs, ip, operandSize);
    }
    public void softwareInterrupt(int vector, int instructionLength, int type) {}
    public void iret(int operandSize) {}
    public void writeCr(int cr, long value) {
        switch (cr) { case 0 -> state.cr0 = value; case 2 -> state.cr2 = value; case 3 -> state.cr3 = value; case 4 -> state.cr4 = value; case 8 -> state.cr8 = value & 15; default -> throw fault(6, -1); }
    }
    public long readCr(int cr) {
        return switch (cr) { case 0 -> state.cr0; case 2 -> state.cr2; case 3 -> state.cr3; case 4 -> state.cr4; case 8 -> state.cr8; default -> throw fault(6, -1); };
    }
    public void writeEfer(long value) { state.efer = value; }
    public long readMsr(int index) { throw fault(13, 0); }
    public void writeMsr(int index, long value) { throw fault(13, 0); }
}
