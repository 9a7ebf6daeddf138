package org.haxm.api;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.haxm.core.VirtualCpu;
import org.haxm.core.cpuid.CpuidEntry;
import org.haxm.core.transition.GuestSegmentFields;
import org.haxm.core.transition.GuestStateTransfer;
import org.haxm.core.transition.VmcsSetup;
import org.haxm.emulator.cpu.Segment;
import org.haxm.vmx.ExitReason;
import org.haxm.vmx.Vmcs;
import org.haxm.vmx.VmcsField;

/**
 * A virtual CPU (the {@code /dev/hax_vmNN/vcpuMM} device): registers, MSRs, interrupt queue, and
 * {@link #run()}. One thread drives a VCPU, as with HAXM.
 */
public final class HaxVcpu implements AutoCloseable {
    private final HaxVm vm;
    private final VirtualCpu vcpu;
    private final HaxTunnel tunnel;

    HaxVcpu(HaxVm vm, VirtualCpu vcpu) {
        this.vm = vm;
        this.vcpu = vcpu;
        this.tunnel = new HaxTunnel(vcpu.tunnel());
    }

    public int id() { return vcpu.id(); }
    /** The tunnel and I/O buffer (HAX_VCPU_IOCTL_SETUP_TUNNEL). */
    public HaxTunnel tunnel() { return tunnel; }

    /**
     * Runs the guest until an exit the caller must see (HAX_VCPU_IOCTL_RUN); the tunnel describes it.
     * A VCPU that stopped (triple fault, failed VM entry) returns STATECHANGE from then on, and
     * {@link #stopReason()} says why.
     */
    public HaxExitStatus run() {
        checkOpen();
        vm.running.incrementAndGet();
        try {
            return HaxExitStatus.of(vcpu.run());
        } finally {
            vm.running.decrementAndGet();
        }
    }

    /** Why the VCPU stopped for good, or null while it can run. */
    public String stopReason() { return vcpu.panicReason(); }

    /**
     * Engine extension: {@link #run()} returns PAUSED once {@code n} more instructions executed
     * (0 = no limit). An instruction that raised an exception counts too, so a guest caught in an
     * exception loop that retires nothing is paused as well.
     */
    public void setInstructionBudget(long n) { checkOpen(); vcpu.setInstructionBudget(n); }
    /** Guest instructions retired by this VCPU so far. */
    public long instructionsRetired() { return vcpu.instructionsRetired(); }
    /** Makes a running {@link #run()} on another thread return INTERRUPT soon. */
    public void kick() { vcpu.kick(); }

    /** Sees every VM exit, including those the engine handles itself (null to stop). */
    public void setExitListener(VmExitListener l) {
        checkOpen();
        if (l == null) { vcpu.setExitListener(null); return; }
        vcpu.setExitListener((id, reason, qual, rip, len, toUser) ->
            l.onExit(new VmExitEvent(id, reason, reasonName(reason), qual, rip, len, HaxExitStatus.of(toUser))));
    }

    /** Queues external interrupt {@code vector} for injection (HAX_VCPU_IOCTL_INTERRUPT). */
    public void interrupt(int vector) {
        checkOpen();
        vcpu.queueInterrupt(vector);
    }

    /** The VMCS dump of this VCPU, for teaching. */
    public String dumpVmcs() { checkOpen(); return vcpu.vmcs().dump(); }

    // ------------------------------------------------------------------ registers

    /** GET_REGS: general-purpose registers, RIP, RFLAGS, control and debug registers, segments. */
    public HaxVcpuState getRegs() {
        checkOpen();
        Vmcs v = vcpu.vmcs();
        HaxVcpuState s = new HaxVcpuState();
        System.arraycopy(vcpu.state().gpr, 0, s.regs, 0, 16);
        s.regs[4] = v.read(VmcsField.GUEST_RSP);
        s.rip = v.read(VmcsField.GUEST_RIP);
        s.rflags = v.read(VmcsField.GUEST_RFLAGS);
        // Host-owned bits read as the guest wrote them: the read shadow (SDM Vol. 3C §25.6.6).
        s.cr0 = GuestStateTransfer.guestView(v, VmcsField.GUEST_CR0, VmcsField.CR0_GUEST_HOST_MASK, VmcsField.CR0_READ_SHADOW);
        s.cr4 = GuestStateTransfer.guestView(v, VmcsField.GUEST_CR4, VmcsField.CR4_GUEST_HOST_MASK, VmcsField.CR4_READ_SHADOW);
        s.cr2 = vcpu.state().cr2;
        s.cr3 = v.read(VmcsField.GUEST_CR3);
        long[] dr = vcpu.state().dr;
        s.dr0 = dr[0]; s.dr1 = dr[1]; s.dr2 = dr[2]; s.dr3 = dr[3]; s.dr6 = dr[6];
        s.dr7 = v.read(VmcsField.GUEST_DR7);
        readSegment(v, Segment.CS, s.cs); readSegment(v, Segment.SS, s.ss); readSegment(v, Segment.DS, s.ds);
        readSegment(v, Segment.ES, s.es); readSegment(v, Segment.FS, s.fs); readSegment(v, Segment.GS, s.gs);
        readSegment(v, Segment.LDTR, s.ldt); readSegment(v, Segment.TR, s.tr);
        s.gdt.base = v.read(VmcsField.GUEST_GDTR_BASE); s.gdt.limit = (int) v.read(VmcsField.GUEST_GDTR_LIMIT);
        s.idt.base = v.read(VmcsField.GUEST_IDTR_BASE); s.idt.limit = (int) v.read(VmcsField.GUEST_IDTR_LIMIT);
        s.efer = (int) v.read(VmcsField.GUEST_IA32_EFER);
        return s;
    }

    /**
     * SET_REGS. As in HAXM, EFER and the SYSENTER MSRs are not taken from the state (use
     * {@link #setMsr}), and a segment whose access rights are 0 becomes unusable.
     */
    public void setRegs(HaxVcpuState s) {
        checkOpen();
        if (s == null) throw new IllegalArgumentException("state must not be null");
        Vmcs v = vcpu.vmcs();
        System.arraycopy(s.regs, 0, vcpu.state().gpr, 0, 16);
        v.write(VmcsField.GUEST_RSP, s.regs[4]);
        v.write(VmcsField.GUEST_RIP, s.rip);
        v.write(VmcsField.GUEST_RFLAGS, (s.rflags & 0x3F7FD5L) | 2);
        v.write(VmcsField.CR0_READ_SHADOW, s.cr0 & 0xFFFF_FFFFL);
        v.write(VmcsField.GUEST_CR0, (s.cr0 | VmcsSetup.CR0_HOST_OWNED) & 0xFFFF_FFFFL);
        v.write(VmcsField.CR4_READ_SHADOW, s.cr4);
        v.write(VmcsField.GUEST_CR4, s.cr4 | VmcsSetup.CR4_HOST_OWNED);
        v.write(VmcsField.GUEST_CR3, s.cr3);
        vcpu.state().cr2 = s.cr2;
        long[] dr = vcpu.state().dr;
        dr[0] = s.dr0; dr[1] = s.dr1; dr[2] = s.dr2; dr[3] = s.dr3; dr[6] = s.dr6 | 0xFFFF0FF0L;
        v.write(VmcsField.GUEST_DR7, (s.dr7 & 0xFFFF_FFFFL) | 0x400);
        writeSegment(v, Segment.CS, s.cs); writeSegment(v, Segment.SS, s.ss); writeSegment(v, Segment.DS, s.ds);
        writeSegment(v, Segment.ES, s.es); writeSegment(v, Segment.FS, s.fs); writeSegment(v, Segment.GS, s.gs);
        writeSegment(v, Segment.LDTR, s.ldt); writeSegment(v, Segment.TR, s.tr);
        v.write(VmcsField.GUEST_GDTR_BASE, s.gdt.base); v.write(VmcsField.GUEST_GDTR_LIMIT, s.gdt.limit & 0xFFFF);
        v.write(VmcsField.GUEST_IDTR_BASE, s.idt.base); v.write(VmcsField.GUEST_IDTR_LIMIT, s.idt.limit & 0xFFFF);
        if (GuestStateTransfer.paePaging(v)) {
            GuestStateTransfer.reloadPdptes(v, vcpu.vm().memory());
        }
    }

    // ------------------------------------------------------------------ MSRs

    /** Reads one MSR (GET_MSRS with one entry). @throws IllegalArgumentException if the engine does not have it */
    public long getMsr(int index) {
        checkOpen();
        if (!vcpu.msrs().read(index)) throw new IllegalArgumentException("MSR 0x" + Integer.toHexString(index) + " cannot be read");
        return vcpu.msrs().value();
    }

    /** Writes one MSR (SET_MSRS with one entry). @throws IllegalArgumentException if refused */
    public void setMsr(int index, long value) {
        checkOpen();
        if (!vcpu.msrs().write(index, value, false)) {
            throw new IllegalArgumentException("MSR 0x" + Integer.toHexString(index) + " refused value 0x" + Long.toHexString(value));
        }
    }

    /** GET_MSRS: reads {@code indices[i]} into {@code values[i]} in order, stopping at the first
     *  refused MSR; returns how many were read (HAXM's {@code done}). At most 31 entries. */
    public int getMsrs(int[] indices, long[] values) {
        checkBatch(indices, values);
        for (int i = 0; i < indices.length; i++) {
            if (!vcpu.msrs().read(indices[i])) return i;
            values[i] = vcpu.msrs().value();
        }
        return indices.length;
    }

    /** SET_MSRS: writes in order, stopping at the first refused MSR; returns how many were written. */
    public int setMsrs(int[] indices, long[] values) {
        checkBatch(indices, values);
        for (int i = 0; i < indices.length; i++) if (!vcpu.msrs().write(indices[i], values[i], false)) return i;
        return indices.length;
    }

    /** HAXM accepts at most 31 MSRs per call (array of 32, check {@code nr_msr >= 32}). */
    public static final int MAX_MSRS_PER_CALL = 31;

    private void checkBatch(int[] indices, long[] values) {
        checkOpen();
        if (indices == null || values == null) throw new IllegalArgumentException("indices and values must not be null");
        if (indices.length != values.length) {
            throw new IllegalArgumentException("indices and values must have the same length: " + indices.length + " vs " + values.length);
        }
        if (indices.length > MAX_MSRS_PER_CALL) {
            throw new IllegalArgumentException("at most " + MAX_MSRS_PER_CALL + " MSRs per call, got " + indices.length);
        }
    }

    // ------------------------------------------------------------------ CPUID

    /**
     * HAX_VCPU_IOCTL_SET_CPUID: narrows the CPU model of the whole VM (HAXM: "send this ioctl to
     * any VCPU ... all VCPUs will change accordingly"). Per leaf, as HAXM's filters do
     * (haxm-api.md §6.7): leaf 0 and 0x80000000 may lower the highest leaf; leaves 1, 7 (sub-leaf
     * 0) and 0x80000001 hide every offered feature whose bit is clear; leaf 1 EAX (signature) and
     * the brand string 0x80000002-4 are taken as given. A set bit for a feature the engine does
     * not implement is <b>ignored</b> (not refused), so a host's full table can be passed in;
     * entries for other leaves (topology, caches, XSAVE, address sizes) are ignored. A later call
     * for a leaf replaces the earlier choice for it.
     *
     * <p>Narrowing changes only what CPUID reports: the guest can still execute an instruction
     * whose flag is hidden, as on Intel hardware under a VMM (see
     * {@link org.haxm.core.cpuid.CpuidModel}).
     *
     * @throws IllegalArgumentException if {@code entries} is null or not 1..64 entries, holds a
     *         null entry, or two entries for the same leaf
     * @throws IllegalStateException while a VCPU of this VM is inside {@link #run()} (HAXM refuses
     *         SET_CPUID on a running VCPU; the table is VM-wide, so this engine refuses while any runs)
     */
    public void setCpuid(List<HaxCpuidEntry> entries) {
        checkOpen();
        if (entries == null) throw new IllegalArgumentException("entries must not be null");
        if (vm.running.get() > 0) {
            throw new IllegalStateException("SET_CPUID is refused while a VCPU of VM " + vm.id() + " is running");
        }
        List<CpuidEntry> core = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            HaxCpuidEntry e = entries.get(i);
            if (e == null) throw new IllegalArgumentException("entries[" + i + "] must not be null");
            core.add(e.toCore());
        }
        vcpu.vm().setCpuid(core);
    }

    /** SET_CPUID from a raw {@code hax_cpuid} image ({@link HaxCpuid#decode}). */
    public void setCpuid(ByteBuffer raw) { setCpuid(HaxCpuid.decode(raw)); }

    /**
     * HAX_VCPU_IOCTL_GET_CPUID: the VM's table as this VCPU sees it (its APIC id in leaves 1 and
     * 0xB), every leaf and sub-leaf with data up to the current highest leaves. Passing it back to
     * {@link #setCpuid(List)} changes nothing.
     */
    public List<HaxCpuidEntry> getCpuid() {
        checkOpen();
        return vcpu.vm().cpuidModel().entries(vcpu.id()).stream().map(HaxCpuidEntry::fromCore).toList();
    }

    // ------------------------------------------------------------------ helpers

    private static void readSegment(Vmcs v, Segment s, HaxSegment out) {
        GuestSegmentFields f = GuestSegmentFields.of(s);
        out.selector = (int) v.read(f.selector());
        out.base = v.read(f.base());
        out.limit = (int) v.read(f.limit());
        out.ar = (int) v.read(f.accessRights());
    }

    private static void writeSegment(Vmcs v, Segment s, HaxSegment in) {
        if (in == null) throw new IllegalArgumentException("segment " + s + " must not be null");
        GuestSegmentFields f = GuestSegmentFields.of(s);
        v.write(f.selector(), in.selector & 0xFFFF);
        v.write(f.base(), in.base);
        v.write(f.limit(), in.limit & 0xFFFF_FFFFL);
        int ar = in.ar == 0 ? 1 << 16 : in.ar & 0x1F0FF;
        v.write(f.accessRights(), ar);
    }

    private static String reasonName(int reason) {
        try {
            return ExitReason.fromNumber(reason).name();
        } catch (RuntimeException e) {
            return "REASON_" + reason;
        }
    }

    private void checkOpen() {
        if (vcpu.isClosed()) throw new IllegalStateException("VCPU " + vcpu.id() + " is closed");
        vm.checkOpen();
    }

    /** Destroys the VCPU and frees its id. */
    @Override
    public void close() { vcpu.close(); }
}
