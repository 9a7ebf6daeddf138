package org.haxm.emulator.diff;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.CpuException;
import org.haxm.emulator.InterceptHook;
import org.haxm.emulator.InterceptInfo;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.cpu.SegmentRegister;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.exec.Executor;
import org.haxm.emulator.mem.PhysicalMemory;

/**
 * The engine side: runs a {@link TestCase} on a {@link Cpu} at CPL 3 with flat segments (the
 * host's selector values), in 64-bit mode with the low 2 MiB identity-mapped by one user page,
 * or in 32-bit protected mode without paging (16-bit code: the same with a 16-bit code segment
 * based at CODE). Memory is a flat 1-MiB array; an access outside
 * the code page, the data pages and the page tables is a fault the native side would also take
 * (nothing else is mapped that low there), reported as vector 14.
 */
final class EngineRunner {
    private static final int RAM = 1 << 20;
    private static final long TABLES = 0xFD000;
    private static final int MAX_ITERATIONS = 1 << 16;
    private static final int CODE16_SELECTOR = 0x07;

    private final byte[] ram = new byte[RAM];
    private final CpuState state = new CpuState();
    private final Executor executor = new Executor();
    private final Cpu cpu;
    private final int mode;
    private boolean outside;
    /** The segment registers every case starts with (a case may load one). */
    private final SegmentRegister[] initialSegments = new SegmentRegister[6];

    /** An access the native side would fault on; thrown through the engine and caught below. */
    private static final class Unmapped extends RuntimeException {
        private static final long serialVersionUID = 1L;
        Unmapped() { super(null, null, false, false); }
    }
    private static final Unmapped UNMAPPED = new Unmapped();

    /**
     * INT3, INT1 and INTO are offered to the hook before delivery (as to a VMX exception bitmap);
     * the runner ends the case there with that vector, which is what the native side sees as a
     * signal (the delivery itself, through the IDT, is not part of the comparison).
     */
    private static final class Trap extends RuntimeException {
        private static final long serialVersionUID = 1L;
        int vector;
        Trap() { super(null, null, false, false); }
    }
    private final Trap trap = new Trap();

    private final InterceptHook hook = new InterceptHook() {
        @Override public boolean instruction(InterceptInfo info) { return false; }
        @Override public void exception(int vector, int errorCode, long qualification, int softwareType) {
            trap.vector = vector;
            throw trap;
        }
        @Override public void tripleFault() {}
        @Override public void afterInstruction() {}
    };

    private final boolean lowAlias;

    /** The data pages seen at LOW too, as the harness maps them (16-bit addressing). */
    private long alias(long gpa) {
        return lowAlias && gpa >= Layout.LOW && gpa < Layout.LOW + Layout.DATA_SIZE ? gpa - Layout.LOW + Layout.DATA : gpa;
    }

    private final PhysicalMemory memory = new PhysicalMemory() {
        @Override public long read(long gpa0, int size, int type, long linear) {
            long gpa = alias(gpa0);
            check(gpa, size);
            long v = 0;
            for (int i = size - 1; i >= 0; i--) v = (v << 8) | (ram[(int) (gpa + i)] & 0xFF);
            return v;
        }
        @Override public void write(long gpa0, int size, long value, int type, long linear) {
            long gpa = alias(gpa0);
            check(gpa, size);
            // The native side watches the data pages beyond the window, so the engine does too.
            if (gpa + size > Layout.DATA + Layout.WINDOW && gpa < Layout.DATA + Layout.DATA_SIZE) outside = true;
            for (int i = 0; i < size; i++) ram[(int) (gpa + i)] = (byte) (value >>> (8 * i));
        }
        @Override public long compareAndExchange(long gpa, int size, long expected, long update, long linear) {
            long old = read(gpa, size, 0, linear);
            long mask = size == 8 ? -1L : (1L << (8 * size)) - 1;
            if (((old ^ expected) & mask) == 0) write(gpa, size, update, 1, linear);
            return old;
        }
    };

    private static void check(long gpa, int size) {
        boolean code = gpa >= Layout.CODE && gpa + size <= Layout.CODE + 4096;
        boolean data = gpa >= Layout.DATA && gpa + size <= Layout.DATA + Layout.DATA_SIZE;
        boolean tables = gpa >= TABLES && gpa + size <= TABLES + 3 * 4096;
        if (!code && !data && !tables) throw UNMAPPED;
    }

    /**
     * @param mode      64, 32 or 16
     * @param selectors the host's ES CS SS DS FS GS selectors (from the harness)
     * @param lowAlias  the data pages are also mapped at {@link Layout#LOW}
     */
    EngineRunner(int mode, int[] selectors, boolean lowAlias) {
        this.mode = mode;
        this.lowAlias = lowAlias;
        cpu = new Cpu(state, memory, hook, null);
        for (int i = 0; i < 6; i++) initialSegments[i] = new SegmentRegister();
        state.reset();
        state.cr0 = CpuState.CR0_PE | CpuState.CR0_ET | CpuState.CR0_NE;
        if (mode == 64) {
            long pml4 = TABLES, pdpt = TABLES + 0x1000, pd = TABLES + 0x2000;
            // Accessed and dirty bits preset, so the MMU never writes the tables during a case.
            poke(pml4, pdpt | 0x27);
            poke(pdpt, pd | 0x27);
            poke(pd, 0xE7); // 2-MiB page, present, writable, user, accessed, dirty
            state.cr3 = pml4;
            state.cr4 = CpuState.CR4_PAE;
            state.efer = CpuState.EFER_LME | CpuState.EFER_LMA | CpuState.EFER_SCE;
            state.cr0 |= CpuState.CR0_PG;
        }
        // The engine exposes the same features the host has where the decoder asks (XSAVE-enabled state).
        state.cr4 |= CpuState.CR4_OSFXSR;
        for (int i = 0; i < 6; i++) state.seg[i].set(selectors[i], 0, 0xFFFF_FFFF, 0xC0F3);
        state.seg(Segment.CS).set(selectors[1], 0, 0xFFFF_FFFF, mode == 64 ? 0xA0FB : 0xC0FB);
        if (mode == 64) state.seg(Segment.GS).base = Layout.GS_BASE; // as the harness sets it (arch_prctl)
        // 16-bit code: the harness's LDT code segment — base CODE, limit 64 KiB, D = 0, DPL 3.
        if (mode == 16) state.seg(Segment.CS).set(CODE16_SELECTOR, Layout.CODE, 0xFFFF, 0x00FB);
        // Linux's GDT where the cases can see it (user selectors 0x23, 0x2B, 0x33; kernel ones
        // DPL 0; a TSS at index 8; 16 entries), so segment loads meet the same descriptors.
        long gdt = TABLES + 0x400;
        long[] descriptors = {0, 0x00CF9B000000FFFFL, 0x00AF9B000000FFFFL, 0x00CF93000000FFFFL,
            0x00CFFB000000FFFFL, 0x00CFF3000000FFFFL, 0x00AFFB000000FFFFL, 0, 0x00008B0000000067L};
        for (int i = 0; i < descriptors.length; i++) poke(gdt + 8 * i, descriptors[i]);
        state.gdtrBase = gdt;
        state.gdtrLimit = 16 * 8 - 1;
        // The process's LDT: empty, except for the harness's 16-bit code segment in 16-bit runs.
        if (mode == 16) {
            long ldt = TABLES + 0x500;
            poke(ldt, 0x0000FB040000FFFFL); // base CODE (0x40000), limit 0xFFFF, 16-bit code, DPL 3
            state.seg(Segment.LDTR).set(0x30, ldt, 7, 0x82);
        } else {
            state.seg(Segment.LDTR).set(0, 0, 0, SegmentRegister.AR_UNUSABLE);
        }
        // A busy TSS without an I/O bitmap (map base beyond the limit), as a Linux process has
        // none granted: IN/OUT/INS/OUTS at CPL 3 with IOPL 0 then #GP (SDM Vol. 1 §19.5.2).
        long tss = TABLES + 0x800;
        ram[(int) tss + 0x66] = 0x68;
        state.seg(Segment.TR).set(0x40, tss, 0x67, 0x8B);
        for (int i = 0; i < 6; i++) initialSegments[i].copyFrom(state.seg[i]);
        cpu.flushTlb();
    }

    private void poke(long at, long v) { for (int i = 0; i < 8; i++) ram[(int) at + i] = (byte) (v >>> (8 * i)); }

    Outcome run(TestCase c) {
        java.util.Arrays.fill(ram, (int) Layout.CODE, (int) Layout.CODE + 0x80, (byte) 0xCC);
        System.arraycopy(c.code(), 0, ram, (int) Layout.CODE, c.code().length);
        java.util.Arrays.fill(ram, (int) Layout.DATA, (int) Layout.DATA + Layout.DATA_SIZE, (byte) 0);
        System.arraycopy(c.window(), 0, ram, (int) Layout.DATA, Layout.WINDOW);
        System.arraycopy(c.regs(), 0, state.gpr, 0, 16);
        state.setRflags(c.rflags());
        long start = mode == 16 ? 0 : Layout.CODE; // 16-bit code: IP 0 in a CS based at CODE
        state.rip = start;
        state.interruptibility = 0;
        for (int i = 0; i < 6; i++) state.seg[i].copyFrom(initialSegments[i]);
        outside = false;
        int vector = -1;
        try {
            // A REP string instruction runs one iteration per execution and leaves RIP on itself
            // until the count is exhausted (so interrupts can be taken between iterations, SDM
            // Vol. 2 REP): run it to completion, as the native side does.
            for (int i = 0; i < MAX_ITERATIONS; i++) {
                DecodedInstruction insn = cpu.decodeAt(state.rip);
                executor.execute(cpu, insn);
                if (state.rip != start) break;
            }
        } catch (CpuException e) {
            vector = e.vector;
        } catch (Unmapped e) {
            vector = 14;
        } catch (Trap e) {
            vector = e.vector;
        }
        long[] regs = state.gpr.clone();
        long flags = state.rflags();
        if (mode != 64) {
            for (int i = 0; i < 16; i++) regs[i] = i < 8 ? regs[i] & 0xFFFF_FFFFL : 0;
        }
        byte[] window = new byte[Layout.WINDOW];
        System.arraycopy(ram, (int) Layout.DATA, window, 0, Layout.WINDOW);
        // The harness records linear landing addresses.
        return new Outcome(regs, flags, state.rip + (mode == 16 ? Layout.CODE : 0), vector, outside, window);
    }
}
