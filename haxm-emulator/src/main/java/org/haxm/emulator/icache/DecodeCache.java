package org.haxm.emulator.icache;

import org.haxm.emulator.mem.CodePageTracker;

/**
 * The decoded-instruction cache: a direct-mapped table of {@link CodeBlock}s keyed by the
 * guest-physical address of the block's first instruction and the code size it was decoded for
 * (16, 32 or 64 — the only input of {@link org.haxm.emulator.decoder.Decoder} besides the bytes).
 *
 * <p><b>Why physical keys.</b> Linear addresses change meaning with CR3; physical addresses do not.
 * The CPU translates RIP's linear address through the MMU with the execute checks at every block
 * entry, so paging changes (MOV CR3, INVLPG, CR0/CR4/EFER) are honoured by the MMU's own flushing
 * and no rule here needs to know about them.
 *
 * <p><b>Why it is invisible to the guest.</b> A block remembers its page's word from the VM's
 * {@link CodePageTracker}; every write to guest-physical memory (guest stores on any VCPU, the
 * host through the API) moves that word on, so a lookup never returns a block whose bytes changed
 * (self- and cross-modifying code, SDM Vol. 3A §8.1.3). The engine calls {@link #invalidateAll()}
 * when the guest-physical mappings change (the same physical address may then hold other bytes).
 *
 * <p><b>Cost.</b> A lookup is an index computation, two compares and one tracker load; the table
 * has {@link #SIZE} slots, each reusing its block object, so the memory is bounded and nothing
 * is allocated after a slot's first build. Not thread-safe: one cache per CPU.
 */
public final class DecodeCache {
    /** Number of slots (a power of two). */
    public static final int SIZE = 4096;

    /** Hits after which a block counts as having paid for its build (resets the rebuild backoff). */
    private static final int REUSE_TO_FORGIVE = 64;

    private final CodeBlock[] slots = new CodeBlock[SIZE];
    private final CodePageTracker tracker;
    private long hits, builds;

    /** @param tracker the VM's code-page tracker that every guest-physical write path notifies */
    public DecodeCache(CodePageTracker tracker) {
        if (tracker == null) throw new IllegalArgumentException("tracker must not be null");
        this.tracker = tracker;
    }

    /** The tracker this cache validates against. */
    public CodePageTracker tracker() { return tracker; }

    private static int index(long gpa, int codeSize) {
        long h = gpa ^ (gpa >>> 12) * 0x9E37_79B9L ^ codeSize;
        return (int) (h ^ (h >>> 17)) & (SIZE - 1);
    }

    /** The valid block for ({@code gpa}, {@code codeSize}), or null. */
    public CodeBlock lookup(long gpa, int codeSize) {
        CodeBlock b = slots[index(gpa, codeSize)];
        if (b != null && b.gpa == gpa && b.codeSize == codeSize && b.version == tracker.version(gpa)) {
            hits++;
            b.hits++;
            return b;
        }
        return null;
    }

    /** True while {@code b} is published and its page was not written since it was built. */
    public boolean isCurrent(CodeBlock b) {
        return b.gpa != -1 && b.version == tracker.version(b.gpa);
    }

    /**
     * Starts (re)building the block for ({@code gpa}, {@code codeSize}): marks the page as holding
     * code <em>before</em> any byte is read, so a write that races with the decode invalidates it.
     * The block is empty (never found by {@link #lookup}) until {@link #publish} is called.
     */
    public CodeBlock begin(long gpa, int codeSize) {
        int i = index(gpa, codeSize);
        CodeBlock b = slots[i];
        if (b == null) slots[i] = b = new CodeBlock();
        // The same code again, soon: it is being rewritten, so build less of it next time.
        boolean again = b.lastGpa == gpa && b.codeSize == codeSize && b.hits < REUSE_TO_FORGIVE;
        b.rebuilds = again ? Math.min(b.rebuilds + 1, 6) : 0;
        b.lastGpa = gpa;
        b.hits = 0;
        b.gpa = -1;
        b.count = 0;
        b.length = 0;
        b.codeSize = codeSize;
        b.version = tracker.markCode(gpa);
        builds++;
        return b;
    }

    /** Decode slot {@code i} of a block being built (see {@link #begin}). */
    public static org.haxm.emulator.decoder.DecodedInstruction slot(CodeBlock b, int i) { return b.slot(i); }

    /**
     * Makes a built block findable; an empty block stays unpublished.
     *
     * @param systemEnd the last instruction may change CS, CPL or paging ({@link BlockRules})
     */
    public void publish(CodeBlock b, long gpa, int count, int length, boolean systemEnd) {
        if (count == 0) return;
        b.systemEnd = systemEnd;
        b.count = count;
        b.length = length;
        b.gpa = gpa;
    }

    /** Forgets every block (the guest-physical mappings changed). */
    public void invalidateAll() {
        for (CodeBlock b : slots) if (b != null) b.gpa = -1;
    }

    /** Block lookups that hit (for tests and benchmarks). */
    public long hits() { return hits; }

    /** Blocks built (for tests and benchmarks). */
    public long builds() { return builds; }
}
