package org.haxm.core;

import java.util.List;

import org.haxm.core.cpuid.CpuidEntry;
import org.haxm.core.cpuid.CpuidModel;
import org.haxm.core.cpuid.Topology;
import org.haxm.emulator.mem.CodePageTracker;
import org.haxm.ept.GuestPhysicalMemory;
import org.haxm.vmx.VmxCapabilities;

/**
 * One virtual machine: its guest-physical memory (RAM blocks, mappings, and the EPT built from
 * them), its CPU model and up to {@link #MAX_VCPUS} VCPUs. Separate VMs share nothing: each has
 * its own memory map and EPT, so no VM can reach another's memory.
 */
public final class VirtualMachine implements AutoCloseable {
    /** VCPUs per VM (HAXM: ids 0..15 on every host). */
    public static final int MAX_VCPUS = 16;

    private final int id;
    private final GuestPhysicalMemory memory = new GuestPhysicalMemory();
    /** Which guest-physical pages hold decoded code, shared by all VCPUs so that a write by any
     *  VCPU or by the host invalidates every VCPU's decoded copy (SDM Vol. 3A §8.1.3). */
    private final CodePageTracker codePages = new CodePageTracker();
    /** Host-physical address width of the software processor that hosts the VMs: 46 bits, like a
     *  server part, so the engine's synthetic host-physical addresses of EPT tables and RAM (see
     *  haxm-ept) are valid in the EPTP checks (SDM Vol. 3C §27.2.1.1). Guests see {@link CpuidModel#PHYSICAL_ADDRESS_BITS} (CPUID 0x80000008). */
    public static final int HOST_PHYSICAL_ADDRESS_BITS = 46;

    private final VmxCapabilities capabilities = VmxCapabilities.defaults().withPhysicalAddressWidth(HOST_PHYSICAL_ADDRESS_BITS);
    private final VirtualCpu[] vcpus = new VirtualCpu[MAX_VCPUS];
    private final Runnable onClose;
    /** Replaced as a whole (immutable), so VCPU threads answering CPUID always see one consistent model. */
    private volatile CpuidModel cpuid = new CpuidModel(1);
    private boolean closed;

    /** @param onClose called once when the VM closes (frees its slot in the system). */
    public VirtualMachine(int id, Runnable onClose) {
        this.id = id;
        this.onClose = onClose;
    }

    public int id() { return id; }
    public GuestPhysicalMemory memory() { return memory; }
    public VmxCapabilities capabilities() { return capabilities; }
    /** The CPU model every VCPU of this VM answers CPUID from (one table per VM, as in HAXM). */
    public CpuidModel cpuidModel() { return cpuid; }
    /** True once the caller supplied RAM it can write directly (not through {@link #writeGuestMemory}). */
    private volatile boolean hostSharedRam;

    /**
     * Records that the caller holds a direct mapping of some guest RAM (HAXM's ADD_RAMBLOCK with
     * caller memory): its writes bypass the code-page tracker, so every VM entry must make the
     * VCPUs compare their decoded code with memory before using it.
     */
    public void noteHostSharedRam() { hostSharedRam = true; }

    /** See {@link #noteHostSharedRam()}. */
    public boolean hostSharedRam() { return hostSharedRam; }

    /** The VM's code-page tracker: every writer of guest-physical memory reports to it. */
    public CodePageTracker codePages() { return codePages; }

    /**
     * Host write into mapped guest RAM (not subject to ROM): copies the bytes, then tells the
     * code-page tracker, so no VCPU executes a stale decoded copy of them.
     */
    public void writeGuestMemory(long gpa, byte[] src, int off, int len) {
        memory.writeBytes(gpa, src, off, len);
        codePages.noteWriteRange(gpa, len);
    }

    /**
     * SET_CPUID: narrows the VM's CPU model with the caller's entries (see
     * {@link org.haxm.core.cpuid.CpuidNarrowing} for the per-leaf rules). The table is VM-wide:
     * every VCPU answers from it. Refusing the call while a VCPU runs is the API's job.
     *
     * @throws IllegalArgumentException if {@code entries} is null, holds no entry or more than
     *         {@link CpuidModel#MAX_ENTRIES}, a null entry, or two entries for the same leaf
     */
    public synchronized void setCpuid(List<CpuidEntry> entries) {
        checkOpen();
        if (entries == null) throw new IllegalArgumentException("entries must not be null");
        if (entries.isEmpty() || entries.size() > CpuidModel.MAX_ENTRIES) {
            throw new IllegalArgumentException("entries must hold 1.." + CpuidModel.MAX_ENTRIES + " CPUID entries, got " + entries.size());
        }
        cpuid = cpuid.narrowedBy(entries);
    }

    /** The topology of the live VCPUs: their count, and ids up to the highest one. */
    private Topology topology() {
        int n = 0, span = 0;
        for (int i = 0; i < vcpus.length; i++) if (vcpus[i] != null) { n++; span = i + 1; }
        return n == 0 ? Topology.of(1) : new Topology(n, span);
    }

    /**
     * Creates VCPU {@code vcpuId} (HAX_VM_IOCTL_VCPU_CREATE).
     *
     * @throws IllegalArgumentException if the id is outside 0..15 or already in use
     * @throws IllegalStateException if the VM is closed
     */
    public synchronized VirtualCpu createVcpu(int vcpuId) {
        checkOpen();
        if (vcpuId < 0 || vcpuId >= MAX_VCPUS) {
            throw new IllegalArgumentException("vcpuId must be 0.." + (MAX_VCPUS - 1) + " (at most " + MAX_VCPUS
                + " VCPUs per VM), got " + vcpuId);
        }
        if (vcpus[vcpuId] != null) throw new IllegalArgumentException("vcpuId " + vcpuId + " already exists in VM " + id);
        VirtualCpu v = new VirtualCpu(this, vcpuId);
        vcpus[vcpuId] = v;
        cpuid = cpuid.withTopology(topology());
        return v;
    }

    /** Number of live VCPUs. */
    public synchronized int vcpuCount() {
        int n = 0;
        for (VirtualCpu v : vcpus) if (v != null) n++;
        return n;
    }

    synchronized void vcpuClosed(VirtualCpu v) {
        if (vcpus[v.id()] == v) {
            vcpus[v.id()] = null;
            cpuid = cpuid.withTopology(topology());
        }
    }

    public synchronized boolean isClosed() { return closed; }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("VM " + id + " is closed");
    }

    /** Closes every VCPU and frees the VM's slot. */
    @Override
    public void close() {
        VirtualCpu[] live;
        synchronized (this) {
            if (closed) return;
            closed = true;
            live = vcpus.clone();
        }
        for (VirtualCpu v : live) if (v != null) v.close();
        onClose.run();
    }
}
