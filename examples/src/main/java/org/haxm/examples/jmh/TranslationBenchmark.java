package org.haxm.examples.jmh;

import java.util.concurrent.TimeUnit;
import org.haxm.api.HaxExitStatus;
import org.haxm.examples.setup.GuestMode;
import org.haxm.examples.setup.GuestModeSetup;
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
 * Nanoseconds per guest load through both stages of translation: guest 32-bit paging
 * (linear to guest-physical, SDM Vol. 3A §4.3) and EPT (guest-physical to host, Vol. 3C §29.3),
 * in a guest run through the API.
 *
 * <p>The guest ({@link #CODE}) loads {@link #LOADS} times from {@code [ESI]}, adding EDX to ESI
 * after each load, then halts. {@link Pattern#SAME_PAGE} (EDX = 0) loads the same address every
 * time, so every translation after the first hits whatever caches the engine keeps.
 * {@link Pattern#SPREAD} (EDX = 4096) touches {@link #LOADS} different 4-KiB pages, 64 MiB, each
 * once per run — more pages than any translation cache of a plausible size covers, so each load
 * walks the guest page tables and the EPT. The two runs execute the same instructions; their
 * difference is the cost of a translation miss. Every run also includes one VM entry (which
 * flushes the caches, §27.3.2) and one HLT exit, spread over the {@link #LOADS} loads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TranslationBenchmark {

    /** Loads per run (and per benchmark invocation). */
    public static final int LOADS = 16_384;
    /** Guest-linear = guest-physical start of the loaded region, mapped with 4-KiB pages. */
    public static final int REGION = 0x100_0000;
    /**
     * Where this benchmark's page tables for the region go (inside the 4-MiB page at 4 MiB). Page
     * 0x4A0 and up: translation caches indexed by the low bits of the page number (such as the
     * engine's direct-mapped 256-entry ones) keep them apart from the code page 0x100.
     */
    static final int TABLES = 0x4A_0000;
    static final long RAM = REGION + (long) LOADS * 4096 + 0x10_0000;
    static final int ENTRY = 0x10_0000;

    /**
     * <pre>
     * start: lea esi, [ebx + REGION]  8D B3 disp32   (EBX = the pattern's start offset)
     *        mov ecx, LOADS           B9 imm32
     * loop:  mov eax, [esi]           8B 06
     *        add esi, edx             01 D6          (EDX = the pattern's stride)
     *        dec ecx                  49
     *        jnz loop                 75 F9
     *        hlt                      F4
     *        jmp start                EB EB
     * </pre>
     */
    static final byte[] CODE = {
        (byte) 0x8D, (byte) 0xB3, 0x00, 0x00, 0x00, 0x01,
        (byte) 0xB9, 0x00, 0x40, 0x00, 0x00,
        (byte) 0x8B, 0x06,
        0x01, (byte) 0xD6,
        0x49,
        0x75, (byte) 0xF9,
        (byte) 0xF4,
        (byte) 0xEB, (byte) 0xEB};
    /**
     * Instructions a run after the first retires: the JMP back from the last run's HLT, two
     * set-up moves, four per load. The HLT itself ends in a VM exit and does not retire.
     */
    static final long INSTRUCTIONS_PER_RUN = 1 + 2 + 4L * LOADS;

    /** Which addresses the loads touch. */
    public enum Pattern {
        /**
         * Every load from the same address: translation-cache hits. The page is 0x80 pages into
         * the region, so that its page number's low 8 bits differ from the code page's: at the
         * region's first page (number 0x1000) a direct-mapped cache indexed by them would evict
         * the code's translation on every load and the code's the load's.
         */
        SAME_PAGE(0x80 * 4096, 0),
        /** Each load from the next 4-KiB page: translation-cache misses. */
        SPREAD(0, 4096);

        final int start;
        final int stride;

        Pattern(int start, int stride) {
            this.start = start;
            this.stride = stride;
        }
    }

    /** The address pattern. */
    @Param
    public Pattern pattern;

    private ApiGuest guest;
    private HaxExitStatus last;

    /** Builds the VM, its page tables and the guest, and checks that one run halts. */
    @Setup(Level.Trial)
    public void setUp() {
        guest = newGuest(pattern);
        HaxExitStatus first = guest.vcpu().run();
        if (first != HaxExitStatus.HLT) {
            throw new IllegalStateException("guest did not halt: " + first + " " + guest.vcpu().stopReason());
        }
    }

    /**
     * A paged 32-bit guest whose page directory (from {@link GuestModeSetup}, PAGED32) gets its
     * entries for the region replaced by page tables of 4-KiB identity-mapped pages (PDE/PTE bits
     * P and R/W, SDM Vol. 3A §4.3 Tables 4-5/4-6), so that each page of the region is a
     * translation of its own.
     */
    static ApiGuest newGuest(Pattern pattern) {
        ApiGuest g = new ApiGuest(GuestMode.PAGED32, RAM, ENTRY, CODE);
        int tables = LOADS / 1024;
        for (int t = 0; t < tables; t++) {
            int table = TABLES + t * 4096;
            int pde = (REGION >>> 22) + t;
            g.writeInt(GuestModeSetup.PAGING_ROOT + 4L * pde, table | 3);
            for (int i = 0; i < 1024; i++) {
                g.writeInt(table + 4L * i, (REGION + (t * 1024 + i) * 4096) | 3);
            }
        }
        g.setRegister(3, pattern.start);  // EBX
        g.setRegister(2, pattern.stride); // EDX
        return g;
    }

    /** One run of the guest: {@link #LOADS} loads and a HLT exit. */
    @Benchmark
    @OperationsPerInvocation(LOADS)
    public HaxExitStatus load() {
        last = guest.vcpu().run();
        return last;
    }

    /** Fails the run if a run ended in anything but the guest's HLT (e.g. a stopped VCPU). */
    @TearDown(Level.Iteration)
    public void checkHalted() {
        if (last != HaxExitStatus.HLT) {
            throw new IllegalStateException("guest run ended in " + last + ": " + guest.vcpu().stopReason());
        }
    }

    /** Frees the VM. */
    @TearDown(Level.Trial)
    public void tearDown() {
        guest.close();
    }
}
