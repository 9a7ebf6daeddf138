package org.haxm.api;

import java.nio.ByteBuffer;

import org.haxm.core.VirtualCpu;
import org.haxm.core.VirtualMachine;
import org.haxm.ept.RamBlock;

/**
 * A virtual machine (the {@code /dev/hax_vmNN} device): guest RAM and VCPUs. RAM follows HAXM's
 * two steps: register host memory as RAM blocks, then map guest-physical ranges onto them with
 * SET_RAM semantics; a guest-physical address with no mapping is MMIO.
 */
public final class HaxVm implements AutoCloseable {
    public static final int MAX_VCPUS = VirtualMachine.MAX_VCPUS;

    private final VirtualMachine vm;
    /** VCPUs of this VM inside {@link HaxVcpu#run()}: SET_CPUID is refused while any runs. */
    final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();

    HaxVm(VirtualMachine vm) { this.vm = vm; }

    public int id() { return vm.id(); }

    /**
     * Creates VCPU {@code vcpuId} (0..15).
     *
     * @throws IllegalArgumentException for an id outside 0..15 or in use
     * @throws HaxLimitException when the VM already has 16 VCPUs
     */
    public HaxVcpu createVcpu(int vcpuId) {
        checkOpen();
        if (vm.vcpuCount() >= MAX_VCPUS) throw new HaxLimitException("VM " + id() + " already has the maximum of " + MAX_VCPUS + " VCPUs");
        VirtualCpu v = vm.createVcpu(vcpuId);
        return new HaxVcpu(this, v);
    }

    /** ADD_RAMBLOCK with caller memory, used in place: guest writes are visible in {@code hostMemory}. */
    public HaxRamBlock addRamBlock(ByteBuffer hostMemory) {
        checkOpen();
        if (hostMemory == null) throw new IllegalArgumentException("hostMemory must not be null");
        vm.noteHostSharedRam(); // the caller may write code into it directly (see VirtualMachine)
        return new HaxRamBlock(vm.memory().addRamBlock(hostMemory));
    }

    /** ADD_RAMBLOCK with memory the engine allocates. */
    public HaxRamBlock allocateRamBlock(long size) {
        checkOpen();
        return new HaxRamBlock(vm.memory().allocateRamBlock(size));
    }

    /** SET_RAM2: maps [gpa, gpa+size) to host memory at {@code va} (flags ROM/STANDALONE), or unmaps it (INVALID, va 0). */
    public void setRam(long gpa, long size, long va, int flags) {
        checkOpen();
        vm.memory().setRam(gpa, size, va, flags);
    }

    /** Maps [gpa, gpa+size) to {@code block} at {@code blockOffset}, read-only if asked. */
    public void mapRam(long gpa, HaxRamBlock block, long blockOffset, long size, boolean readOnly) {
        checkOpen();
        if (block == null) throw new IllegalArgumentException("block must not be null");
        RamBlock b = block.block();
        vm.memory().map(gpa, b, blockOffset, size, readOnly);
    }

    /** Unmaps [gpa, gpa+size): it becomes MMIO. */
    public void unmapRam(long gpa, long size) {
        checkOpen();
        vm.memory().unmap(gpa, size);
    }

    /** Copies bytes into mapped guest RAM (host access, not subject to ROM). */
    public void writeMemory(long gpa, byte[] data, int off, int len) {
        checkOpen();
        vm.writeGuestMemory(gpa, data, off, len);
    }

    /** Copies bytes out of mapped guest RAM. */
    public void readMemory(long gpa, byte[] dst, int off, int len) {
        checkOpen();
        vm.memory().readBytes(gpa, dst, off, len);
    }

    /** The EPT entries that translate {@code gpa}, for teaching. */
    public String describeEpt(long gpa) { checkOpen(); return vm.memory().describe(gpa); }

    void checkOpen() {
        if (vm.isClosed()) throw new IllegalStateException("VM " + id() + " is closed");
    }

    /** Closes the VM and its VCPUs and frees its slot. */
    @Override
    public void close() { vm.close(); }
}
