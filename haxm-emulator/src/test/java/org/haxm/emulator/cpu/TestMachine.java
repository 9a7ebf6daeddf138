package org.haxm.emulator.cpu;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.CpuException;

/** A CPU over {@link TestMemory} with helpers to build descriptor tables and enter each mode. */
public final class TestMachine {
    public final CpuState state = new CpuState();
    public final TestMemory mem = new TestMemory();
    public final RecordingHook hook = new RecordingHook(state);
    public final Cpu cpu;

    public static final long GDT = 0x1000, IDT = 0x2000, TSS = 0x3000;

    public TestMachine() {
        state.reset();
        cpu = new Cpu(state, mem, hook, null);
    }

    /** An 8-byte code/data descriptor: {@code access} = P|DPL|S|type byte, {@code flags} = G|D/B|L|AVL nibble. */
    public static long descriptor(long base, int limit, int access, int flags) {
        return (limit & 0xFFFFL) | ((base & 0xFFFFFFL) << 16) | ((long) (access & 0xFF) << 40)
            | ((long) ((limit >>> 16) & 0xF) << 48) | ((long) (flags & 0xF) << 52) | (((base >>> 24) & 0xFF) << 56);
    }

    public static long gate32(int selector, long offset, int type, int dpl) {
        return (offset & 0xFFFF) | ((long) selector << 16) | ((long) (0x80 | (dpl << 5) | type) << 40)
            | ((offset & 0xFFFF0000L) << 32);
    }

    public void setGdt(int index, long descriptor) { mem.put(GDT + index * 8L, 8, descriptor); }

    /**
     * Flat 32-bit protected mode at CPL 0: GDT 1 = code (0x08), 2 = data (0x10), 3 = DPL-3 code
     * (0x1B), 4 = DPL-3 data (0x23), 5 = 32-bit TSS (0x28), 6 = 64-bit code (0x30).
     */
    public void protectedMode32() {
        setGdt(1, descriptor(0, 0xFFFFF, 0x9A, 0xC));
        setGdt(2, descriptor(0, 0xFFFFF, 0x92, 0xC));
        setGdt(3, descriptor(0, 0xFFFFF, 0xFA, 0xC));
        setGdt(4, descriptor(0, 0xFFFFF, 0xF2, 0xC));
        setGdt(5, descriptor(TSS, 0x67, 0x89, 0x0));
        setGdt(6, descriptor(0, 0xFFFFF, 0x9A, 0xA));
        state.gdtrBase = GDT; state.gdtrLimit = 16 * 8 - 1;
        state.idtrBase = IDT; state.idtrLimit = 256 * 8 - 1;
        state.cr0 |= CpuState.CR0_PE;
        Segmentation.fromDescriptor(state.seg(Segment.CS), 0x08, descriptor(0, 0xFFFFF, 0x9B, 0xC));
        for (Segment s : new Segment[] {Segment.SS, Segment.DS, Segment.ES, Segment.FS, Segment.GS}) {
            Segmentation.fromDescriptor(state.seg(s), 0x10, descriptor(0, 0xFFFFF, 0x93, 0xC));
        }
        Segmentation.fromDescriptor(state.seg(Segment.TR), 0x28, descriptor(TSS, 0x67, 0x8B, 0x0));
    }

    /** Switches the current privilege to 3 with flat DPL-3 segments. */
    public void userMode() {
        Segmentation.fromDescriptor(state.seg(Segment.CS), 0x1B, descriptor(0, 0xFFFFF, 0xFB, 0xC));
        Segmentation.fromDescriptor(state.seg(Segment.SS), 0x23, descriptor(0, 0xFFFFF, 0xF3, 0xC));
    }

    /** Runs {@code action} and returns the CpuException it throws (fails if none). */
    public CpuException expectFault(Runnable action) {
        try {
            action.run();
        } catch (CpuException e) {
            return e;
        }
        throw new AssertionError("expected a CPU exception");
    }
}
