package org.haxm.emulator.encoder;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.CpuException;
import org.haxm.emulator.InterceptHook;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.exec.Executor;
import org.haxm.emulator.mem.PhysicalMemory;

/**
 * A {@link Cpu} at CPL 0 over 1 MiB of flat RAM: in 64-bit mode with the first 2 MiB
 * identity-mapped by one 2-MiB page (tables at 0xFD000), or in flat 32-bit protected mode. {@link #execute} decodes at {@link #CODE} through the CPU's
 * own fetcher and runs the instruction through the {@link Executor}, so the real decode and
 * execution path is used; an architectural exception comes back as its vector.
 */
final class FlatMachine {
    static final long CODE = 0x1000;
    /** A data window of {@link #DATA_SIZE} bytes that memory operands point into. */
    static final long DATA = 0x4000;
    static final int DATA_SIZE = 256;

    final byte[] ram = new byte[1 << 20];
    final CpuState state = new CpuState();
    private final Executor executor = new Executor();
    final Cpu cpu;

    private final PhysicalMemory memory = new PhysicalMemory() {
        @Override public long read(long gpa, int size, int type, long linear) { return peek(gpa, size); }
        @Override public void write(long gpa, int size, long value, int type, long linear) { poke(gpa, size, value); }
        @Override public long compareAndExchange(long gpa, int size, long expected, long update, long linear) {
            long old = peek(gpa, size);
            long mask = size == 8 ? -1L : (1L << (8 * size)) - 1;
            if (((old ^ expected) & mask) == 0) poke(gpa, size, update);
            return old;
        }
    };

    /** 64-bit mode. */
    FlatMachine() { this(64); }

    /** {@code codeSize} 64: 64-bit mode; 32: flat 4-GiB segments, no paging. */
    FlatMachine(int codeSize) {
        cpu = new Cpu(state, memory, InterceptHook.NONE, null);
        state.reset();
        state.rip = CODE;
        if (codeSize == 32) {
            state.cr0 = CpuState.CR0_PE | CpuState.CR0_ET | CpuState.CR0_NE;
            for (int i = 0; i < 6; i++) state.seg[i].set(0x10, 0, 0xFFFF_FFFF, 0xC093);
            state.seg(Segment.CS).set(0x08, 0, 0xFFFF_FFFF, 0xC09B); // D = 1: 32-bit code
            return;
        }
        long pml4 = 0xFD000, pdpt = 0xFE000, pd = 0xFF000;
        poke(pml4, 8, pdpt | 3);
        poke(pdpt, 8, pd | 3);
        poke(pd, 8, 0x83);                           // 2-MiB page at 0, present + writable + PS
        state.cr3 = pml4;
        state.cr4 = CpuState.CR4_PAE;
        state.efer = CpuState.EFER_LME | CpuState.EFER_LMA;
        state.cr0 = CpuState.CR0_PE | CpuState.CR0_ET | CpuState.CR0_NE | CpuState.CR0_PG;
        for (int i = 0; i < 6; i++) state.seg[i].set(0x10, 0, 0xFFFF_FFFF, 0xC093);
        state.seg(Segment.CS).set(0x08, 0, 0xFFFF_FFFF, 0xA09B); // L = 1: 64-bit code
        state.rip = CODE;
        cpu.flushTlb();
    }

    long peek(long addr, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) v = (v << 8) | (ram[(int) (addr + i)] & 0xFF);
        return v;
    }

    void poke(long addr, int size, long value) {
        for (int i = 0; i < size; i++) ram[(int) (addr + i)] = (byte) (value >>> (8 * i));
    }

    /** Places {@code code} at CODE, executes it once; -1 if it completed, else the exception vector. */
    int execute(byte[] code) {
        System.arraycopy(code, 0, ram, (int) CODE, code.length);
        state.rip = CODE;
        try {
            executor.execute(cpu, cpu.decodeAt(CODE));
            return -1;
        } catch (CpuException e) {
            return e.vector;
        }
    }
}
