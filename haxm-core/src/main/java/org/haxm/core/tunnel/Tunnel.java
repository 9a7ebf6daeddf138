package org.haxm.core.tunnel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The VCPU's tunnel page and I/O buffer, byte-for-byte as HAXM lays them out
 * ({@code struct hax_tunnel}, 56 bytes at the start of a 4-KiB page, and the I/O buffer that holds
 * string-I/O data or a {@code struct hax_fastmmio}). The engine writes the exit description here
 * before {@code run} returns; the caller writes IN data, MMIO read values and its requests.
 */
public final class Tunnel {
    public static final int PAGE_SIZE = 4096;
    /** HAXM never uses more than 64 bytes of the I/O buffer (IOS_MAX_BUFFER). */
    public static final int IO_BUFFER_USED = 64;

    // struct hax_tunnel
    public static final int EXIT_REASON = 0, EXIT_STATUS = 8, USER_EVENT_PENDING = 12,
        READY_FOR_INTERRUPT_INJECTION = 16, REQUEST_INTERRUPT_WINDOW = 20,
        IO_DIRECTION = 24, IO_DF = 25, IO_SIZE = 26, IO_PORT = 28, IO_COUNT = 30, IO_FLAGS = 32, IO_VADDR = 40,
        PAGEFAULT_GPA = 24, PAGEFAULT_FLAGS = 32, DEBUG_RIP = 24, DEBUG_DR6 = 32, DEBUG_DR7 = 40,
        APIC_BASE = 48, SIZE = 56;
    // struct hax_fastmmio (in the I/O buffer)
    public static final int MMIO_GPA = 0, MMIO_VALUE = 8, MMIO_SIZE = 16, MMIO_DIRECTION = 17, MMIO_STRUCT_SIZE = 56;

    public static final int IO_OUT = 0, IO_IN = 1, MMIO_READ = 0, MMIO_WRITE = 1;

    private final ByteBuffer page = ByteBuffer.allocate(PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer io = ByteBuffer.allocate(PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);

    /** The tunnel page ({@code hax_tunnel} at offset 0). */
    public ByteBuffer page() { return page; }
    /** The I/O buffer. */
    public ByteBuffer ioBuffer() { return io; }

    public int exitReason() { return page.getInt(EXIT_REASON); }
    public int exitStatusCode() { return page.getInt(EXIT_STATUS); }
    public ExitStatus exitStatus() { int c = exitStatusCode(); return c == 0 ? null : ExitStatus.fromCode(c); }
    public void setExit(int basicReason, ExitStatus status) {
        page.putInt(EXIT_REASON, basicReason);
        page.putInt(EXIT_STATUS, status.code());
    }

    /** Test-and-clear of bit 0 of user_event_pending, as HAXM does. */
    public boolean takeUserEventPending() {
        int v = page.getInt(USER_EVENT_PENDING);
        if ((v & 1) == 0) return false;
        page.putInt(USER_EVENT_PENDING, v & ~1);
        return true;
    }
    public void setUserEventPending() { page.putInt(USER_EVENT_PENDING, page.getInt(USER_EVENT_PENDING) | 1); }
    public boolean requestInterruptWindow() { return page.getInt(REQUEST_INTERRUPT_WINDOW) != 0; }
    public void setRequestInterruptWindow(boolean on) { page.putInt(REQUEST_INTERRUPT_WINDOW, on ? 1 : 0); }
    public boolean readyForInterruptInjection() { return page.getInt(READY_FOR_INTERRUPT_INJECTION) != 0; }
    public void setReadyForInterruptInjection(boolean on) { page.putInt(READY_FOR_INTERRUPT_INJECTION, on ? 1 : 0); }
    public long apicBase() { return page.getLong(APIC_BASE); }
    public void setApicBase(long v) { page.putLong(APIC_BASE, v); }

    /** Fills the io member of the union (HAXM's {@code hax_tunnel.io}). */
    public void setIo(int direction, boolean df, int size, int port, int count, boolean string, long vaddr) {
        clearUnion();
        page.put(IO_DIRECTION, (byte) direction);
        page.put(IO_DF, (byte) (df ? 1 : 0));
        page.putShort(IO_SIZE, (short) size);
        page.putShort(IO_PORT, (short) port);
        page.putShort(IO_COUNT, (short) count);
        page.put(IO_FLAGS, (byte) (string ? 1 : 0));
        page.putLong(IO_VADDR, vaddr);
    }
    public int ioDirection() { return page.get(IO_DIRECTION); }
    public boolean ioDf() { return page.get(IO_DF) != 0; }
    public int ioSize() { return page.getShort(IO_SIZE) & 0xFFFF; }
    public int ioPort() { return page.getShort(IO_PORT) & 0xFFFF; }
    public int ioCount() { return page.getShort(IO_COUNT) & 0xFFFF; }
    public boolean ioString() { return page.get(IO_FLAGS) != 0; }
    public long ioVaddr() { return page.getLong(IO_VADDR); }

    /** Fills {@code hax_fastmmio} at the start of the I/O buffer. */
    public void setFastMmio(long gpa, int size, int direction, long value) {
        for (int i = 0; i < MMIO_STRUCT_SIZE; i += 8) io.putLong(i, 0);
        io.putLong(MMIO_GPA, gpa);
        io.putLong(MMIO_VALUE, value);
        io.put(MMIO_SIZE, (byte) size);
        io.put(MMIO_DIRECTION, (byte) direction);
    }
    public long mmioGpa() { return io.getLong(MMIO_GPA); }
    public long mmioValue() { return io.getLong(MMIO_VALUE); }
    public void setMmioValue(long v) { io.putLong(MMIO_VALUE, v); }
    public int mmioSize() { return io.get(MMIO_SIZE) & 0xFF; }
    public int mmioDirection() { return io.get(MMIO_DIRECTION) & 0xFF; }

    private void clearUnion() {
        for (int i = 24; i < 48; i += 8) page.putLong(i, 0);
    }
}
