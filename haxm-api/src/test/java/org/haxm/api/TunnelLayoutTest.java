package org.haxm.api;

import static org.haxm.api.TestGuest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

/** The raw {@code hax_tunnel} page and {@code hax_fastmmio} bytes a HAXM client reads (haxm-api.md §3.2, §3.3). */
class TunnelLayoutTest {

    private static ByteBuffer raw(TestGuest g) { return g.tunnel.rawTunnel().duplicate().order(ByteOrder.LITTLE_ENDIAN); }

    @Test
    void stringOutExitFillsTheIoMemberAtHaxmOffsets() {
        try (TestGuest g = TestGuest.real(PortIoExitTest.REP_OUTSB)) {
            assertEquals(HaxExitStatus.IO, g.run());
            ByteBuffer p = raw(g);
            assertEquals(4096, p.capacity());
            assertEquals(30, p.getInt(0), "_exit_reason: I/O instruction");
            assertEquals(1, p.getInt(8), "_exit_status: HAX_EXIT_IO");
            assertEquals(0, p.get(24), "io._direction OUT");
            assertEquals(0, p.get(25), "io._df");
            assertEquals(1, p.getShort(26), "io._size");
            assertEquals(0xE9, p.getShort(28), "io._port");
            assertEquals(64, p.getShort(30), "io._count");
            assertEquals(1, p.get(32), "io._flags: string");
            assertEquals(0x2000, p.getLong(40), "io._vaddr");
            assertEquals(0xFEE0_0000L | 0x900, p.getLong(48), "apic_base: xAPIC enabled, BSP on VCPU 0");
        }
    }

    @Test
    void simpleInExitHasFlagsAndVaddrZero() {
        try (TestGuest g = TestGuest.real(PortIoExitTest.IN_DX)) {
            assertEquals(HaxExitStatus.IO, g.run());
            ByteBuffer p = raw(g);
            assertEquals(1, p.get(24), "IN");
            assertEquals(1, p.getShort(26));
            assertEquals(0x60, p.getShort(28));
            assertEquals(1, p.getShort(30));
            assertEquals(0, p.get(32));
            assertEquals(0, p.getLong(40));
        }
    }

    @Test
    void hlxExitStatusNumbersAreHaxms() {
        int[] expected = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        HaxExitStatus[] order = {HaxExitStatus.IO, HaxExitStatus.MMIO, HaxExitStatus.REALMODE, HaxExitStatus.INTERRUPT,
            HaxExitStatus.UNKNOWN, HaxExitStatus.HLT, HaxExitStatus.STATECHANGE, HaxExitStatus.PAUSED,
            HaxExitStatus.FAST_MMIO, HaxExitStatus.PAGEFAULT, HaxExitStatus.DEBUG};
        for (int i = 0; i < order.length; i++) {
            assertEquals(expected[i], order[i].code());
            assertEquals(order[i], HaxExitStatus.fromCode(expected[i]));
        }
    }

    @Test
    void fastMmioSitsAtTheStartOfTheIoBufferAndTheReadValueIsTakenFromOffset8() {
        try (TestGuest g = TestGuest.real(MmioExitTest.RAM, MmioExitTest.STORE_LOAD)) {
            assertEquals(HaxExitStatus.FAST_MMIO, g.run());
            assertEquals(9, raw(g).getInt(8), "_exit_status: HAX_EXIT_FAST_MMIO");
            ByteBuffer io = g.tunnel.ioBuffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(0xA0010, io.getLong(0), "gpa");
            assertEquals(0xBEEF, io.getLong(8), "value");
            assertEquals(2, io.get(16), "size");
            assertEquals(1, io.get(17), "direction write");
            for (int off = 18; off < 56; off++) assertEquals(0, io.get(off), "reserved byte " + off);

            assertEquals(HaxExitStatus.FAST_MMIO, g.run());
            assertEquals(0xA0020, io.getLong(0));
            assertEquals(0, io.get(17), "direction read");
            io.putLong(8, 0x7777);                     // the caller writes the value where HAXM reads it
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0x7777, g.gpr(0) & 0xFFFF);
        }
    }

    @Test
    void userEventPendingBitMakesTheNextResumableExitReturnInterrupt() {
        try (TestGuest g = TestGuest.real(EngineHandledExitsTest.CPUID_0)) {
            raw(g).putInt(12, 1);
            assertEquals(HaxExitStatus.INTERRUPT, g.run(), "the CPUID exit would have resumed");
            assertEquals(0, raw(g).getInt(12) & 1, "bit 0 test-and-cleared");
            assertEquals(HaxExitStatus.HLT, g.run());
        }
    }

    @Test
    void requestInterruptWindowExitsWhenTheGuestCanTakeAnInterrupt() {
        // jmp $ with IF = 1
        try (TestGuest g = TestGuest.real(bytes(0xEB, 0xFE))) {
            HaxVcpuState s = g.regs();
            s.rflags = 0x202;
            g.vcpu.setRegs(s);
            raw(g).putInt(20, 1);
            g.vcpu.setInstructionBudget(10_000);
            assertEquals(HaxExitStatus.INTERRUPT, g.run());
            assertEquals(7, g.tunnel.exitReason(), "interrupt-window exit");
            assertEquals(1, raw(g).getInt(16), "ready_for_interrupt_injection");
        }
    }

    @Test
    void readyForInjectionIsZeroWhileIfIsClear() {
        // mov dx,0x3f8; mov al,0x11; out dx,al ... with IF = 0
        try (TestGuest g = TestGuest.real(PortIoExitTest.OUT_DX)) {
            assertEquals(HaxExitStatus.IO, g.run());
            assertEquals(0, raw(g).getInt(16));
        }
    }
}
