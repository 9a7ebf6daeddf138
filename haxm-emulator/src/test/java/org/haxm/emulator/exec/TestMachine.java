package org.haxm.emulator.exec;

import java.util.ArrayList;
import java.util.List;
import org.haxm.emulator.Cpu;
import org.haxm.emulator.InterceptHook;
import org.haxm.emulator.InstructionAbort;
import org.haxm.emulator.InterceptInfo;
import org.haxm.emulator.PortBus;
import org.haxm.emulator.SensitiveInstruction;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.mem.PhysicalMemory;

/**
 * A small machine for execution tests: 1 MiB of array-backed RAM, a {@link Cpu} set up by hand in
 * real mode, 32-bit protected mode (flat, no paging) or 64-bit long mode (identity-mapped with
 * 2-MiB pages), a recording port bus and a recording intercept hook. {@link #step()} decodes at
 * CS:RIP and executes through {@link Executor} directly, so faults surface as exceptions.
 */
final class TestMachine {
    static final int RAM = 1 << 20;
    static final long CODE = 0x1000;

    final byte[] ram = new byte[RAM];
    final CpuState state = new CpuState();
    final List<String> portLog = new ArrayList<>();
    final List<SensitiveInstruction> intercepts = new ArrayList<>();
    final List<Long> interceptValues = new ArrayList<>();
    int portInValue = 0x5A5A5A5A;
    /** Guest-physical page (address >> 12) whose writes end the instruction with a VM exit; -1 = none. */
    long abortWritesToPage = -1;
    /** Number of locked compare-exchange accesses that reached memory. */
    int lockedAccesses;
    final Executor executor = new Executor();
    final Cpu cpu;
    /** Last executed instruction. */
    DecodedInstruction insn;

    final PhysicalMemory memory = new PhysicalMemory() {
        @Override public long read(long gpa, int size, int type, long linear) {
            long v = 0;
            for (int i = size - 1; i >= 0; i--) v = (v << 8) | (ram[(int) (gpa + i)] & 0xFF);
            return v;
        }
        @Override public void write(long gpa, int size, long value, int type, long linear) {
            if (gpa >>> 12 == abortWritesToPage) throw InstructionAbort.INSTANCE;
            for (int i = 0; i < size; i++) ram[(int) (gpa + i)] = (byte) (value >>> (8 * i));
        }
        @Override public long compareAndExchange(long gpa, int size, long expected, long update, long linear) {
            lockedAccesses++;
            long old = read(gpa, size, 0, linear);
            if (old == expected) write(gpa, size, update, 1, linear);
            return old;
        }
    };

    final PortBus ports = new PortBus() {
        @Override public int in(int port, int size) {
            portLog.add(String.format("in %x/%d", port, size));
            return portInValue;
        }
        @Override public void out(int port, int size, int value) {
            portLog.add(String.format("out %x/%d=%x", port, size, value));
        }
    };

    final InterceptHook hook = new InterceptHook() {
        @Override public boolean instruction(InterceptInfo info) {
            intercepts.add(info.kind);
            interceptValues.add(info.kind == SensitiveInstruction.IO ? (long) info.port : info.value);
            return false;
        }
        @Override public void exception(int vector, int errorCode, long qualification, int softwareType) {}
        @Override public void tripleFault() {}
        @Override public void afterInstruction() {}
    };

    private TestMachine() {
        cpu = new Cpu(state, memory, hook, ports);
    }

    /** Real-address mode, all segment bases 0, IP = 0x1000, SP = 0x8000. */
    static TestMachine real() {
        TestMachine m = new TestMachine();
        CpuState s = m.state;
        s.reset();
        for (int i = 0; i < 6; i++) s.seg[i].set(0, 0, 0xFFFF, 0x93);
        s.seg(Segment.CS).set(0, 0, 0xFFFF, 0x9B);
        s.rip = CODE;
        s.gpr[4] = 0x8000;
        s.gpr[2] = 0;
        return m;
    }

    /** 32-bit protected mode, flat 4-GiB segments (CS 0x08, others 0x10), CPL 0, no paging. */
    static TestMachine protected32() {
        TestMachine m = new TestMachine();
        CpuState s = m.state;
        s.reset();
        s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET | CpuState.CR0_NE;
        for (int i = 0; i < 6; i++) s.seg[i].set(0x10, 0, 0xFFFF_FFFF, 0xC093);
        s.seg(Segment.CS).set(0x08, 0, 0xFFFF_FFFF, 0xC09B);
        s.rip = CODE;
        s.gpr[4] = 0x8000;
        s.gpr[2] = 0;
        return m;
    }

    /** 64-bit mode, CPL 0, the first 2 MiB identity-mapped by one 2-MiB page (tables at 0xFD000). */
    static TestMachine long64() {
        TestMachine m = new TestMachine();
        CpuState s = m.state;
        s.reset();
        long pml4 = 0xFD000, pdpt = 0xFE000, pd = 0xFF000;
        m.poke(pml4, 8, pdpt | 3);
        m.poke(pdpt, 8, pd | 3);
        m.poke(pd, 8, 0x83);
        s.cr3 = pml4;
        s.cr4 = CpuState.CR4_PAE;
        s.efer = CpuState.EFER_LME | CpuState.EFER_LMA | CpuState.EFER_SCE;
        s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET | CpuState.CR0_NE | CpuState.CR0_PG;
        for (int i = 0; i < 6; i++) s.seg[i].set(0x10, 0, 0xFFFF_FFFF, 0xC093);
        s.seg(Segment.CS).set(0x08, 0, 0xFFFF_FFFF, 0xA09B);
        s.rip = CODE;
        s.gpr[4] = 0x8000;
        s.gpr[2] = 0;
        m.cpu.flushTlb();
        return m;
    }

    /** Switches a flat protected-mode machine to CPL 3 (DPL-3 code and data segments). */
    TestMachine userMode() {
        for (int i = 0; i < 6; i++) state.seg[i].set(0x23, 0, 0xFFFF_FFFF, 0xC0F3);
        state.seg(Segment.CS).set(0x1B, 0, 0xFFFF_FFFF, state.seg(Segment.CS).accessRights | 0x60);
        return this;
    }

    /** Writes instruction bytes (hex, spaces allowed) at the current CS:RIP. */
    TestMachine code(String hex) {
        long at = state.seg(Segment.CS).base + state.rip;
        String h = hex.replace(" ", "");
        for (int i = 0; i < h.length() / 2; i++) ram[(int) at + i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        return this;
    }

    void poke(long addr, int size, long value) { memory.write(addr, size, value, 1, addr); }
    long peek(long addr, int size) { return memory.read(addr, size, 0, addr); }

    /** Decodes at CS:RIP and executes once; faults propagate. */
    TestMachine step() {
        insn = cpu.decodeAt(state.rip);
        executor.execute(cpu, insn);
        return this;
    }

    TestMachine steps(int n) {
        for (int i = 0; i < n; i++) step();
        return this;
    }

    long reg(int r) { return state.gpr[r]; }
    TestMachine reg(int r, long v) { state.gpr[r] = v; return this; }
    boolean flag(long f) { return (state.rflags() & f) != 0; }
    TestMachine flags(long f) { state.setRflags(f); return this; }
}
