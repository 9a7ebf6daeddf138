package org.haxm.emulator.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.concurrent.CyclicBarrier;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.exec.Executor;
import org.haxm.emulator.mem.PhysicalMemory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * LOCK read-modify-writes are atomic across processors (SDM Vol. 3A §9.1.2.2): two CPUs on two
 * threads share one memory whose every single access is atomic but which has no notion of a
 * locked sequence; each CPU increments the same dword many times with one locked instruction.
 * No update may be lost, which holds only if the instruction's read-modify-write goes through
 * {@link PhysicalMemory#compareAndExchange} (and retries) instead of a read followed by a write.
 */
class LockAtomicityTest {
    private static final int ITERATIONS = 20_000;
    private static final long COUNTER = 0x2000;

    /** Memory where each access is atomic on its own (synchronized), as RAM is. */
    private static final class SharedMemory implements PhysicalMemory {
        final byte[] ram = new byte[0x10000];
        @Override public synchronized long read(long gpa, int size, int type, long linear) {
            long v = 0;
            for (int i = size - 1; i >= 0; i--) v = (v << 8) | (ram[(int) (gpa + i)] & 0xFF);
            return v;
        }
        @Override public synchronized void write(long gpa, int size, long value, int type, long linear) {
            for (int i = 0; i < size; i++) ram[(int) (gpa + i)] = (byte) (value >>> (8 * i));
        }
        @Override public synchronized long compareAndExchange(long gpa, int size, long expected, long update, long linear) {
            long old = read(gpa, size, 0, linear);
            long mask = size == 8 ? -1L : (1L << (8 * size)) - 1;
            if (((old ^ expected) & mask) == 0) write(gpa, size, update, 1, linear);
            return old;
        }
    }

    /** One CPU in flat 32-bit protected mode at CPL 0, running {@code code} at 0x1000 repeatedly. */
    private static Runnable worker(SharedMemory mem, String codeHex, long eax, CyclicBarrier start) {
        CpuState s = new CpuState();
        s.reset();
        s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET | CpuState.CR0_NE;
        for (int i = 0; i < 6; i++) s.seg[i].set(0x10, 0, 0xFFFF_FFFF, 0xC093);
        s.seg(Segment.CS).set(0x08, 0, 0xFFFF_FFFF, 0xC09B);
        Cpu cpu = new Cpu(s, mem, null, null);
        Executor executor = new Executor();
        byte[] code = HexFormat.of().parseHex(codeHex);
        return () -> {
            try {
                start.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < ITERATIONS; i++) {
                s.rip = 0x1000;
                s.gpr[0] = eax;
                s.gpr[3] = COUNTER;
                s.setRflags(0x2);
                DecodedInstruction insn = cpu.decodeAt(s.rip);
                executor.execute(cpu, insn);
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "lock inc dword [ebx],       f0ff03,     0",
        "lock add dword [ebx] 1,     f0830301,   0",
        "lock sub dword [ebx] -1,    f0832bff,   0",
        "lock adc dword [ebx] 1,     f0831301,   0",
        "lock xadd dword [ebx] eax,  f00fc103,   1",
        "lock add word [ebx] 1,      f066830301,   0",
    })
    void noUpdateIsLost(String name, String code, long eax) throws Exception {
        SharedMemory mem = new SharedMemory();
        byte[] c = HexFormat.of().parseHex(code);
        System.arraycopy(c, 0, mem.ram, 0x1000, c.length);
        CyclicBarrier start = new CyclicBarrier(2);
        Thread a = new Thread(worker(mem, code, eax, start));
        Thread b = new Thread(worker(mem, code, eax, start));
        a.start();
        b.start();
        a.join();
        b.join();
        long counter = mem.read(COUNTER, 4, 0, COUNTER);
        assertEquals(2L * ITERATIONS, counter, name);
    }
}
