package org.haxm.examples.jmh;

import java.util.concurrent.TimeUnit;
import org.haxm.emulator.Cpu;
import org.haxm.emulator.InterceptHook;
import org.haxm.emulator.PortBus;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per guest instruction for one {@link InstructionClass} at a time, executed by the
 * bare emulator {@link Cpu} (no VMX hook, no EPT) in flat 32-bit protected mode over a
 * {@link FlatMemory}: the cost of decode + execute for that class and nothing else.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExecutionBenchmark {

    /** Instructions per benchmark invocation. */
    public static final int STEPS = 100_000;
    /** Stack top, source and destination of the memory-touching classes. */
    static final int STACK_TOP = 0x8_0000, SOURCE = 0x2_0000, DESTINATION = 0x3_0000;
    static final int MEMORY_SIZE = 1 << 20;

    /** The class of instruction to run. */
    @Param
    public InstructionClass kind;

    private Cpu cpu;

    /** Builds the CPU and places the class's loop in memory. */
    @Setup(Level.Trial)
    public void setUp() {
        cpu = newCpu(kind);
    }

    /**
     * A CPU in flat 32-bit protected mode (CPL 0, no paging, interrupts off) about to run
     * {@code kind}'s loop. Segment state is written straight into the descriptor caches, in the
     * VMCS access-rights format {@code CpuState} uses (SDM Vol. 3C §25.4.1): no GDT is needed
     * because nothing reloads a segment register.
     */
    static Cpu newCpu(InstructionClass kind) {
        FlatMemory memory = new FlatMemory(MEMORY_SIZE);
        memory.load(InstructionClass.CODE_ADDRESS, kind.code());
        memory.write(SOURCE, 4, 0x1234_5678, 0, -1);
        CpuState s = new CpuState();
        s.reset();
        s.cr0 |= CpuState.CR0_PE;
        s.seg(Segment.CS).set(0x08, 0, 0xFFFF_FFFF, 0xC09B); // G, D, P, code execute/read accessed
        for (Segment seg : new Segment[] {Segment.SS, Segment.DS, Segment.ES, Segment.FS, Segment.GS}) {
            s.seg(seg).set(0x10, 0, 0xFFFF_FFFF, 0xC093);    // G, B, P, data read/write accessed
        }
        s.setRflags(0x2);
        s.rip = InstructionClass.loopStart();
        s.gpr[0] = 1;          // EAX
        s.gpr[2] = 0;          // EDX: DIV's high half
        s.gpr[3] = 7;          // EBX: divisor and multiplier
        s.gpr[4] = STACK_TOP;  // ESP
        s.gpr[6] = SOURCE;     // ESI
        s.gpr[7] = DESTINATION; // EDI
        return new Cpu(s, memory, InterceptHook.NONE, PortBus.EMPTY);
    }

    /**
     * Fails the run if the loop stopped (a fault escalated to shutdown, or a HLT): a stopped CPU
     * returns at once and would report an absurdly small time per instruction.
     */
    @TearDown(Level.Iteration)
    public void checkStillRunning() {
        if (cpu.state().activityState != CpuState.ACTIVE) {
            throw new IllegalStateException(kind + " loop stopped: activity state " + cpu.state().activityState
                    + " at rip 0x" + Long.toHexString(cpu.state().rip));
        }
    }

    /** The CPU under measurement (for tests). */
    Cpu cpu() {
        return cpu;
    }

    /** Runs {@link #STEPS} instructions of the class. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public long instruction() {
        return cpu.run(STEPS);
    }
}
