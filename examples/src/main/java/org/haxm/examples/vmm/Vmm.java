package org.haxm.examples.vmm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.haxm.api.HaxException;
import org.haxm.api.HaxExitStatus;
import org.haxm.api.HaxTunnel;
import org.haxm.api.HaxVcpu;
import org.haxm.api.HaxVcpuState;
import org.haxm.api.HaxVm;
import org.haxm.examples.devices.DebugConsole;
import org.haxm.examples.devices.DebugExit;
import org.haxm.examples.devices.MmioBus;
import org.haxm.examples.devices.PortBus;
import org.haxm.examples.devices.Uart16550;
import org.haxm.examples.setup.GuestMode;
import org.haxm.examples.setup.GuestModeSetup;
import org.haxm.examples.setup.InitialCpuState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal virtual machine monitor over the HAXM-style API: one VM, one VCPU, RAM at
 * guest-physical 0, a debug console (0xE9), a 16550 UART (COM1), isa-debug-exit (0xF4) and an
 * MMIO bus. It plays the role QEMU plays for HAXM: the engine runs the guest in VMX non-root
 * mode and returns to {@link #run} only for the exits it cannot complete itself (I/O, MMIO, HLT,
 * failures), which the exit loop dispatches to the devices.
 *
 * <p>Usage: construct, {@link #load} images, optionally add devices to {@link #mmioBus()}, then
 * {@link #run}. After the run the registers and memory can be inspected.
 */
public final class Vmm implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Vmm.class);

    /** IA32_EFER (SDM Vol. 4, MSR 0xC0000080); like HAXM, SET_REGS does not carry it. */
    public static final int IA32_EFER = 0xC000_0080;
    /** How many exits the statistics keep in order. */
    static final int TRACE_CAPACITY = 4096;

    private final GuestMode mode;
    private final long ramSize;
    private final OutputStream console;
    private final GuestMachine machine;
    private final HaxVm vm;
    private final HaxVcpu vcpu;
    private final PortBus portBus = new PortBus();
    private final MmioBus mmioBus = new MmioBus();
    private final DebugExit debugExit = new DebugExit();
    private final ExitStatistics exits = new ExitStatistics(TRACE_CAPACITY);

    /**
     * Creates the VM with {@code ramSize} bytes of RAM and the standard devices.
     *
     * @param mode the mode {@link #run} will start the guest in
     * @param ramSize RAM size, a positive multiple of 4 KiB
     * @param console where guest console output (0xE9, COM1) goes
     * @throws IllegalArgumentException for a bad size
     * @throws HaxException if the engine refuses (e.g. RAM too large for its quota)
     */
    public Vmm(GuestMode mode, long ramSize, OutputStream console) {
        if (mode == null || console == null) {
            throw new IllegalArgumentException("mode and console must not be null");
        }
        if (ramSize <= 0 || ramSize % 4096 != 0) {
            throw new IllegalArgumentException("ramSize " + ramSize + " must be a positive multiple of 4096");
        }
        this.mode = mode;
        this.ramSize = ramSize;
        this.console = console;
        this.machine = GuestMachine.open(ramSize);
        this.vm = machine.vm();
        this.vcpu = machine.vcpu();
        vcpu.setExitListener(exits);
        portBus.register(DebugConsole.PORT, 1, new DebugConsole(console));
        portBus.register(Uart16550.COM1, Uart16550.PORT_COUNT, new Uart16550(Uart16550.COM1, console));
        portBus.register(DebugExit.PORT, 1, debugExit);
    }

    /** The I/O port bus, to add devices before {@link #run}. */
    public PortBus portBus() {
        return portBus;
    }

    /** The MMIO bus, to add devices before {@link #run}. */
    public MmioBus mmioBus() {
        return mmioBus;
    }

    /** Exit counts gathered through the engine's exit listener. */
    public ExitStatistics exitStatistics() {
        return exits;
    }

    /** RAM size in bytes. */
    public long ramSize() {
        return ramSize;
    }

    /**
     * Copies an image into guest RAM.
     *
     * @throws IllegalArgumentException if it does not fit in RAM
     */
    public void load(long gpa, byte[] image) {
        checkRamRange("load", gpa, image.length);
        vm.writeMemory(gpa, image, 0, image.length);
    }

    /** Reads {@code length} bytes of guest RAM from {@code gpa}. */
    public byte[] readMemory(long gpa, int length) {
        checkRamRange("read", gpa, length);
        byte[] b = new byte[length];
        vm.readMemory(gpa, b, 0, length);
        return b;
    }

    /** The VCPU's current registers. */
    public HaxVcpuState registers() {
        return vcpu.getRegs();
    }

    /** The VCPU's IA32_EFER. */
    public long efer() {
        return vcpu.getMsr(IA32_EFER);
    }

    /** Instructions the guest has retired so far. */
    public long instructionsRetired() {
        return vcpu.instructionsRetired();
    }

    /**
     * Sets up the mode, starts the guest at {@code entry} and runs the exit loop until the guest
     * halts, requests an exit, or fails.
     *
     * @param entry first instruction
     * @param maxInstructions instruction budget, 0 = unlimited
     */
    public RunResult run(long entry, long maxInstructions) {
        if (maxInstructions < 0) {
            throw new IllegalArgumentException("maxInstructions " + maxInstructions + " must be >= 0 (0 = unlimited)");
        }
        InitialCpuState state = GuestModeSetup.prepare(mode, ramSize, entry, vm::writeMemory);
        applyInitialState(state);
        try {
            return exitLoop(maxInstructions);
        } catch (HaxException e) {
            return RunResult.failed("engine error: " + e.getMessage());
        } finally {
            flushConsole();
        }
    }

    private RunResult exitLoop(long maxInstructions) {
        long start = vcpu.instructionsRetired();
        vcpu.setInstructionBudget(maxInstructions);
        HaxTunnel tunnel = vcpu.tunnel();
        while (true) {
            HaxExitStatus status = vcpu.run();
            exits.recordReturn(status);
            switch (status) {
                case IO -> {
                    handleIo(tunnel);
                    if (debugExit.exitRequested()) {
                        return RunResult.debugExit(debugExit.exitStatus());
                    }
                }
                case FAST_MMIO -> {
                    if (!handleMmio(tunnel)) {
                        return RunResult.failed(String.format("unsupported MMIO access (direction %d) at 0x%x",
                                tunnel.mmioDirection(), tunnel.mmioGpa()));
                    }
                }
                case HLT -> {
                    return RunResult.halted();
                }
                case STATECHANGE -> {
                    return RunResult.failed("guest stopped: " + vcpu.stopReason());
                }
                case PAUSED -> {
                    long retired = vcpu.instructionsRetired() - start;
                    if (maxInstructions > 0 && retired >= maxInstructions) {
                        return RunResult.failed("instruction limit " + maxInstructions + " reached");
                    }
                    if (maxInstructions > 0) {
                        vcpu.setInstructionBudget(maxInstructions - retired); // spurious pause: keep the total
                    }
                }
                case INTERRUPT -> {
                    // A host event interrupted the guest; nothing to do but resume (as QEMU does).
                }
                default -> {
                    return RunResult.failed("unexpected exit " + status + " (exit reason " + tunnel.exitReason() + ")");
                }
            }
        }
    }

    /**
     * I/O exit (HAXM semantics, see haxm-api.md §4.2): the buffer holds {@code count} elements of
     * {@code size} bytes in ascending-address order. The guest's order of accesses is ascending
     * with DF = 0 and descending with DF = 1 (SDM Vol. 2B "OUTS", "INS"), so the element the guest
     * transfers first is the last one in the buffer when DF = 1.
     */
    private void handleIo(HaxTunnel t) {
        ByteBuffer buf = t.ioBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int size = t.ioSize();
        int count = t.ioCount();
        int port = t.ioPort();
        boolean descending = t.ioDf();
        boolean in = t.ioDirection() == 1;
        for (int k = 0; k < count; k++) {
            int offset = (descending ? count - 1 - k : k) * size;
            if (in) {
                putElement(buf, offset, size, portBus.read(port, size));
            } else {
                portBus.write(port, size, getElement(buf, offset, size));
                if (debugExit.exitRequested()) {
                    return; // the guest asked to stop: later elements are never sent
                }
            }
        }
    }

    private boolean handleMmio(HaxTunnel t) {
        int size = t.mmioSize();
        if (LOG.isDebugEnabled()) {
            LOG.debug("MMIO {} of {} bytes at 0x{}", t.mmioDirection() == 0 ? "read" : "write", size, Long.toHexString(t.mmioGpa()));
        }
        switch (t.mmioDirection()) {
            case 0 -> t.setMmioValue(mmioBus.read(t.mmioGpa(), size));
            case 1 -> mmioBus.write(t.mmioGpa(), size, MmioBus.mask(t.mmioValue(), size));
            default -> {
                return false;
            }
        }
        return true;
    }

    private static int getElement(ByteBuffer b, int offset, int size) {
        return switch (size) {
            case 1 -> b.get(offset) & 0xFF;
            case 2 -> b.getShort(offset) & 0xFFFF;
            default -> b.getInt(offset);
        };
    }

    private static void putElement(ByteBuffer b, int offset, int size, int value) {
        switch (size) {
            case 1 -> b.put(offset, (byte) value);
            case 2 -> b.putShort(offset, (short) value);
            default -> b.putInt(offset, value);
        }
    }

    private void applyInitialState(InitialCpuState st) {
        st.applyTo(vcpu);
        LOG.debug("initial state for {} mode: rip=0x{} rsp=0x{} cr0=0x{} cr3=0x{} cr4=0x{} efer=0x{}", mode.cliName(),
                Long.toHexString(st.rip()), Long.toHexString(st.rsp()), Long.toHexString(st.cr0()),
                Long.toHexString(st.cr3()), Long.toHexString(st.cr4()), Long.toHexString(st.efer()));
    }

    private void checkRamRange(String what, long gpa, long length) {
        if (gpa < 0 || length < 0 || gpa > ramSize || length > ramSize - gpa) {
            throw new IllegalArgumentException(String.format("%s of %d bytes at 0x%x is outside RAM 0x0..0x%x",
                    what, length, gpa, ramSize - 1));
        }
    }

    private void flushConsole() {
        try {
            console.flush();
        } catch (IOException e) {
            LOG.warn("flushing guest console output failed", e);
        }
    }

    @Override
    public void close() {
        machine.close();
    }
}
