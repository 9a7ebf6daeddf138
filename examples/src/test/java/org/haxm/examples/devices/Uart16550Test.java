package org.haxm.examples.devices;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Uart16550Test {

    private static final int BASE = Uart16550.COM1;
    private ByteArrayOutputStream out;
    private Uart16550 uart;

    @BeforeEach
    void setUp() {
        out = new ByteArrayOutputStream();
        uart = new Uart16550(BASE, out);
    }

    @Test
    void thrWritesGoToTheOutput() {
        for (byte b : "hi\n".getBytes(StandardCharsets.US_ASCII)) {
            uart.write(BASE, 1, b);
        }
        assertEquals("hi\n", out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void lsrAlwaysReportsTransmitterEmptyAndDataReadyOnlyWithInput() {
        assertEquals(0x60, uart.read(BASE + 5, 1));
        uart.enqueueInput(new byte[] {'x', 'y'});
        assertEquals(0x61, uart.read(BASE + 5, 1));
        assertEquals('x', uart.read(BASE, 1));
        assertEquals(0x61, uart.read(BASE + 5, 1));
        assertEquals('y', uart.read(BASE, 1));
        assertEquals(0x60, uart.read(BASE + 5, 1));
        assertEquals(0, uart.read(BASE, 1), "empty receive buffer reads 0");
    }

    @Test
    void dlabRedirectsOffsetsZeroAndOneToTheDivisorLatch() {
        uart.write(BASE + 1, 1, 0x05);           // IER
        uart.write(BASE + 3, 1, 0x83);           // LCR: DLAB | 8N1
        uart.write(BASE, 1, 0x01);               // DLL, not THR
        uart.write(BASE + 1, 1, 0x02);           // DLM, not IER
        assertEquals(0x01, uart.read(BASE, 1));
        assertEquals(0x02, uart.read(BASE + 1, 1));
        assertEquals(0x0201, uart.divisor());
        assertEquals(0, out.size(), "DLL write must not transmit");
        uart.write(BASE + 3, 1, 0x03);           // DLAB off
        assertEquals(0x05, uart.read(BASE + 1, 1), "IER kept its value under DLAB");
        assertEquals(0x83 & 0x7F, uart.read(BASE + 3, 1));
        uart.write(BASE, 1, 'A');
        assertEquals("A", out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void ierKeepsOnlyItsFourDefinedBits() {
        uart.write(BASE + 1, 1, 0xFF);
        assertEquals(0x0F, uart.read(BASE + 1, 1));
    }

    @Test
    void iirReportsNoInterruptAndFifoState() {
        assertEquals(0x01, uart.read(BASE + 2, 1));
        uart.write(BASE + 2, 1, 0x01);           // FCR: enable FIFOs
        assertEquals(0xC1, uart.read(BASE + 2, 1));
    }

    @Test
    void fcrClearReceiveFifoDropsInput() {
        uart.enqueueInput(new byte[] {1, 2, 3});
        uart.write(BASE + 2, 1, 0x03);
        assertEquals(0x60, uart.read(BASE + 5, 1));
    }

    @Test
    void scratchAndMcrAreReadWrite() {
        uart.write(BASE + 7, 1, 0xA5);
        assertEquals(0xA5, uart.read(BASE + 7, 1));
        uart.write(BASE + 4, 1, 0xFF);
        assertEquals(0x1F, uart.read(BASE + 4, 1));
    }

    @Test
    void loopbackReturnsTransmittedBytesAndMirrorsModemLines() {
        uart.write(BASE + 4, 1, 0x10 | 0x03);    // LOOP | RTS | DTR
        uart.write(BASE, 1, 'Z');
        assertEquals(0, out.size(), "loopback does not reach the line");
        assertEquals(0x61, uart.read(BASE + 5, 1));
        assertEquals('Z', uart.read(BASE, 1));
        assertEquals(0x30, uart.read(BASE + 6, 1), "CTS and DSR follow RTS and DTR");
        uart.write(BASE + 4, 1, 0x00);
        assertEquals(0xB0, uart.read(BASE + 6, 1));
    }

    @Test
    void receiveFifoOverrunDropsExcess() {
        byte[] many = new byte[100];
        for (int i = 0; i < many.length; i++) {
            many[i] = (byte) i;
        }
        uart.enqueueInput(many);
        byte[] got = new byte[64];
        for (int i = 0; i < 64; i++) {
            got[i] = (byte) uart.read(BASE, 1);
        }
        byte[] expected = new byte[64];
        System.arraycopy(many, 0, expected, 0, 64);
        assertArrayEquals(expected, got);
        assertEquals(0x60, uart.read(BASE + 5, 1));
    }

    @Test
    void rejectsBaseThatLeavesThePortSpace() {
        assertThrows(IllegalArgumentException.class, () -> new Uart16550(0xFFFC, out));
    }
}
