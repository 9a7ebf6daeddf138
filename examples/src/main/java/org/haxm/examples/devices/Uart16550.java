package org.haxm.examples.devices;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;

/**
 * A National Semiconductor 16550A UART as a register-level state machine (no interrupt line yet).
 *
 * <p>The eight registers sit at {@code base + 0..7}; offset 0 and 1 change meaning when the
 * Divisor Latch Access Bit (LCR bit 7) is set, which is how a driver programs the baud rate:
 * <pre>
 *  off  DLAB=0 read   DLAB=0 write   DLAB=1
 *   0   RBR           THR            DLL (divisor low)
 *   1   IER           IER            DLM (divisor high)
 *   2   IIR           FCR
 *   3   LCR           LCR
 *   4   MCR           MCR
 *   5   LSR           (ignored)
 *   6   MSR           (ignored)
 *   7   SCR           SCR
 * </pre>
 * Transmission is instantaneous, so LSR always reports THR empty (bit 5) and transmitter empty
 * (bit 6); bytes received via {@link #enqueueInput(byte[])} set Data Ready (bit 0) until read.
 * In loopback mode (MCR bit 4) transmitted bytes come back as received bytes and the modem status
 * inputs mirror the MCR outputs, which is what a driver's self-test checks.
 * Only byte accesses are meaningful; wider accesses act on the low byte.
 */
public final class Uart16550 implements PortDevice {

    /** Base port of COM1 on a PC. */
    public static final int COM1 = 0x3F8;
    /** Number of ports the UART decodes. */
    public static final int PORT_COUNT = 8;

    // Register offsets.
    static final int RBR_THR_DLL = 0, IER_DLM = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

    /** LSR bit 0: a received byte is waiting in RBR. */
    public static final int LSR_DATA_READY = 0x01;
    /** LSR bit 5: THR can take a byte. */
    public static final int LSR_THR_EMPTY = 0x20;
    /** LSR bit 6: THR and the shift register are both empty. */
    public static final int LSR_TRANSMITTER_EMPTY = 0x40;
    /** LCR bit 7: Divisor Latch Access Bit. */
    public static final int LCR_DLAB = 0x80;
    /** MCR bit 4: loopback. */
    public static final int MCR_LOOP = 0x10;
    /** IIR bit 0: no interrupt pending. */
    public static final int IIR_NO_INTERRUPT = 0x01;
    /** IIR bits 7:6: FIFOs enabled. */
    public static final int IIR_FIFO_ENABLED = 0xC0;
    // Modem Status with nothing attached but a well-behaved peer: DCD, DSR, CTS asserted.
    static final int MSR_DEFAULT = 0xB0;

    private static final int FIFO_CAPACITY = 64;

    private final int base;
    private final OutputStream out;
    private final ArrayDeque<Byte> rx = new ArrayDeque<>();

    private int dll = 0x0C; // 9600 baud at the 1.8432 MHz reference clock (115200 / 12)
    private int dlm;
    private int ier;
    private int fcr;
    private int lcr = 0x03; // 8N1
    private int mcr;
    private int scr;

    /**
     * @param base first port (e.g. {@link #COM1})
     * @param out where transmitted bytes go (not closed by this device)
     */
    public Uart16550(int base, OutputStream out) {
        if (base < 0 || base + PORT_COUNT > PortBus.PORT_SPACE) {
            throw new IllegalArgumentException("UART base 0x" + Integer.toHexString(base) + " must leave 8 ports below 0x10000");
        }
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        this.base = base;
        this.out = out;
    }

    /** The base port this UART was created at. */
    public int base() {
        return base;
    }

    /** Queues bytes as if they arrived on the serial line (excess beyond the FIFO is dropped, as on overrun). */
    public void enqueueInput(byte[] bytes) {
        for (byte b : bytes) {
            receive(b);
        }
    }

    /** The 16-bit baud-rate divisor programmed through DLL/DLM. */
    public int divisor() {
        return (dlm << 8) | dll;
    }

    @Override
    public int read(int port, int size) {
        boolean dlab = (lcr & LCR_DLAB) != 0;
        return switch (port - base) {
            case RBR_THR_DLL -> dlab ? dll : receiveBufferRead();
            case IER_DLM -> dlab ? dlm : ier;
            case IIR_FCR -> IIR_NO_INTERRUPT | ((fcr & 1) != 0 ? IIR_FIFO_ENABLED : 0);
            case LCR -> lcr;
            case MCR -> mcr;
            case LSR -> LSR_THR_EMPTY | LSR_TRANSMITTER_EMPTY | (rx.isEmpty() ? 0 : LSR_DATA_READY);
            case MSR -> modemStatus();
            case SCR -> scr;
            default -> 0xFF;
        };
    }

    @Override
    public void write(int port, int size, int value) {
        int v = value & 0xFF;
        boolean dlab = (lcr & LCR_DLAB) != 0;
        switch (port - base) {
            case RBR_THR_DLL -> {
                if (dlab) {
                    dll = v;
                } else {
                    transmit(v);
                }
            }
            case IER_DLM -> {
                if (dlab) {
                    dlm = v;
                } else {
                    ier = v & 0x0F; // bits 7:4 are reserved and read as 0
                }
            }
            case IIR_FCR -> writeFifoControl(v);
            case LCR -> lcr = v;
            case MCR -> mcr = v & 0x1F; // bits 7:5 are reserved
            case SCR -> scr = v;
            default -> { } // LSR and MSR are read-only (factory test writes are ignored)
        }
    }

    private void writeFifoControl(int v) {
        fcr = v & 0xC9; // enable, DMA mode, trigger level; bits 1-2 are self-clearing actions
        if ((v & 0x02) != 0) {
            rx.clear(); // "clear receive FIFO"
        }
        // bit 2 "clear transmit FIFO": nothing to do, transmission is instantaneous
    }

    private int receiveBufferRead() {
        Byte b = rx.poll();
        return b == null ? 0 : b & 0xFF;
    }

    private void transmit(int v) {
        if ((mcr & MCR_LOOP) != 0) {
            receive((byte) v); // loopback: the serializer output is wired to the receiver
            return;
        }
        try {
            out.write(v);
        } catch (IOException e) {
            throw new UncheckedIOException("UART output failed", e);
        }
    }

    private void receive(byte b) {
        if (rx.size() < FIFO_CAPACITY) {
            rx.add(b);
        }
    }

    private int modemStatus() {
        if ((mcr & MCR_LOOP) == 0) {
            return MSR_DEFAULT;
        }
        // Loopback wiring (16550A data sheet): RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD.
        int status = 0;
        if ((mcr & 0x02) != 0) status |= 0x10;
        if ((mcr & 0x01) != 0) status |= 0x20;
        if ((mcr & 0x04) != 0) status |= 0x40;
        if ((mcr & 0x08) != 0) status |= 0x80;
        return status;
    }

    @Override
    public String toString() {
        return String.format("Uart16550@0x%x", base);
    }
}
