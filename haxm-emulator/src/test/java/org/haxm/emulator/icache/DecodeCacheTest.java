package org.haxm.emulator.icache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.mem.CodePageTracker;
import org.haxm.emulator.mem.PhysicalMemory;
import org.junit.jupiter.api.Test;

/**
 * The decode cache must be invisible: code written after it was decoded runs as written
 * (self-modifying code in the same block and in another block, cross-modifying code from another
 * CPU and from the host), a paging change plus INVLPG runs the newly mapped code, and the same
 * bytes at the same physical address decode differently in 32- and 64-bit code. Each test first
 * runs the code once so it is cached (asserting the cache was used), then changes it.
 *
 * <p>The programs were assembled with NASM from the source shown next to each.
 */
class DecodeCacheTest {
    private static final long CODE = 0x1000, PML4 = 0x70000, PDPT = 0x71000, PD = 0x72000, PT = 0x73000;

    /** 1 MiB of RAM shared by the CPUs of one test. */
    static final class Ram implements PhysicalMemory {
        final byte[] bytes = new byte[1 << 20];
        @Override public long read(long gpa, int size, int type, long linear) {
            long v = 0;
            for (int i = size - 1; i >= 0; i--) v = (v << 8) | (bytes[(int) (gpa + i)] & 0xFF);
            return v;
        }
        @Override public void write(long gpa, int size, long value, int type, long linear) {
            for (int i = 0; i < size; i++) bytes[(int) (gpa + i)] = (byte) (value >>> (8 * i));
        }
        @Override public long compareAndExchange(long gpa, int size, long expected, long update, long linear) {
            long old = read(gpa, size, 0, linear);
            if (old == expected) write(gpa, size, update, 1, linear);
            return old;
        }
        void put(long at, String hex) {
            for (int i = 0; i < hex.length() / 2; i++) bytes[(int) at + i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
    }

    final Ram ram = new Ram();
    final CodePageTracker tracker = new CodePageTracker();

    /** Page tables: 0..2 MiB identity (one 2-MiB page); linear 0x400000 -> 4-KiB page at 0x10000. */
    void pageTables() {
        ram.write(PML4, 8, PDPT | 3, 0, 0);
        ram.write(PDPT, 8, PD | 3, 0, 0);
        ram.write(PD, 8, 0x83, 0, 0);
        ram.write(PD + 2 * 8, 8, PT | 3, 0, 0);
        ram.write(PT, 8, 0x10000 | 3, 0, 0);
    }

    /** A CPU in 64-bit mode at CPL 0 on {@link #ram}, RIP = {@code rip}, RSP = 0x8000. */
    Cpu cpu64(long rip) {
        CpuState s = new CpuState();
        s.reset();
        s.cr3 = PML4;
        s.cr4 = CpuState.CR4_PAE;
        s.efer = CpuState.EFER_LME | CpuState.EFER_LMA;
        s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET | CpuState.CR0_NE | CpuState.CR0_PG;
        for (int i = 0; i < 6; i++) s.seg[i].set(0x10, 0, 0xFFFF_FFFF, 0xC093);
        s.seg(Segment.CS).set(0x08, 0, 0xFFFF_FFFF, 0xA09B);
        s.rip = rip;
        s.gpr[4] = 0x8000;
        Cpu cpu = new Cpu(s, ram, null, null, tracker);
        cpu.flushTlb();
        return cpu;
    }

    /** Runs from {@code rip} to HLT (bounded). */
    static void runFrom(Cpu cpu, long rip) {
        cpu.state().rip = rip;
        cpu.state().activityState = CpuState.ACTIVE;
        cpu.run(1000);
        assertEquals(CpuState.HLT, cpu.state().activityState, "program reached HLT");
    }

    @Test void storeIntoTheNextInstructionOfTheSameBlockTakesEffect() {
        pageTables();
        // mov byte [rel patch+1], 5 / patch: mov eax, 1 / hlt
        ram.put(CODE, "c6050100000005b801000000f4");
        Cpu cpu = cpu64(CODE);
        // First, run only the last two instructions so the block starting at 'patch' is cached.
        runFrom(cpu, CODE + 7);
        assertEquals(1, cpu.state().gpr[0]);
        runFrom(cpu, CODE + 7);
        assertTrue(cpu.decodeCache().hits() > 0, "the cached block was used");
        // Now the store, decoded in the same block as the instruction it patches.
        runFrom(cpu, CODE);
        assertEquals(5, cpu.state().gpr[0], "mov eax, 1 was patched to mov eax, 5 before it ran");
    }

    @Test void storeIntoAnotherCachedBlockTakesEffect() {
        pageTables();
        // call f / mov ebx, eax / mov byte [rel f+1], 7 / call f / hlt / f: mov eax, 1 / ret
        ram.put(CODE, "e80f00000089c3c6050700000007e801000000f4b801000000c3");
        Cpu cpu = cpu64(CODE);
        runFrom(cpu, CODE);
        assertEquals(1, cpu.state().gpr[3], "first call ran the original f");
        assertEquals(7, cpu.state().gpr[0], "second call ran the patched f");
    }

    @Test void anotherCpuSharingTheTrackerInvalidatesCachedCode() {
        pageTables();
        ram.put(CODE, "b801000000f4");                 // mov eax, 1 / hlt
        ram.put(0x2000, "c604250110000009f4");         // mov byte [abs 0x1001], 9 / hlt
        Cpu a = cpu64(CODE), b = cpu64(0x2000);
        runFrom(a, CODE);
        runFrom(a, CODE);
        assertEquals(1, a.state().gpr[0]);
        assertTrue(a.decodeCache().hits() > 0, "the cached block was used");
        runFrom(b, 0x2000);
        runFrom(a, CODE);
        assertEquals(9, a.state().gpr[0], "A ran the bytes B wrote");
    }

    @Test void hostWriteNotedWithTheTrackerInvalidatesCachedCode() {
        pageTables();
        ram.put(CODE, "b801000000f4");                 // mov eax, 1 / hlt
        Cpu cpu = cpu64(CODE);
        runFrom(cpu, CODE);
        runFrom(cpu, CODE);
        assertTrue(cpu.decodeCache().hits() > 0, "the cached block was used");
        ram.bytes[(int) CODE + 1] = 3;                 // the host patches the immediate ...
        tracker.noteWrite(CODE + 1, 1);                // ... and reports it, as every write path does
        runFrom(cpu, CODE);
        assertEquals(3, cpu.state().gpr[0]);
    }

    @Test void remappedCodePageRunsTheNewCodeAfterInvlpg() {
        pageTables();
        ram.put(0x10000, "b801000000c3");              // mov eax, 1 / ret
        ram.put(0x11000, "b802000000c3");              // mov eax, 2 / ret
        // mov rax, 0x400000 / call rax / mov ebx, eax / mov qword [abs PT], 0x11003 /
        // invlpg [abs 0x400000] / mov rax, 0x400000 / call rax / hlt
        ram.put(CODE, "b800004000ffd089c348c7042500300700031001000f013c2500004000b800004000ffd0f4");
        Cpu cpu = cpu64(CODE);
        runFrom(cpu, CODE);
        assertEquals(1, cpu.state().gpr[3], "linear 0x400000 ran the code at 0x10000");
        assertEquals(2, cpu.state().gpr[0], "after the PTE change and INVLPG it ran the code at 0x11000");
    }

    @Test void sameBytesDecodeByCodeSize() {
        pageTables();
        // 48 FF C0 F4: 64-bit "inc rax; hlt"; 32-bit "dec eax; inc eax; hlt".
        ram.put(CODE, "48ffc0f4");
        Cpu cpu = cpu64(CODE);
        runFrom(cpu, CODE);
        assertEquals(1, cpu.state().gpr[0], "64-bit: inc rax");
        cpu.state().seg(Segment.CS).set(0x08, 0, 0xFFFF_FFFF, 0xC09B); // compatibility mode, 32-bit code
        runFrom(cpu, CODE);
        assertEquals(1, cpu.state().gpr[0], "32-bit: dec eax, inc eax");
        assertEquals(5, cpu.state().instructionsRetired, "2 instructions retired in 64-bit code, 3 in 32-bit code");
    }

    @Test void runningCachedCodeAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
            "per-thread allocation counters not available: skipping");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        pageTables();
        // .l: add rax, rcx / xor rax, 0x55 / mov [rsp-8], rax / push rax / pop rdx / cmp rdx, rax /
        //     jne .l / dec rcx / jnz .l / hlt   (ADD/XOR/MOV/PUSH/POP/CMP/Jcc/DEC: lazy flags, memory, blocks)
        ram.put(CODE, "4801c84883f05548894424f8505a4839c275ed48ffc975e8f4");
        Cpu cpu = cpu64(CODE);
        cpu.state().gpr[1] = 100;
        runFrom(cpu, CODE);                               // warm-up: blocks built, classes initialised
        long tid = Thread.currentThread().getId();
        cpu.state().gpr[1] = 20_000;
        long before = threads.getThreadAllocatedBytes(tid);
        cpu.state().rip = CODE;
        cpu.state().activityState = CpuState.ACTIVE;
        long retired = cpu.run(1_000_000);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertEquals(20_000 * 9 + 1, retired, "the loop ran to its HLT");
        // A few bytes of slack for the counter itself; one allocation per instruction would be > 1 MB.
        assertTrue(allocated < 1024, "running cached code allocated " + allocated + " bytes");
    }
}
