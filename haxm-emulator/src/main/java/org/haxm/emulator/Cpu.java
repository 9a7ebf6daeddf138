package org.haxm.emulator;

import org.haxm.emulator.cpu.ControlRegisters;
import org.haxm.emulator.cpu.ControlTransfer;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.ModelSpecificRegisters;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.cpu.Segmentation;
import org.haxm.emulator.decoder.CodeFetcher;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Decoder;
import org.haxm.emulator.event.EventDelivery;
import org.haxm.emulator.event.EventType;
import org.haxm.emulator.exec.Executor;
import org.haxm.emulator.icache.BlockRules;
import org.haxm.emulator.icache.CodeBlock;
import org.haxm.emulator.icache.DecodeCache;
import org.haxm.emulator.mem.AccessType;
import org.haxm.emulator.mem.CodePageTracker;
import org.haxm.emulator.mem.PhysicalMemory;
import org.haxm.emulator.mmu.Mmu;

/**
 * One logical processor: its architectural state plus the machinery that gives the state meaning
 * — segmentation ({@link Segmentation}), paging ({@link Mmu}), far control transfers
 * ({@link ControlTransfer}), control registers and MSRs, and event delivery ({@link EventDelivery}).
 *
 * <p>This class is the facade the execution core and the engine talk to. It runs guest code
 * instruction by instruction: fetch through CS:RIP, decode, execute, and turn every
 * {@link CpuException} into an exception delivered to the guest (SDM Vol. 3A ch. 6).
 * {@link InstructionAbort} (a VM exit) is never caught. Nothing here allocates per instruction.
 *
 * <p><b>Decode once.</b> {@link #run} does not decode an instruction each time it executes it.
 * At a block entry it translates CS:RIP (segmentation with the execute checks, then paging through
 * the MMU — so CR3, INVLPG and mode changes are honoured by the MMU's own flushing), and looks up
 * the guest-physical address and code size in a {@link DecodeCache}. A miss decodes straight-line
 * code up to the end of the 4 KiB page, a block-ending instruction ({@link BlockRules}), an
 * instruction that would fault in decode or fetch, or {@link CodeBlock#MAX_INSTRUCTIONS}. The
 * instructions of the block then run one by one with exactly the per-instruction semantics of
 * {@link #step} (fault restart at the faulting instruction, STI/MOV SS shadow, TF traps,
 * {@link InterceptHook#afterInstruction()}); the block is left as soon as RIP is not where the next
 * cached instruction starts, or a write hit any cached code page and this block's page is no longer
 * current (a store into the next instruction takes effect before it is fetched, SDM Vol. 3A
 * §8.1.3). Anything unusual at block entry (a fault on the translation, the CS limit cutting the
 * block short) falls back to {@link #step}'s fetch-decode-execute, which raises the fault exactly
 * as before. Guest-physical writes are reported to the VM's {@link CodePageTracker} by the MMU;
 * the engine calls {@link #invalidateDecodeCache()} when guest-physical mappings change.
 */
public final class Cpu {
    private static final int SS = Segment.SS.ordinal(), CS = Segment.CS.ordinal();

    private final CpuState state;
    private PhysicalMemory memory;
    private InterceptHook hook;
    private final PortBus ports;
    private final InterceptInfo info = new InterceptInfo();
    private final CpuException exception = new CpuException();

    private final Mmu mmu;
    private final Segmentation segmentation;
    private final ControlTransfer transfer;
    private final ControlRegisters controlRegisters;
    private final ModelSpecificRegisters msrs;
    private final EventDelivery events;

    private final Decoder decoder = new Decoder();
    private final DecodedInstruction insn = new DecodedInstruction();
    private final DecodedInstruction traceInsn = new DecodedInstruction();
    private final Fetcher fetcher = new Fetcher();
    private final Executor executor = new Executor();
    private final CodePageTracker codePages;
    private final DecodeCache decodeCache;
    private boolean decodeCacheEnabled = true;

    /*
     * The code-page translation of the last 64-bit block entry, so the next entry on the same
     * linear page skips segmentation and the MMU. Valid while the control registers are the ones
     * it was made under and nothing that can change CS, CPL or paging has happened since: every
     * such instruction ends its block as a "system" end, and exceptions, events, fetch-decode
     * steps, TLB flushes and a new run() clear it. (A guest that edits a page-table entry without
     * INVLPG may see the old translation: the SDM permits that, Vol. 3A §4.10.4.)
     */
    private boolean memoValid;

    /*
     * Serialization epoch: a host that shares guest RAM may write code without telling the
     * tracker. A serializing event (VM entry, SDM Vol. 3A §8.1.3 asks cross-modifying code to be
     * followed by one) moves the epoch on, and a block is compared with memory once before its
     * first use in a new epoch.
     */
    private long serialEpoch;
    private long memoLinearPage, memoPhysicalPage, memoCr0, memoCr3, memoCr4, memoEfer;

    private boolean eventCheck;
    /** RIP of the instruction being executed (valid while {@link #inInstruction}). */
    private long instructionRip;
    private boolean inInstruction;
    /** The hook took a VM exit for the current instruction (see {@link #instructionExited()}). */
    private boolean instructionExit;
    /** See {@link #stepsTaken()}. */
    private long stepsTaken;

    /**
     * @param state  the architectural state (not copied)
     * @param memory guest-physical memory
     * @param hook   interception hook, or null for {@link InterceptHook#NONE}
     * @param ports  port I/O bus, or null for {@link PortBus#EMPTY}
     */
    public Cpu(CpuState state, PhysicalMemory memory, InterceptHook hook, PortBus ports) {
        this(state, memory, hook, ports, new CodePageTracker());
    }

    /**
     * A processor of a machine whose other writers of guest-physical memory (other CPUs, the host)
     * report their writes to {@code codePages}.
     *
     * @param codePages the machine's code-page tracker (one per VM, shared by its CPUs)
     */
    public Cpu(CpuState state, PhysicalMemory memory, InterceptHook hook, PortBus ports, CodePageTracker codePages) {
        if (codePages == null) throw new IllegalArgumentException("codePages must not be null");
        this.codePages = codePages;
        this.decodeCache = new DecodeCache(codePages);
        if (state == null) throw new IllegalArgumentException("state must not be null");
        if (memory == null) throw new IllegalArgumentException("memory must not be null");
        this.state = state;
        this.memory = memory;
        this.hook = hook == null ? InterceptHook.NONE : hook;
        this.ports = ports == null ? PortBus.EMPTY : ports;
        this.mmu = new Mmu(state, memory, exception);
        mmu.setCodePageTracker(codePages);
        this.segmentation = new Segmentation(this);
        this.transfer = new ControlTransfer(this, segmentation);
        this.controlRegisters = new ControlRegisters(this, mmu, segmentation);
        this.msrs = new ModelSpecificRegisters(this, controlRegisters);
        this.events = new EventDelivery(this, segmentation);
    }

    public CpuState state() { return state; }
    public PhysicalMemory memory() { return memory; }
    public InterceptHook hook() { return hook; }
    public PortBus ports() { return ports; }
    /** The paging unit (for the engine and tests). */
    public Mmu mmu() { return mmu; }
    /** The tracker this CPU's writes are reported to and its decode cache validates against. */
    public CodePageTracker codePages() { return codePages; }
    /** The decoded-instruction cache (for tests and benchmarks). */
    public DecodeCache decodeCache() { return decodeCache; }

    public void setMemory(PhysicalMemory m) {
        if (m == null) throw new IllegalArgumentException("memory must not be null");
        this.memory = m;
        mmu.setMemory(m);
        memoValid = false;
        decodeCache.invalidateAll();
    }

    /** Forgets every decoded block: call when the guest-physical mappings change. */
    public void invalidateDecodeCache() {
        memoValid = false;
        decodeCache.invalidateAll();
    }

    /**
     * A serializing event after which bytes written without notice to the tracker must be seen
     * (the engine calls it at VM entry when the host shares guest RAM): each cached block is
     * compared with memory before its next use, and rebuilt if it differs.
     */
    public void revalidateDecodedCode() {
        serialEpoch++;
        memoValid = false;
    }

    /** Turns the decode cache on (default) or off (every instruction fetched and decoded; for comparison). */
    public void setDecodeCacheEnabled(boolean on) { decodeCacheEnabled = on; }

    public void setHook(InterceptHook h) { this.hook = h == null ? InterceptHook.NONE : h; }

    /** The one reusable {@link InterceptInfo} the execution core fills before calling the hook. */
    public InterceptInfo interceptInfo() { return info; }

    // ------------------------------------------------------------------------------------------
    // Running

    /**
     * Runs until {@code maxInstructions} steps were taken, or the processor halts (HLT) or shuts
     * down. A step that ends in exception delivery counts against the budget but is not retired.
     *
     * Returns early when the hook took an instruction exit ({@link InterceptHook#instruction}
     * returned true): that instruction did not execute and RIP still points at it.
     *
     * @return instructions retired
     * @throws InstructionAbort when a hook method ends the run with a VM exit by throwing
     */
    public long run(long maxInstructions) {
        if (maxInstructions < 0) throw new IllegalArgumentException("maxInstructions must be >= 0, was " + maxInstructions);
        long retired = 0, first = stepsTaken;
        memoValid = false; // the state may have been edited since the last run
        instructionExit = false;
        while (stepsTaken - first < maxInstructions && state.activityState == CpuState.ACTIVE) {
            CodeBlock block = decodeCacheEnabled ? enterBlock() : null;
            if (block == null) {
                memoValid = false;
                stepsTaken++;
                if (runInstruction(null)) retired++;
                if (instructionExit) break;
                continue;
            }
            long writes = codePages.codeWrites();
            int count = block.count();
            for (int k = 0; ; ) {
                DecodedInstruction d = block.instruction(k);
                long rip = state.rip;
                stepsTaken++;
                if (!runCached(d)) break;  // exception delivered: continue at the handler
                retired++;
                if (++k == count || stepsTaken - first >= maxInstructions || state.rip != rip + d.length
                    || state.activityState != CpuState.ACTIVE) break;
                if (codePages.codeWrites() != writes) {
                    // Some code page was written: go on only if it was not this block's page.
                    if (!decodeCache.isCurrent(block)) break;
                    writes = codePages.codeWrites();
                }
            }
            if (block.endsWithSystemInstruction()) memoValid = false;
            if (instructionExit) break;
        }
        instructionExit = false;
        return retired;
    }

    /**
     * Called by the execution core when the hook took a VM exit for the current instruction
     * ({@link InterceptHook#instruction} returned true): the instruction is not retired and
     * {@link #run} returns after it, with RIP still at the instruction.
     */
    public void instructionExited() { instructionExit = true; }

    /**
     * Steps taken by {@link #run} since this CPU was made: instructions retired plus those that
     * ended in an exception delivered instead (what a time-based limit such as the VMX-preemption
     * timer sees pass, even for a guest stuck in an exception loop that retires nothing).
     */
    public long stepsTaken() { return stepsTaken; }

    /** Executes one instruction (delivering the exception it raises, if any); nothing when not ACTIVE. */
    public void step() {
        if (state.activityState == CpuState.ACTIVE) runInstruction(null);
        instructionExit = false;
    }

    /**
     * The cached block starting at CS:RIP, building it on a miss; null when the instruction must
     * take the fetch-decode path (a fault at the translation, the CS limit, nothing decodable).
     */
    private CodeBlock enterBlock() {
        long rip = state.rip;
        if (memoValid && rip >>> 12 == memoLinearPage && state.cr0 == memoCr0 && state.cr3 == memoCr3
            && state.cr4 == memoCr4 && state.efer == memoEfer) {
            // 64-bit mode, same page as the last entry: no CS base or limit, same translation.
            long gpa = memoPhysicalPage | (rip & 0xFFF);
            CodeBlock block = decodeCache.lookup(gpa, 64);
            return block != null && block.checkedEpoch() == serialEpoch ? block : rebuildOrVerify(block, gpa, rip, rip, 64);
        }
        return enterBlockTranslating(rip);
    }

    /** {@link #enterBlock} through segmentation and the MMU (kept apart so the fast path inlines). */
    private CodeBlock enterBlockTranslating(long rip) {
        int size = codeSize();
        long ip = size == 64 ? rip : rip & 0xFFFF_FFFFL;
        long gpa, lin;
        try {
            lin = segmentation.linear(CS, ip, 1, AccessType.EXECUTE);
            gpa = mmu.translate(lin, AccessType.EXECUTE, supervisor());
        } catch (CpuException e) {
            return null; // the fetch path raises the same fault, as an instruction fault
        }
        if (size == 64) {
            memoValid = true;
            memoLinearPage = ip >>> 12;
            memoPhysicalPage = gpa & ~0xFFFL;
            memoCr0 = state.cr0; memoCr3 = state.cr3; memoCr4 = state.cr4; memoEfer = state.efer;
        }
        CodeBlock block = decodeCache.lookup(gpa, size);
        if (block == null || block.checkedEpoch() != serialEpoch) block = rebuildOrVerify(block, gpa, lin, ip, size);
        if (block == null) return null;
        if (size != 64 && block.length() > 1) {
            try {
                segmentation.linear(CS, ip, block.length(), AccessType.EXECUTE); // CS limit over the whole block
            } catch (CpuException e) {
                return null;
            }
        }
        return block;
    }

    /** A found block from an earlier epoch is kept if its bytes still match memory; otherwise (re)build. */
    private CodeBlock rebuildOrVerify(CodeBlock found, long gpa, long lin, long ip, int size) {
        if (found != null && matchesMemory(found, gpa, lin)) {
            found.checked(serialEpoch);
            return found;
        }
        return buildBlock(gpa, ip, size);
    }

    /** True when memory still holds the bytes the block was decoded from (one page, EPT-readable). */
    private boolean matchesMemory(CodeBlock block, long gpa, long lin) {
        int offset = 0;
        for (int i = 0; i < block.count(); i++) {
            DecodedInstruction d = block.instruction(i);
            for (int j = 0; j < d.length; j++, offset++) {
                if ((byte) memory.read(gpa + offset, 1, AccessType.EXECUTE, lin + offset) != d.bytes[j]) return false;
            }
        }
        return true;
    }

    /** Decodes straight-line code from CS:{@code ip} (guest-physical {@code gpa}) up to the page end. */
    private CodeBlock buildBlock(long gpa, long ip, int size) {
        CodeBlock block = decodeCache.begin(gpa, size);
        int pageLeft = 0x1000 - (int) (gpa & 0xFFF);
        int offset = 0, n = 0;
        boolean systemEnd = false;
        int limit = block.buildLimit();
        while (n < limit && offset < pageLeft) {
            DecodedInstruction d = DecodeCache.slot(block, n);
            fetcher.start(ip + offset, pageLeft - offset);
            try {
                decoder.decode(fetcher, size, d);
            } catch (PageEnd | CpuException e) {
                break; // crosses the page or faults in fetch: the fetch-decode path runs it
            }
            if (d.fault != DecodedInstruction.FAULT_NONE) break;
            offset += d.length;
            n++;
            if (BlockRules.endsBlock(d)) {
                systemEnd = !BlockRules.isNearBranch(d);
                break;
            }
        }
        decodeCache.publish(block, gpa, n, offset, systemEnd);
        block.checked(serialEpoch);
        return n == 0 ? null : block;
    }

    /**
     * A cached instruction. The common case — no interrupt shadow or other blocking, no TF, no
     * per-instruction event check — skips that bookkeeping; anything else takes
     * {@link #runInstruction}, which handles all of it.
     */
    private boolean runCached(DecodedInstruction d) {
        if (state.interruptibility != 0 || eventCheck || (state.storedRflags() & CpuState.TF) != 0) return runInstruction(d);
        long startRip = state.rip;
        instructionRip = startRip;
        inInstruction = true;
        try {
            executor.execute(this, d);
            if (instructionExit) return false; // a VM exit took the instruction: nothing retired
            state.instructionsRetired++;
        } catch (CpuException e) {
            inInstruction = false;
            memoValid = false;
            state.rip = startRip; // faults report the faulting instruction (SDM Vol. 3A §6.5)
            events.raise(e.vector, e.errorCode, e.qualification, EventType.HARDWARE_EXCEPTION, startRip);
            return false;
        } finally {
            inInstruction = false;
        }
        return true;
    }

    /**
     * One instruction: {@code cached}, or fetched and decoded at CS:RIP when null. True if it
     * retired; false if it raised an exception, which was delivered.
     */
    private boolean runInstruction(DecodedInstruction cached) {
        long startRip = state.rip;
        int shadow = state.interruptibility & (CpuState.BLOCKING_BY_STI | CpuState.BLOCKING_BY_MOV_SS);
        boolean singleStep = (state.storedRflags() & CpuState.TF) != 0;
        instructionRip = startRip;
        inInstruction = true;
        try {
            DecodedInstruction d = cached;
            if (d == null) {
                fetcher.start(startRip, Integer.MAX_VALUE);
                decoder.decode(fetcher, codeSize(), insn);
                d = insn;
            }
            executor.execute(this, d); // raises the decoder's #UD/#GP first
            if (instructionExit) return false; // a VM exit took the instruction: nothing retired
            state.instructionsRetired++;
            // An STI/MOV SS shadow covers exactly the next instruction (SDM Vol. 3A §6.8.3).
            state.interruptibility &= ~shadow;
        } catch (CpuException e) {
            inInstruction = false;
            memoValid = false;
            state.rip = startRip; // faults report the faulting instruction (SDM Vol. 3A §6.5)
            events.raise(e.vector, e.errorCode, e.qualification, EventType.HARDWARE_EXCEPTION, startRip);
            return false;
        } finally {
            inInstruction = false;
        }
        if (singleStep) singleStepTrap();
        if (eventCheck) {
            memoValid = false; // the hook may deliver an event (new CS, CPL)
            hook.afterInstruction();
        }
        return true;
    }

    /** EFLAGS.TF set before an instruction: a #DB trap after it, DR6.BS = 1 (SDM Vol. 3A §18.3.1.4). */
    private void singleStepTrap() {
        memoValid = false;
        state.dr[6] |= 0x4000;
        events.raise(1, -1, 0x4000, EventType.HARDWARE_EXCEPTION, state.rip);
    }

    /** While on, {@link InterceptHook#afterInstruction()} is called after every retired instruction. */
    public void requestEventCheck(boolean on) { eventCheck = on; }

    /**
     * Delivers (injects) an event now, as VM entry does (SDM Vol. 3C §27.6): through the IVT/IDT,
     * with any exception its delivery raises handled by the #DF rules. An external interrupt or NMI
     * wakes the processor from HLT.
     *
     * @param vector            0..255
     * @param type              VMX interruption type ({@link EventType}); 7 (other) delivers nothing
     * @param errorCode         error code to push, or -1
     * @param instructionLength for software interrupts/exceptions: length added to RIP for the saved return address
     */
    public void deliverEvent(int vector, int type, int errorCode, int instructionLength) {
        if (vector < 0 || vector > 255) throw new IllegalArgumentException("vector must be 0..255, was " + vector);
        if (type < 0 || type > 7 || type == 1) throw new IllegalArgumentException("type must be 0, 2..7, was " + type);
        if (type == EventType.OTHER || state.activityState == CpuState.SHUTDOWN) return;
        memoValid = false;
        long returnRip = EventType.pushesNextRip(type) ? state.rip + instructionLength : state.rip;
        events.deliver(vector, type, errorCode, returnRip);
    }

    /** External interrupts may be delivered: RFLAGS.IF = 1 and no STI/MOV SS blocking (SDM Vol. 3A §6.8.1). */
    public boolean interruptible() {
        return (state.storedRflags() & CpuState.IF) != 0
            && (state.interruptibility & (CpuState.BLOCKING_BY_STI | CpuState.BLOCKING_BY_MOV_SS)) == 0;
    }

    /** Invalidates every cached translation (INVLPG, INVPCID, or the engine changing guest page tables). */
    public void flushTlb() {
        memoValid = false;
        mmu.flush();
    }

    /** INVLPG: invalidates the cached translation of the page holding {@code linear} (SDM Vol. 3A §4.10.4.1). */
    public void invalidatePage(long linear) { mmu.invalidatePage(linear); }

    /**
     * Decodes the instruction at CS:{@code rip} without executing it (for traces), into a
     * DecodedInstruction separate from the one execution uses. Fetch faults propagate as
     * {@link CpuException}.
     */
    public DecodedInstruction decodeAt(long rip) {
        fetcher.start(rip, Integer.MAX_VALUE);
        decoder.decode(fetcher, codeSize(), traceInsn);
        return traceInsn;
    }

    /** Default code size from CR0.PE, EFLAGS.VM, EFER.LMA, CS.L and CS.D (SDM Vol. 3A §3.4.5). */
    public int codeSize() {
        if ((state.cr0 & CpuState.CR0_PE) == 0 || (state.storedRflags() & CpuState.VM) != 0) return 16;
        if (segmentation.mode64()) return 64;
        return state.seg[CS].big() ? 32 : 16;
    }

    /** Stack address size in bytes: 8 in 64-bit mode, else 4 or 2 by SS.B (SDM Vol. 3A §6.2.3). */
    public int stackAddressSize() {
        if (segmentation.mode64()) return 8;
        return state.seg[SS].big() ? 4 : 2;
    }

    /** Thrown (preallocated, no stack trace) when a block's decode reaches the end of its page. */
    private static final class PageEnd extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final PageEnd INSTANCE = new PageEnd();
        private PageEnd() { super("end of the code page", null, false, false); }
    }

    /**
     * Reads instruction bytes through CS:RIP with the execute checks (limit/canonical, paging).
     * A block build bounds it to the page, so it never translates (or faults on) the next page.
     */
    private final class Fetcher implements CodeFetcher {
        private long rip;
        private int limit;

        void start(long rip, int limit) { this.rip = rip; this.limit = limit; }

        @Override public int fetch(int offset) {
            if (offset >= limit) throw PageEnd.INSTANCE;
            long ip = rip + offset;
            if (!segmentation.mode64()) ip &= 0xFFFF_FFFFL;
            long lin = segmentation.linear(CS, ip, 1, AccessType.EXECUTE);
            return (int) mmu.read(lin, 1, AccessType.EXECUTE, supervisor()) & 0xFF;
        }
    }

    /**
     * CPL &lt; 3, computed without materialising lazy arithmetic flags (only EFLAGS.VM is needed,
     * which the execution core always keeps in the stored RFLAGS).
     */
    private boolean supervisor() {
        if ((state.cr0 & CpuState.CR0_PE) == 0) return true;
        if ((state.storedRflags() & CpuState.VM) != 0) return false;
        return state.seg[CS].dpl() < 3;
    }

    // ------------------------------------------------------------------------------------------
    // Services for the execution core

    /** Fills and returns the preallocated exception: {@code throw cpu.fault(13, 0)}; errorCode -1 = none. */
    public CpuException fault(int vector, int errorCode) { return exception.set(vector, errorCode, 0); }

    /** Segmentation: the linear address of segment:offset after limit/type/canonical checks (#GP(0)/#SS(0)). */
    public long linearAddress(int segment, long offset, int size, boolean write) {
        return segmentation.linear(segment, offset, size, write ? AccessType.WRITE : AccessType.READ);
    }

    /** Reads 1, 2, 4 or 8 bytes at segment:offset with the current privilege. */
    public long readMemory(int segment, long offset, int size) {
        long lin = segmentation.linear(segment, offset, size, AccessType.READ);
        return mmu.read(lin, size, AccessType.READ, supervisor());
    }

    /** Writes 1, 2, 4 or 8 bytes at segment:offset; a page-crossing write is all-or-nothing for faults. */
    public void writeMemory(int segment, long offset, int size, long value) {
        long lin = segmentation.linear(segment, offset, size, AccessType.WRITE);
        mmu.write(lin, size, value, supervisor());
    }

    /** Reads through paging; {@code supervisor} false means a user-mode (CPL 3) access. */
    public long readLinear(long linear, int size, int accessType, boolean supervisor) {
        return mmu.read(linear, size, accessType, supervisor);
    }

    /** Writes through paging. */
    public void writeLinear(long linear, int size, long value, boolean supervisor) {
        mmu.write(linear, size, value, supervisor);
    }

    /** Faults now if a write of {@code size} bytes at segment:offset would fault; changes nothing. */
    public void probeWrite(int segment, long offset, int size) {
        long lin = segmentation.linear(segment, offset, size, AccessType.WRITE);
        mmu.probeWrite(lin, size, supervisor());
    }

    /** Faults now if a write at a linear address would fault; changes nothing. */
    public void probeWriteLinear(long linear, int size, boolean supervisor) {
        mmu.probeWrite(linear, size, supervisor);
    }

    /** LOCK read-modify-write: atomically stores {@code update} if the value equals {@code expected}; returns the old value. */
    public long lockedCompareExchange(int segment, long offset, int size, long expected, long update) {
        long lin = segmentation.linear(segment, offset, size, AccessType.WRITE);
        return mmu.compareExchange(lin, size, expected, update, supervisor());
    }

    /** Pushes {@code size} bytes on SS:rSP (stack address size applies); rSP changes only after the write. */
    public void push(long value, int size) {
        long rsp = state.gpr[4] - size;
        writeMemory(SS, rsp & transfer.stackMask(), size, value);
        transfer.setStackPointer(rsp);
    }

    /** Pops {@code size} bytes from SS:rSP; rSP changes only after the read. */
    public long pop(int size) {
        long value = readMemory(SS, state.gpr[4] & transfer.stackMask(), size);
        transfer.setStackPointer(state.gpr[4] + size);
        return value;
    }

    /** Reads SS:[rSP + offsetBytes] without popping. */
    public long peekStack(int offsetBytes, int size) {
        return readMemory(SS, (state.gpr[4] + offsetBytes) & transfer.stackMask(), size);
    }

    /**
     * MOV/POP Sreg, LxS, LLDT, LTR: loads a segment register with the mode's rules (real/v86:
     * base = selector * 16; protected: descriptor checks with selector error codes, accessed bit).
     * Loading SS starts the one-instruction MOV-SS interrupt shadow (SDM Vol. 3A §6.8.3).
     */
    public void loadSegment(Segment s, int selector) {
        segmentation.load(s, selector);
        if (s == Segment.SS) state.interruptibility |= CpuState.BLOCKING_BY_MOV_SS;
    }

    public void farJump(int selector, long offset, int operandSize) { transfer.farJump(selector, offset, operandSize); }

    public void farCall(int selector, long offset, int operandSize, long returnOffset) {
        transfer.farCall(selector, offset, operandSize, returnOffset);
    }

    public void farReturn(int operandSize, int extraPop) { transfer.farReturn(operandSize, extraPop); }

    /**
     * INT n (type 4), INT3/INTO (type 6), INT1 (type 5): delivers the event with the address of the
     * next instruction (the current instruction's RIP + {@code instructionLength}) as return
     * address; works whether or not the caller already advanced RIP. INT3/INTO/INT1 are offered to
     * the hook first (exception bitmap). A fault during delivery propagates as {@link CpuException}.
     */
    public void softwareInterrupt(int vector, int instructionLength, int type) {
        long start = inInstruction ? instructionRip : state.rip;
        state.rip = start;
        if (type != EventType.SOFTWARE_INTERRUPT) hook.exception(vector, -1, 0, type);
        events.deliverOnce(vector, type, -1, start + instructionLength);
    }

    public void iret(int operandSize) { transfer.iret(operandSize); }

    public void writeCr(int cr, long value) { controlRegisters.write(cr, value); }

    public long readCr(int cr) { return controlRegisters.read(cr); }

    public void writeEfer(long value) { controlRegisters.writeEfer(value); }

    public long readMsr(int index) { return msrs.read(index); }

    public void writeMsr(int index, long value) { msrs.write(index, value); }
}
