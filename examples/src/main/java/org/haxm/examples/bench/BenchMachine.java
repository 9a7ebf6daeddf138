package org.haxm.examples.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.haxm.api.HaxExitStatus;
import org.haxm.api.HaxTunnel;
import org.haxm.api.HaxVcpu;
import org.haxm.api.HaxVm;
import org.haxm.examples.devices.MmioBus;
import org.haxm.examples.devices.PortBus;
import org.haxm.examples.setup.GuestModeSetup;
import org.haxm.examples.vmm.GuestMachine;

/**
 * The bench VMM: one VM with 64 MiB of RAM, one VCPU and the bench devices, running one build of
 * one workload from its entry to its final HLT. It differs from {@code vmm.Vmm} in what the
 * measurement needs: its exit loop allocates nothing per exit, counts returns by status, and
 * answers the HLTs of exit-hlt by injecting an interrupt instead of stopping.
 *
 * <p>The guest environment is exactly {@code haxm run --mode long|protected --ram 64M --load
 * 0x100000=<bin> --entry 0x100000}: {@link GuestModeSetup} writes the GDT and page tables, the
 * registers are set through HAXM's SET_REGS and EFER through SET_MSRS.
 */
public final class BenchMachine implements AutoCloseable {

    /** RAM at guest-physical 0. */
    public static final long RAM_SIZE = 64L << 20;
    /** Where the image is loaded and where the guest starts (the crt's {@code _start}). */
    public static final long LOAD_ADDRESS = 0x10_0000;
    /** Where the crt stores workload()'s 32-bit result. */
    public static final long CHECKSUM_ADDRESS = 0x500;
    /** The vector injected at each HLT of exit-hlt (its IDT has a gate only there). */
    public static final int IRQ_VECTOR = 0x20;
    /**
     * A guest that retires this many instructions (25 times the largest workload) within one
     * {@code HaxVcpu.run()} (the budget restarts at every call) is stuck, e.g. looping on HLT with
     * interrupts off before exit-hlt's "done": the run fails instead of hanging.
     */
    public static final long INSTRUCTION_LIMIT = 1_000_000_000L;

    private final Workload workload;
    private final WorkloadMode mode;
    private final long instructionLimit;
    private final GuestMachine machine;
    private final HaxVm vm;
    private final HaxVcpu vcpu;
    private final PortBus ports = new PortBus();
    private final MmioBus mmio = new MmioBus();
    private final BenchPortDevice portDevice = new BenchPortDevice();

    /**
     * Creates the VM and loads the image.
     *
     * @param instructionLimit the run fails after this many instructions without an exit to the VMM
     * @throws IllegalArgumentException if the image does not fit between 0x100000 and the end of RAM
     */
    public BenchMachine(Workload workload, WorkloadMode mode, byte[] image, long instructionLimit) {
        if (instructionLimit <= 0) {
            throw new IllegalArgumentException("instructionLimit " + instructionLimit + " must be positive");
        }
        if (image.length == 0 || image.length > RAM_SIZE - LOAD_ADDRESS) {
            throw new IllegalArgumentException(workload.name() + "-" + mode.shortName() + ": image of "
                    + image.length + " bytes does not fit at 0x100000 in 64 MiB of RAM");
        }
        this.workload = workload;
        this.mode = mode;
        this.instructionLimit = instructionLimit;
        this.machine = GuestMachine.open(RAM_SIZE);
        this.vm = machine.vm();
        this.vcpu = machine.vcpu();
        vm.writeMemory(LOAD_ADDRESS, image, 0, image.length);
        ports.register(BenchPortDevice.BASE, BenchPortDevice.PORT_COUNT, portDevice);
        mmio.register(BenchMmioDevice.BASE, BenchMmioDevice.SIZE, new BenchMmioDevice());
    }

    /** Runs the guest from its entry to the end and measures the exit loop. */
    public RunMeasurement run() {
        GuestModeSetup.prepare(mode.guestMode(), RAM_SIZE, LOAD_ADDRESS, vm::writeMemory).applyTo(vcpu);
        HaxTunnel tunnel = vcpu.tunnel();
        ByteBuffer io = tunnel.ioBuffer().order(ByteOrder.LITTLE_ENDIAN);
        vcpu.setInstructionBudget(instructionLimit);
        long ioExits = 0, mmioExits = 0, hltExits = 0, otherExits = 0;
        String failure = null;
        long startInstructions = vcpu.instructionsRetired();
        long start = System.nanoTime();
        loop:
        while (true) {
            HaxExitStatus status = vcpu.run();
            switch (status) {
                case IO -> {
                    ioExits++;
                    handleIo(tunnel, io);
                }
                case FAST_MMIO -> {
                    mmioExits++;
                    if (!handleMmio(tunnel)) {
                        failure = "unsupported MMIO access at 0x" + Long.toHexString(tunnel.mmioGpa());
                        break loop;
                    }
                }
                case HLT -> {
                    hltExits++;
                    if (workload.kind() != WorkloadKind.EXIT_HLT || portDevice.done()) {
                        break loop;
                    }
                    vcpu.interrupt(IRQ_VECTOR); // wakes the guest: injected at the next VM entry
                }
                case INTERRUPT -> otherExits++;
                case PAUSED -> {
                    failure = "stuck: " + instructionLimit + " instructions without an exit to the VMM";
                    break loop;
                }
                case STATECHANGE -> {
                    failure = "guest stopped: " + vcpu.stopReason();
                    break loop;
                }
                default -> {
                    failure = "unexpected exit " + status + " (exit reason " + tunnel.exitReason() + ")";
                    break loop;
                }
            }
        }
        long nanos = System.nanoTime() - start;
        long instructions = vcpu.instructionsRetired() - startInstructions;
        byte[] sum = new byte[4];
        vm.readMemory(CHECKSUM_ADDRESS, sum, 0, 4);
        int checksum = ByteBuffer.wrap(sum).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return new RunMeasurement(instructions, nanos, ioExits, mmioExits, hltExits, otherExits, checksum, failure);
    }

    /**
     * Completes an I/O exit (HAXM semantics: an OUT is already complete, an IN takes its value
     * from the buffer at the next entry). The workloads use single IN/OUT, but string I/O is
     * handled too: {@code count} elements, in descending order when DF = 1 (SDM Vol. 2B "INS").
     */
    private void handleIo(HaxTunnel t, ByteBuffer buf) {
        int size = t.ioSize();
        int count = t.ioCount();
        int port = t.ioPort();
        boolean in = t.ioDirection() == 1;
        for (int k = 0; k < count; k++) {
            int offset = (t.ioDf() ? count - 1 - k : k) * size;
            if (in) {
                int v = ports.read(port, size);
                switch (size) {
                    case 1 -> buf.put(offset, (byte) v);
                    case 2 -> buf.putShort(offset, (short) v);
                    default -> buf.putInt(offset, v);
                }
            } else {
                int v = switch (size) {
                    case 1 -> buf.get(offset) & 0xFF;
                    case 2 -> buf.getShort(offset) & 0xFFFF;
                    default -> buf.getInt(offset);
                };
                ports.write(port, size, v);
            }
        }
    }

    private boolean handleMmio(HaxTunnel t) {
        int size = t.mmioSize();
        switch (t.mmioDirection()) {
            case 0 -> t.setMmioValue(mmio.read(t.mmioGpa(), size));
            case 1 -> mmio.write(t.mmioGpa(), size, MmioBus.mask(t.mmioValue(), size));
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        machine.close();
    }
}
