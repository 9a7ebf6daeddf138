package org.haxm.examples.jmh;

import java.util.concurrent.TimeUnit;
import org.haxm.api.HaxExitStatus;
import org.haxm.api.HaxTunnel;
import org.haxm.examples.setup.GuestMode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per VM exit round trip through the API: the guest executes {@code OUT DX, AL}
 * (an I/O exit, SDM Vol. 3C §26.1.3, reason 30), {@link org.haxm.api.HaxVcpu#run()} returns
 * {@link HaxExitStatus#IO}, the caller's {@code switch} reads the tunnel, and the next
 * {@code run()} re-enters the guest, which jumps back to the OUT. One invocation is one round trip
 * plus the guest's JMP.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExitRoundTripBenchmark {

    /** The port the guest writes: 0x80, the POST-code port, which nothing needs to answer. */
    public static final int PORT = 0x80;
    static final int ENTRY = 0x10_0000;

    /**
     * <pre>
     *        mov edx, PORT     BA imm32
     * loop:  out dx, al        EE
     *        jmp loop          EB FD
     * </pre>
     */
    static final byte[] CODE = {(byte) 0xBA, (byte) PORT, 0, 0, 0, (byte) 0xEE, (byte) 0xEB, (byte) 0xFD};

    private ApiGuest guest;
    private HaxTunnel tunnel;

    /** Builds the VM with the OUT loop. */
    @Setup(Level.Trial)
    public void setUp() {
        guest = new ApiGuest(GuestMode.PROTECTED, 0x20_0000, ENTRY, CODE);
        tunnel = guest.vcpu().tunnel();
    }

    /** One exit: run until the OUT, dispatch like a VMM's exit loop does. */
    @Benchmark
    public int roundTrip() {
        switch (guest.vcpu().run()) {
            case IO:
                return tunnel.ioPort() + (tunnel.ioBuffer().get(0) & 0xFF);
            default:
                throw new IllegalStateException("unexpected exit " + tunnel.exitStatus() + ": " + guest.vcpu().stopReason());
        }
    }

    /** Frees the VM. */
    @TearDown(Level.Trial)
    public void tearDown() {
        guest.close();
    }
}
