package org.haxm.core;

import org.haxm.core.handlers.ExitHandlers;
import org.haxm.core.msr.MsrHandler;
import org.haxm.core.nonroot.ActiveControls;
import org.haxm.core.nonroot.EptGuestMemory;
import org.haxm.core.nonroot.ExitBitmaps;
import org.haxm.core.nonroot.MmioEmulation;
import org.haxm.core.nonroot.NonRootHook;
import org.haxm.core.nonroot.PendingExit;
import org.haxm.core.transition.GuestStateTransfer;
import org.haxm.core.transition.VmcsSetup;
import org.haxm.core.tunnel.ExitStatus;
import org.haxm.core.tunnel.Tunnel;
import org.haxm.emulator.Cpu;
import org.haxm.emulator.InstructionAbort;
import org.haxm.emulator.PortBus;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.vmx.ExitReason;
import org.haxm.vmx.Vmcs;
import org.haxm.vmx.VmcsField;
import org.haxm.vmx.controls.SecondaryProcBasedControls;
import org.haxm.vmx.entry.EntryCheckMemo;
import org.haxm.core.transition.EntryValidation;
import org.haxm.vmx.qualification.InterruptionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One virtual CPU: a software processor that runs guest code in VMX non-root operation under its
 * own VMCS, with the VM's EPT translating guest-physical memory.
 *
 * <p>{@link #run()} is the loop HAXM runs around VMLAUNCH/VMRESUME: VM entry (checks, then guest
 * state loaded from the VMCS, then event injection), guest execution until something causes a VM
 * exit, VM exit (guest state and exit information stored into the VMCS), and the hypervisor's
 * handler for the exit reason, which either resumes the guest or returns a status to the caller
 * through the tunnel.
 *
 * <p>Not thread-safe: like a HAXM VCPU it belongs to one caller thread; only {@link #kick()} may
 * be called from another thread.
 */
public final class VirtualCpu implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VirtualCpu.class);
    /** Instructions executed between checks for kicks, mapping changes and the budget. */
    private static final long SLICE = 1 << 16;

    private final VirtualMachine vm;
    private final int id;
    private final Vmcs vmcs = new Vmcs(org.haxm.vmx.VmxCapabilities.REVISION_ID);
    private final CpuState state = new CpuState();
    private final PendingExit exit = new PendingExit();
    private final ActiveControls controls = new ActiveControls();
    private final ExitBitmaps bitmaps = new ExitBitmaps();
    private final NonRootHook hook;
    private final EptGuestMemory guestMemory;
    private final MmioEmulation mmio = new MmioEmulation();
    private final Cpu cpu;
    private final Tunnel tunnel = new Tunnel();
    private final MsrHandler msrs;
    /** Interrupt vectors queued by the caller, one bit each (HAXM's 256-bit pending bitmap). */
    private final long[] pendingVectors = new long[4];

    /** What the caller must complete before the guest may continue. */
    private enum Completion { NONE, IO_IN, INS, MMIO_READ, MMIO_WRITES }
    private Completion completion = Completion.NONE;
    private int insCount;

    private boolean panicked;
    private String panicReason;
    private long budget;
    private long budgetDeadline = Long.MAX_VALUE;
    private ExitListener listener;
    private boolean closed;
    private final int[] cpuidOut = new int[4];
    /** The mapping generation the CPU's decode cache was filled under. */
    private long codeGeneration = -1;
    /** The VM-entry checks, remembered between entries of this VCPU's VMCS. */
    private final EntryCheckMemo entryChecks = new EntryCheckMemo();
    /** The EPT pointer of the last VM entry: the engine's guest-physical cache belongs to it. */
    private long loadedEptp = -1;
    /** Guest RIP as the last VM exit stored it, before any handler moved it. */
    private long exitRip;

    VirtualCpu(VirtualMachine vm, int id) {
        this.vm = vm;
        this.id = id;
        this.hook = new NonRootHook(controls, exit, bitmaps, state);
        this.guestMemory = new EptGuestMemory(vm.memory(), exit);
        this.cpu = new Cpu(state, guestMemory, hook, PortBus.EMPTY, vm.codePages());
        this.msrs = new MsrHandler(vmcs, cpu, id == 0);
        VmcsSetup.initialize(this);
    }

    // ------------------------------------------------------------------ accessors

    public int id() { return id; }
    public VirtualMachine vm() { return vm; }
    /** The VMCS: the guest state between runs, the controls, and the last exit's information. */
    public Vmcs vmcs() { return vmcs; }
    /** The processor. Between runs its general-purpose registers are the guest's (RSP and
     *  everything else architectural live in the VMCS). */
    public CpuState state() { return state; }
    public Cpu cpu() { return cpu; }
    public Tunnel tunnel() { return tunnel; }
    public ExitBitmaps bitmaps() { return bitmaps; }
    public MsrHandler msrs() { return msrs; }
    public MmioEmulation mmio() { return mmio; }
    public EptGuestMemory guestMemory() { return guestMemory; }
    public NonRootHook hook() { return hook; }
    public boolean panicked() { return panicked; }
    /** Why the VCPU stopped for good (after a STATECHANGE), or null. */
    public String panicReason() { return panicReason; }
    public long instructionsRetired() { return state.instructionsRetired; }

    public void setExitListener(ExitListener l) { this.listener = l; }

    /** Engine extension: {@link #run()} returns {@link ExitStatus#PAUSED} after {@code n} more
     *  instructions executed (modelled as the VMX-preemption timer expiring); 0 = no limit. An
     *  instruction that ends in an exception counts too, so a guest caught in an exception loop
     *  that retires nothing is paused as well ({@link Cpu#stepsTaken()}). */
    public void setInstructionBudget(long n) {
        if (n < 0) throw new IllegalArgumentException("instruction budget must be >= 0, got " + n);
        budget = n;
    }

    /** Makes a running {@link #run()} return {@link ExitStatus#INTERRUPT} soon (thread-safe). */
    public void kick() {
        hook.kick();
        cpu.requestEventCheck(true);
    }

    /** Queues external interrupt {@code vector} (HAX_VCPU_IOCTL_INTERRUPT). */
    public void queueInterrupt(int vector) {
        if (vector < 0 || vector > 255) throw new IllegalArgumentException("interrupt vector must be 0..255, got " + vector);
        pendingVectors[vector >>> 6] |= 1L << (vector & 63);
    }

    // ------------------------------------------------------------------ the run loop

    /**
     * Runs the guest until an exit the caller must see (HAX_VCPU_IOCTL_RUN). The tunnel describes
     * it when this returns.
     */
    public ExitStatus run() {
        checkOpen();
        if (panicked) return report(ExitStatus.STATECHANGE, tunnel.exitReason());
        budgetDeadline = budget == 0 ? Long.MAX_VALUE : cpu.stepsTaken() + budget;
        try {
            ExitStatus s = completeCallerWork();
            if (s != null) return s;
            while (true) {
                s = enterRunAndExit();
                if (s != null) return s;
            }
        } catch (InstructionAbort abort) {
            // The hypervisor itself touched guest memory that has no RAM behind it, e.g. INS/OUTS
            // or a PAE PDPTE load on MMIO, which HAXM does not support either: stop the VCPU.
            return panic("the hypervisor's access to guest-physical 0x" + Long.toHexString(exit.guestPhysical)
                + " (no RAM there) while handling an exit is not supported");
        } catch (RuntimeException e) {
            // A defect in the engine must not escape as a raw exception: the VCPU stops cleanly.
            log.error("VCPU {}: internal error while running the guest", id, e);
            return panic("internal engine error: " + e);
        }
    }

    /** One VM entry, guest execution until a VM exit, and the exit's handler. */
    private ExitStatus enterRunAndExit() {
        injectPendingInterrupt();
        exit.clear();
        String failure = vmEntry();
        if (failure != null) {
            exit.begin(ExitReason.ENTRY_FAILURE_GUEST_STATE.number());
            vmcs.writeExitInformation(VmcsField.EXIT_REASON, ExitReason.ENTRY_FAILURE_GUEST_STATE.number() | (1L << 31));
            return panic("VM entry failed: " + failure);
        }
        if (!exit.pending()) executeGuest();   // an exit may already have happened while delivering an injected event
        vmExit();
        ExitStatus status = ExitHandlers.handle(this, exit.reason);
        if (status == null && tunnel.takeUserEventPending()) status = ExitStatus.INTERRUPT;
        notifyListener(status);
        if (status != null) return report(status, exit.reason);
        return null;
    }

    /** Runs the processor until the non-root hook, the EPT, a kick or the budget causes an exit. */
    private void executeGuest() {
        try {
            while (true) {
                guestMemory.syncWithMappings();
                syncDecodeCache();
                long slice = Math.min(SLICE, budgetDeadline - cpu.stepsTaken());
                if (slice <= 0) { exit.begin(ExitReason.PREEMPTION_TIMER.number()); return; }
                cpu.run(slice);
                if (exit.pending()) return; // an instruction exit (the hook returned true)
                if (hook.takeKick()) { exit.begin(ExitReason.EXTERNAL_INTERRUPT.number()); return; }
                if (state.activityState == CpuState.SHUTDOWN) { exit.begin(ExitReason.TRIPLE_FAULT.number()); return; }
                if (state.activityState == CpuState.HLT) {
                    // HLT exiting is always on, so only a HLT that was not intercepted gets here.
                    exit.begin(ExitReason.HLT.number());
                    return;
                }
            }
        } catch (InstructionAbort abort) {
            if (!exit.pending()) throw new IllegalStateException("instruction aborted without a VM exit");
        }
    }

    /**
     * Forgets the CPU's decoded code when the VM's guest-physical mappings changed: the same
     * guest-physical address may now hold other bytes (checked with the EPT cache, every slice).
     */
    private void syncDecodeCache() {
        long g = vm.memory().translationGeneration();
        if (g != codeGeneration) {
            cpu.invalidateDecodeCache();
            codeGeneration = g;
        }
    }

    // ------------------------------------------------------------------ VM entry and exit

    /**
     * VM entry (SDM Vol. 3C ch. 27): the checks on controls and guest state, loading of guest
     * state, and the injection of the event described in the VM-entry interruption-information
     * field. Returns null on success, else the failed check.
     */
    private String vmEntry() {
        String failure = EntryValidation.check(vmcs, vm.capabilities(), entryChecks);
        if (failure != null) return failure;
        controls.load(vmcs);
        long p0 = state.pdpte[0], p1 = state.pdpte[1], p2 = state.pdpte[2], p3 = state.pdpte[3];
        GuestStateTransfer.load(vmcs, state);
        // Linear mappings (SDM Vol. 3C §28.3.3.1): without VPID every VM entry invalidates them;
        // with VPID they survive entries and exits. A different CR0/CR3/CR4/EFER loaded here is
        // noticed by the MMU itself before its next access (Mmu.syncContext: a new CR3 acts as MOV
        // to CR3), which spares HAXM-style callers, who change CR3 through SET_REGS, an INVVPID they
        // cannot issue; the PDPTEs the entry loads for PAE paging are flushed for here.
        if (!controls.secondary(SecondaryProcBasedControls.ENABLE_VPID) || p0 != state.pdpte[0]
            || p1 != state.pdpte[1] || p2 != state.pdpte[2] || p3 != state.pdpte[3]) {
            cpu.flushTlb();
        }
        // Guest-physical mappings are tagged by the EPTP and survive VM entry (§28.3.3.1); the
        // engine's cache of them follows EPT changes through the mapping generation.
        long eptp = vmcs.read(VmcsField.EPT_POINTER);
        if (eptp != loadedEptp) {
            guestMemory.flush();
            loadedEptp = eptp;
        } else {
            guestMemory.syncWithMappings();
        }
        syncDecodeCache();
        // VM entry serializes: code the host wrote straight into shared RAM must be seen now.
        if (vm.hostSharedRam()) cpu.revalidateDecodedCode();
        cpu.requestEventCheck(controls.primary(org.haxm.vmx.controls.PrimaryProcBasedControls.INTERRUPT_WINDOW_EXITING));
        long info = vmcs.read(VmcsField.VM_ENTRY_INTERRUPTION_INFO);
        if (InterruptionInfo.isValid(info)) {
            // SDM Vol. 3C §27.6: the event is delivered as if it occurred right after entry; a VM
            // exit clears the valid bit, so clear it now that the event is consumed.
            vmcs.write(VmcsField.VM_ENTRY_INTERRUPTION_INFO, info & ~InterruptionInfo.VALID);
            InterruptionInfo event = InterruptionInfo.decode(info);
            int error = event.errorCodeValid() ? (int) vmcs.read(VmcsField.VM_ENTRY_EXCEPTION_ERROR_CODE) : -1;
            if (state.activityState == CpuState.HLT) state.activityState = CpuState.ACTIVE;
            try {
                cpu.deliverEvent(event.vector(), event.type().code(), error, (int) vmcs.read(VmcsField.VM_ENTRY_INSTRUCTION_LENGTH));
            } catch (InstructionAbort abort) {
                // Delivering the event itself caused a VM exit (e.g. an EPT violation on the stack).
            }
        }
        return null;
    }

    /**
     * VM exit (SDM Vol. 3C ch. 28): guest state into the VMCS, then the exit-information fields.
     * The "IA-32e mode guest" entry control receives EFER.LMA (§28.2, IA32_VMX_MISC[5]).
     */
    private void vmExit() {
        GuestStateTransfer.store(state, vmcs);
        exitRip = state.rip;
        vmcs.writeExitInformation(VmcsField.EXIT_REASON, exit.reason);
        vmcs.writeExitInformation(VmcsField.EXIT_QUALIFICATION, exit.qualification);
        vmcs.writeExitInformation(VmcsField.GUEST_PHYSICAL_ADDRESS, exit.guestPhysical);
        vmcs.writeExitInformation(VmcsField.GUEST_LINEAR_ADDRESS, exit.guestLinear == -1 ? 0 : exit.guestLinear);
        vmcs.writeExitInformation(VmcsField.VM_EXIT_INSTRUCTION_LENGTH, exit.instructionLength);
        vmcs.writeExitInformation(VmcsField.VM_EXIT_INSTRUCTION_INFO, exit.instructionInfo & 0xFFFF_FFFFL);
        vmcs.writeExitInformation(VmcsField.VM_EXIT_INTERRUPTION_INFO, exit.interruptionInfo & 0xFFFF_FFFFL);
        vmcs.writeExitInformation(VmcsField.VM_EXIT_INTERRUPTION_ERROR_CODE, exit.interruptionErrorCode & 0xFFFF_FFFFL);
        vmcs.writeExitInformation(VmcsField.IDT_VECTORING_INFO, 0);
        long entry = vmcs.read(VmcsField.VM_ENTRY_CONTROLS);
        long ia32e = org.haxm.vmx.controls.EntryControls.IA32E_MODE_GUEST;
        vmcs.write(VmcsField.VM_ENTRY_CONTROLS, (state.efer & CpuState.EFER_LMA) != 0 ? entry | ia32e : entry & ~ia32e);
        updateReadyForInjection();
    }

    // ------------------------------------------------------------------ services for handlers

    /** Advances guest RIP past the exiting instruction (VM-exit instruction length) and ends any
     *  STI/MOV-SS blocking, as completing the instruction would (SDM Vol. 3C §28.2.5). */
    public void advanceRip() {
        long rip = vmcs.read(VmcsField.GUEST_RIP) + vmcs.read(VmcsField.VM_EXIT_INSTRUCTION_LENGTH);
        vmcs.write(VmcsField.GUEST_RIP, rip & ripMask());
        long intr = vmcs.read(VmcsField.GUEST_INTERRUPTIBILITY_STATE);
        vmcs.write(VmcsField.GUEST_INTERRUPTIBILITY_STATE, intr & ~(CpuState.BLOCKING_BY_STI | CpuState.BLOCKING_BY_MOV_SS));
    }

    /** The width of RIP for the guest's current code segment. */
    public long ripMask() {
        long ar = vmcs.read(VmcsField.GUEST_CS_ACCESS_RIGHTS);
        boolean lma = (vmcs.read(VmcsField.GUEST_IA32_EFER) & CpuState.EFER_LMA) != 0;
        if (lma && (ar & (1 << 13)) != 0) return -1L;
        return (ar & (1 << 14)) != 0 ? 0xFFFF_FFFFL : 0xFFFFL;
    }

    /** Injects a hardware exception at the next VM entry (VM-entry interruption information,
     *  SDM Vol. 3C §25.8.3). {@code errorCode} -1 means none. */
    public void injectException(int vector, int errorCode) {
        // Real-address mode pushes no error code, and VM entry requires "deliver error code" to be
        // 0 when the guest's CR0.PE is 0 (SDM Vol. 3C §27.2.1.3; Vol. 3A §21.1.4).
        boolean protectedMode = (vmcs.read(VmcsField.GUEST_CR0) & CpuState.CR0_PE) != 0;
        if (!protectedMode) errorCode = -1;
        InterruptionInfo info = InterruptionInfo.hardwareException(vector, errorCode >= 0);
        vmcs.write(VmcsField.VM_ENTRY_INTERRUPTION_INFO, info.encode());
        vmcs.write(VmcsField.VM_ENTRY_EXCEPTION_ERROR_CODE, Math.max(errorCode, 0));
        vmcs.write(VmcsField.VM_ENTRY_INSTRUCTION_LENGTH, 0);
    }

    /**
     * Injects a fault the model CPU raised while the hypervisor acted for the guest (string I/O
     * data, a CR write). A page fault's linear address goes to CR2 now, as delivery would write
     * it (SDM Vol. 3A §6.15, #PF), since CR2 is not part of the VMCS.
     */
    public void injectFault(org.haxm.emulator.CpuException fault) {
        if (fault.vector == 14) state.cr2 = fault.qualification;
        injectException(fault.vector, fault.errorCode);
    }

    /** Answers CPUID for the guest from the VM's CPU model. */
    public void cpuid(int leaf, int subleaf) {
        vm.cpuidModel().query(leaf, subleaf, id, cpuidOut);
        state.gpr[0] = cpuidOut[0] & 0xFFFF_FFFFL;
        state.gpr[3] = cpuidOut[1] & 0xFFFF_FFFFL;
        state.gpr[1] = cpuidOut[2] & 0xFFFF_FFFFL;
        state.gpr[2] = cpuidOut[3] & 0xFFFF_FFFFL;
    }

    /** Stops the VCPU for good: every later run returns STATECHANGE (HAXM's "VCPU panic"). */
    public ExitStatus panic(String reason) {
        panicked = true;
        panicReason = reason;
        log.warn("VCPU {} stopped: {}", id, reason);
        return report(ExitStatus.STATECHANGE, exit.reason < 0 ? 0 : exit.reason);
    }

    /** Records that the caller must complete an IN before the guest continues. */
    public void expectIoIn() { completion = Completion.IO_IN; }
    /** Records that the caller must supply {@code count} INS elements in the I/O buffer. */
    public void expectIns(int count) { completion = Completion.INS; insCount = count; }

    /**
     * Executes the exiting instruction again inside the hypervisor with MMIO accesses routed to
     * the caller (the instruction emulator's job in HAXM). Returns FAST_MMIO when the caller must
     * perform an access, or null when the instruction completed and the guest can resume.
     */
    public ExitStatus emulateMmioInstruction() {
        mmio.startAttempt();
        GuestStateTransfer.load(vmcs, state);
        guestMemory.setEmulation(mmio);
        cpu.setHook(org.haxm.emulator.InterceptHook.NONE);
        boolean completed = false;
        try {
            cpu.step();
            completed = true;
        } catch (InstructionAbort abort) {
            if (mmio.overflowed()) return panic("instruction at rip=0x" + Long.toHexString(state.rip) + " makes too many MMIO accesses to emulate");
            if (!mmio.readPending()) return panic("MMIO emulation stopped without an MMIO read");
        } finally {
            guestMemory.setEmulation(null);
            cpu.setHook(hook);
        }
        if (!completed) {
            completion = Completion.MMIO_READ;
            tunnel.setFastMmio(mmio.pendingReadGpa(), mmio.pendingReadSize(), Tunnel.MMIO_READ, 0);
            return ExitStatus.FAST_MMIO;
        }
        if (state.activityState == CpuState.SHUTDOWN) return panic("triple fault while emulating an MMIO instruction");
        GuestStateTransfer.store(state, vmcs);
        return deliverNextMmioWrite();
    }

    private ExitStatus deliverNextMmioWrite() {
        if (!mmio.hasUndeliveredWrite()) { completion = Completion.NONE; return null; }
        tunnel.setFastMmio(mmio.nextWriteGpa(), mmio.nextWriteSize(), Tunnel.MMIO_WRITE, mmio.nextWriteValue());
        mmio.writeDelivered();
        completion = Completion.MMIO_WRITES;
        return ExitStatus.FAST_MMIO;
    }

    /** Finishes what the previous exit asked of the caller (IN data, an MMIO read value). */
    private ExitStatus completeCallerWork() {
        Completion c = completion;
        completion = Completion.NONE;
        switch (c) {
            case IO_IN -> org.haxm.core.handlers.IoHandler.completeIn(this);
            case INS -> org.haxm.core.handlers.IoHandler.completeIns(this, insCount);
            case MMIO_READ -> {
                mmio.answerRead(tunnel.mmioValue());
                ExitStatus s = emulateMmioInstruction();
                if (s != null) return report(s, ExitReason.EPT_VIOLATION.number());
            }
            case MMIO_WRITES -> {
                ExitStatus s = deliverNextMmioWrite();
                if (s != null) return report(s, ExitReason.EPT_VIOLATION.number());
            }
            case NONE -> { }
        }
        return null;
    }

    // ------------------------------------------------------------------ interrupts

    /**
     * HAXM's injection rule (haxm-api.md §6.3): before entry, if a vector is queued, the guest can
     * take an interrupt (RFLAGS.IF = 1, no STI/MOV-SS blocking) and no event is being injected,
     * inject the highest queued vector as an external interrupt; if vectors remain or the caller
     * asked for an interrupt window, turn on interrupt-window exiting.
     */
    private void injectPendingInterrupt() {
        long procBased = vmcs.read(VmcsField.PRIMARY_PROC_BASED_VM_EXEC_CONTROL);
        int window = org.haxm.vmx.controls.PrimaryProcBasedControls.INTERRUPT_WINDOW_EXITING;
        int vector = highestPending();
        if (vector >= 0 && guestInterruptible() && !InterruptionInfo.isValid(vmcs.read(VmcsField.VM_ENTRY_INTERRUPTION_INFO))) {
            vmcs.write(VmcsField.VM_ENTRY_INTERRUPTION_INFO, InterruptionInfo.externalInterrupt(vector).encode());
            pendingVectors[vector >>> 6] &= ~(1L << (vector & 63));
            vector = highestPending();
        }
        boolean wantWindow = vector >= 0 || tunnel.requestInterruptWindow();
        vmcs.write(VmcsField.PRIMARY_PROC_BASED_VM_EXEC_CONTROL, wantWindow ? procBased | window : procBased & ~window);
    }

    public int highestPending() {
        for (int w = 3; w >= 0; w--) if (pendingVectors[w] != 0) return w * 64 + 63 - Long.numberOfLeadingZeros(pendingVectors[w]);
        return -1;
    }

    private boolean guestInterruptible() {
        return (vmcs.read(VmcsField.GUEST_RFLAGS) & CpuState.IF) != 0
            && (vmcs.read(VmcsField.GUEST_INTERRUPTIBILITY_STATE) & (CpuState.BLOCKING_BY_STI | CpuState.BLOCKING_BY_MOV_SS)) == 0;
    }

    private void updateReadyForInjection() {
        tunnel.setReadyForInterruptInjection(highestPending() < 0 && guestInterruptible());
        tunnel.setApicBase(msrs.read(MsrHandler.IA32_APIC_BASE) ? msrs.value() : 0);
    }

    // ------------------------------------------------------------------ reporting

    private ExitStatus report(ExitStatus status, int reason) {
        tunnel.setExit(Math.max(reason, 0), status);
        if (status == ExitStatus.HLT) tunnel.setReadyForInterruptInjection(true);
        return status;
    }

    private void notifyListener(ExitStatus toUser) {
        ExitListener l = listener;
        if (l != null) {
            l.onExit(id, exit.reason, exit.qualification, exitRip, exit.instructionLength, toUser);
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("VCPU " + id + " of VM " + vm.id() + " is closed");
    }

    /** Frees the VCPU's slot in its VM. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        vm.vcpuClosed(this);
    }

    public boolean isClosed() { return closed; }
}
