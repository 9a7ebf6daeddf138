package org.haxm.api;

import org.haxm.core.VirtualMachine;

/**
 * The engine itself, what {@code /dev/HAX} is to a HAXM client: version, capabilities, and the
 * creation of VMs. Up to {@link #MAX_VMS} VMs live at once (HAXM on NetBSD); closing one frees
 * its slot.
 */
public final class HaxSystem implements AutoCloseable {
    /** Live VMs per system. */
    public static final int MAX_VMS = 8;
    /** HAXM API versions: current 4, compatible down to 1. */
    public static final HaxModuleVersion VERSION = new HaxModuleVersion(1, 4);

    private final VirtualMachine[] vms = new VirtualMachine[MAX_VMS];
    private boolean closed;

    private HaxSystem() {}

    /** Opens an engine instance. */
    public static HaxSystem open() { return new HaxSystem(); }

    /** HAX_IOCTL_VERSION. */
    public HaxModuleVersion version() { return VERSION; }

    /**
     * HAX_IOCTL_CAPABILITY: working, with a memory quota of 2^48 bytes as HAXM reports; EPT,
     * fast MMIO, unrestricted guest, 64-bit RAM blocks and SET_RAM2, full tunnel page, and
     * implicit (STANDALONE) RAM blocks, and SET_CPUID/GET_CPUID ({@link HaxVcpu#setCpuid}). RAM
     * protection and debugging are not offered yet.
     */
    public HaxCapabilityInfo capability() {
        int winfo = HaxCapabilityInfo.CAP_EPT | HaxCapabilityInfo.CAP_FASTMMIO | HaxCapabilityInfo.CAP_UG
            | HaxCapabilityInfo.CAP_64BIT_RAMBLOCK | HaxCapabilityInfo.CAP_64BIT_SETRAM | HaxCapabilityInfo.CAP_TUNNEL_PAGE
            | HaxCapabilityInfo.CAP_IMPLICIT_RAMBLOCK | HaxCapabilityInfo.CAP_CPUID;
        return new HaxCapabilityInfo(HaxCapabilityInfo.STATUS_WORKING | HaxCapabilityInfo.STATUS_MEMQUOTA, winfo, 1L << 48);
    }

    /**
     * HAX_IOCTL_CREATE_VM: the lowest free id.
     *
     * @throws HaxLimitException when {@link #MAX_VMS} VMs are open
     */
    public synchronized HaxVm createVm() {
        if (closed) throw new IllegalStateException("the HaxSystem is closed");
        for (int i = 0; i < MAX_VMS; i++) {
            if (vms[i] == null) {
                final int id = i;
                VirtualMachine vm = new VirtualMachine(id, () -> release(id));
                vms[i] = vm;
                return new HaxVm(vm);
            }
        }
        throw new HaxLimitException("cannot create more than " + MAX_VMS + " VMs per system; close one first");
    }

    /** Number of open VMs. */
    public synchronized int vmCount() {
        int n = 0;
        for (VirtualMachine vm : vms) if (vm != null) n++;
        return n;
    }

    private synchronized void release(int id) { vms[id] = null; }

    /** Closes every VM. */
    @Override
    public void close() {
        VirtualMachine[] live;
        synchronized (this) {
            closed = true;
            live = vms.clone();
        }
        for (VirtualMachine vm : live) if (vm != null) vm.close();
    }
}
