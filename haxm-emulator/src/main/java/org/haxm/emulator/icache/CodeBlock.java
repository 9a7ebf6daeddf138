package org.haxm.emulator.icache;

import org.haxm.emulator.decoder.DecodedInstruction;

/**
 * A run of instructions decoded once: straight-line code starting at one guest-physical address,
 * all inside one 4 KiB page, decoded for one code size.
 *
 * <p>A block is valid while the {@link org.haxm.emulator.mem.CodePageTracker} still returns the
 * {@link #version} it was built under for its page. The {@link DecodeCache} slot that holds a block
 * reuses it (and its {@link DecodedInstruction}s) when it is rebuilt, so only the first build of a
 * slot allocates.
 */
public final class CodeBlock {
    /** At most this many instructions per block (a bound on build work for code that is never run). */
    public static final int MAX_INSTRUCTIONS = 64;

    /** Guest-physical address of the first instruction, or -1 while the block is empty. */
    long gpa = -1;
    /** The code size (16, 32, 64) the bytes were decoded for. */
    int codeSize;
    /** The page word of the tracker when the block was built. */
    int version;
    /** Number of instructions; 0..{@link #MAX_INSTRUCTIONS}. */
    int count;
    /** Total length in bytes (the CS-limit check at block entry covers all of them). */
    int length;
    /** The gpa this slot was last built for (kept while the block is invalid) and how often in a
     *  row it was rebuilt for that gpa without being used much in between. */
    long lastGpa = -1;
    int rebuilds;
    /** The CPU's serialization epoch in which the bytes were last known to match memory. */
    long checkedEpoch;
    /** Lookups that found this block since it was built. */
    int hits;
    /** The last instruction ends the block for a reason other than being a near branch. */
    boolean systemEnd;
    private DecodedInstruction[] insns = new DecodedInstruction[4];

    /**
     * How many instructions a build may decode: {@link #MAX_INSTRUCTIONS}, halved for every
     * rebuild in a row of the same code. Code on a page that is written all the time (data or a
     * stack next to code) is then decoded an instruction or two at a time instead of a page at a
     * time for each execution.
     */
    public int buildLimit() { return Math.max(1, MAX_INSTRUCTIONS >> rebuilds); }

    /** The serialization epoch in which the block's bytes were last compared with memory. */
    public long checkedEpoch() { return checkedEpoch; }

    /** Records that the bytes matched memory in {@code epoch}. */
    public void checked(long epoch) { checkedEpoch = epoch; }

    /** Number of decoded instructions. */
    public int count() { return count; }

    /** Total length in bytes of the instructions. */
    public int length() { return length; }

    /** True when the last instruction may change CS, CPL, paging or the interrupt state (not a near branch). */
    public boolean endsWithSystemInstruction() { return systemEnd; }

    /** Guest-physical address of the first instruction. */
    public long gpa() { return gpa; }

    /** Instruction {@code i} (0-based, in execution order); read-only for callers. */
    public DecodedInstruction instruction(int i) { return insns[i]; }

    /** The next slot to decode into, growing the array the first time it is needed. */
    DecodedInstruction slot(int i) {
        if (i >= insns.length) insns = java.util.Arrays.copyOf(insns, Math.min(MAX_INSTRUCTIONS, insns.length * 2));
        DecodedInstruction d = insns[i];
        if (d == null) insns[i] = d = new DecodedInstruction();
        return d;
    }
}
