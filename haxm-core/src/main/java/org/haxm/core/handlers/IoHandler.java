package org.haxm.core.handlers;

import java.nio.ByteBuffer;

import org.haxm.core.VirtualCpu;
import org.haxm.core.transition.GuestStateTransfer;
import org.haxm.core.tunnel.ExitStatus;
import org.haxm.core.tunnel.Tunnel;
import org.haxm.emulator.CpuException;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.mem.AccessType;
import org.haxm.vmx.VmcsField;
import org.haxm.vmx.qualification.IoQualification;

/**
 * I/O-instruction exits (reason 30), handed to the caller exactly as HAXM does (haxm-api.md §4.2):
 * a simple OUT puts AL/AX/EAX in the I/O buffer and the guest is already past the instruction; a
 * simple IN takes its value from the buffer on the next run. String I/O moves up to 64 bytes per
 * exit: OUTS copies guest data into the buffer before the exit, INS copies the buffer into the
 * guest on the next run; RCX/RSI/RDI move by the elements transferred, and RIP advances only with
 * the last batch, so a long REP INS/OUTS comes back for the next one.
 */
public final class IoHandler {
    private IoHandler() {}

    static ExitStatus handle(VirtualCpu v) {
        IoQualification q = IoQualification.decode(v.vmcs().read(VmcsField.EXIT_QUALIFICATION));
        Tunnel t = v.tunnel();
        ByteBuffer buf = t.ioBuffer();
        int size = q.size();
        if (!q.string()) {
            if (q.in()) {
                t.setIo(Tunnel.IO_IN, false, size, q.port(), 1, false, 0);
                v.expectIoIn();
            } else {
                long value = v.state().gpr[0];
                put(buf, 0, size, value);
                t.setIo(Tunnel.IO_OUT, false, size, q.port(), 1, false, 0);
                v.advanceRip();
            }
            return ExitStatus.IO;
        }
        long count = count(v, q);
        if (count == 0) { v.advanceRip(); return null; }
        int n = (int) Math.min(count, Tunnel.IO_BUFFER_USED / size);
        boolean df = (v.vmcs().read(VmcsField.GUEST_RFLAGS) & CpuState.DF) != 0;
        long first = v.vmcs().read(VmcsField.GUEST_LINEAR_ADDRESS);
        long start = df ? first - (long) (n - 1) * size : first;
        if (q.in()) {
            t.setIo(Tunnel.IO_IN, df, size, q.port(), n, true, start);
            v.expectIns(n);
            return ExitStatus.IO;
        }
        CpuState s = v.state();
        try {
            for (int i = 0; i < n; i++) {
                put(buf, i * size, size, v.cpu().readLinear(start + (long) i * size, size, AccessType.READ, s.cpl() < 3));
            }
        } catch (CpuException fault) {
            v.injectFault(fault);
            return null;
        }
        advanceString(v, q, n, count, 6 /* RSI */, df);
        t.setIo(Tunnel.IO_OUT, df, size, q.port(), n, true, start);
        return ExitStatus.IO;
    }

    /** Finishes a simple IN with the caller's data: AL and AX merge, EAX zero-extends into RAX
     *  (SDM Vol. 1 §3.4.1.1; HAXM writes only the low half, hardware clears the upper one). */
    public static void completeIn(VirtualCpu v) {
        Tunnel t = v.tunnel();
        int size = t.ioSize();
        long data = get(t.ioBuffer(), 0, size);
        long[] gpr = v.state().gpr;
        gpr[0] = switch (size) {
            case 1 -> (gpr[0] & ~0xFFL) | data;
            case 2 -> (gpr[0] & ~0xFFFFL) | data;
            default -> data;
        };
        v.advanceRip();
    }

    /** Finishes INS with the caller's data: the buffer goes to guest memory at the block start. */
    public static void completeIns(VirtualCpu v, int n) {
        Tunnel t = v.tunnel();
        int size = t.ioSize();
        GuestStateTransfer.load(v.vmcs(), v.state());
        IoQualification q = IoQualification.decode(v.vmcs().read(VmcsField.EXIT_QUALIFICATION));
        long count = count(v, q);
        CpuState s = v.state();
        try {
            for (int i = 0; i < n; i++) {
                v.cpu().writeLinear(t.ioVaddr() + (long) i * size, size, get(t.ioBuffer(), i * size, size), s.cpl() < 3);
            }
        } catch (CpuException fault) {
            v.injectFault(fault);
            return;
        }
        advanceString(v, q, n, count, 7 /* RDI */, t.ioDf());
    }

    /** Elements still to transfer: rCX (by address size) with REP, else one. */
    private static long count(VirtualCpu v, IoQualification q) {
        return q.rep() ? v.state().gpr[1] & addressMask(v) : 1;
    }

    private static void advanceString(VirtualCpu v, IoQualification q, int n, long count, int pointer, boolean df) {
        long mask = addressMask(v);
        long[] gpr = v.state().gpr;
        int size = q.size();
        long delta = (long) n * size;
        gpr[pointer] = merge(gpr[pointer], gpr[pointer] + (df ? -delta : delta), mask);
        if (q.rep()) gpr[1] = merge(gpr[1], gpr[1] - n, mask);
        if (n == count) v.advanceRip();
    }

    /** The address size of the exiting INS/OUTS, from the VM-exit instruction-information field
     *  bits 9:7 (SDM Vol. 3C §28.2.5, Table 28-8). */
    private static long addressMask(VirtualCpu v) {
        int code = (int) (v.vmcs().read(VmcsField.VM_EXIT_INSTRUCTION_INFO) >>> 7) & 7;
        return code == 0 ? 0xFFFFL : code == 1 ? 0xFFFF_FFFFL : -1L;
    }

    /** Writes the bits under {@code mask}, keeping the rest of the register (16/32-bit pointer
     *  updates; a 32-bit update in 64-bit mode zero-extends, which a full mask expresses). */
    private static long merge(long old, long updated, long mask) {
        if (mask == 0xFFFF_FFFFL) return updated & mask;
        return (old & ~mask) | (updated & mask);
    }

    private static void put(ByteBuffer b, int at, int size, long v) {
        switch (size) {
            case 1 -> b.put(at, (byte) v);
            case 2 -> b.putShort(at, (short) v);
            default -> b.putInt(at, (int) v);
        }
    }

    private static long get(ByteBuffer b, int at, int size) {
        return switch (size) {
            case 1 -> b.get(at) & 0xFFL;
            case 2 -> b.getShort(at) & 0xFFFFL;
            default -> b.getInt(at) & 0xFFFF_FFFFL;
        };
    }
}
