package org.haxm.emulator.event;

import static org.haxm.emulator.cpu.TestMachine.IDT;
import static org.haxm.emulator.cpu.TestMachine.TSS;
import static org.haxm.emulator.cpu.TestMachine.descriptor;
import static org.haxm.emulator.cpu.TestMachine.gate32;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.haxm.emulator.CpuException;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.cpu.Segmentation;
import org.haxm.emulator.cpu.TestMachine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventDeliveryTest {
    static final int INTERRUPT_GATE = 14, TRAP_GATE = 15;
    TestMachine m;
    CpuState s;

    @BeforeEach void setUp() {
        m = new TestMachine();
        s = m.state;
    }

    void setGate32(int vector, long gate) { m.mem.put(IDT + vector * 8L, 8, gate); }

    @Test void realModeThroughTheIvt() {
        m.mem.put(0x21 * 4, 4, 0x1000_0020L);   // 1000:0020
        s.rip = 0x100;
        s.gpr[4] = 0x200;
        s.setRflags(CpuState.IF | CpuState.CF | CpuState.TF);
        m.cpu.deliverEvent(0x21, EventType.SOFTWARE_INTERRUPT, -1, 2);
        assertEquals(0x10000, s.seg(Segment.CS).base);
        assertEquals(0x1000, s.seg(Segment.CS).selector);
        assertEquals(0x20, s.rip);
        assertEquals(0x1FA, s.gpr[4]);
        assertEquals(CpuState.IF | CpuState.CF | CpuState.TF | 2, m.mem.get(0x1FE, 2), "FLAGS pushed first");
        assertEquals(0xF000, m.mem.get(0x1FC, 2), "old CS");
        assertEquals(0x102, m.mem.get(0x1FA, 2), "software interrupt returns after the instruction");
        assertEquals(0, s.rflags() & (CpuState.IF | CpuState.TF));
    }

    @Test void protectedSamePrivilegeFrameWithErrorCode() {
        m.protectedMode32();
        setGate32(13, gate32(0x08, 0x5000, INTERRUPT_GATE, 0));
        s.rip = 0x1234;
        s.gpr[4] = 0x8000;
        s.setRflags(CpuState.IF);
        m.cpu.deliverEvent(13, EventType.HARDWARE_EXCEPTION, 0x18, 0);
        assertEquals(0x5000, s.rip);
        assertEquals(0x8000 - 16, s.gpr[4]);
        assertEquals(CpuState.IF | 2, m.mem.get(0x7FFC, 4));
        assertEquals(0x08, m.mem.get(0x7FF8, 4));
        assertEquals(0x1234, m.mem.get(0x7FF4, 4), "a fault saves the faulting instruction");
        assertEquals(0x18, m.mem.get(0x7FF0, 4));
        assertEquals(0, s.rflags() & CpuState.IF, "interrupt gates clear IF");
    }

    @Test void trapGateKeepsIf() {
        m.protectedMode32();
        setGate32(0x40, gate32(0x08, 0x6000, TRAP_GATE, 3));
        s.gpr[4] = 0x8000;
        s.setRflags(CpuState.IF);
        m.cpu.softwareInterrupt(0x40, 2, EventType.SOFTWARE_INTERRUPT);
        assertEquals(0x6000, s.rip);
        assertEquals(CpuState.IF, s.rflags() & CpuState.IF);
    }

    @Test void innerPrivilegeSwitchesToTheTssStack() {
        m.protectedMode32();
        m.userMode();
        m.mem.put(TSS + 4, 4, 0x9000);  // ESP0
        m.mem.put(TSS + 8, 2, 0x10);    // SS0
        setGate32(0x30, gate32(0x08, 0x7000, INTERRUPT_GATE, 0));
        s.rip = 0x400100;
        s.gpr[4] = 0x5000;
        s.setRflags(CpuState.IF);
        m.cpu.deliverEvent(0x30, EventType.EXTERNAL_INTERRUPT, -1, 0);
        assertEquals(0, s.cpl());
        assertEquals(0x10, s.seg(Segment.SS).selector);
        assertEquals(0x9000 - 20, s.gpr[4]);
        assertEquals(0x23, m.mem.get(0x9000 - 4, 4), "old SS");
        assertEquals(0x5000, m.mem.get(0x9000 - 8, 4), "old ESP");
        assertEquals(CpuState.IF | 2, m.mem.get(0x9000 - 12, 4));
        assertEquals(0x1B, m.mem.get(0x9000 - 16, 4), "old CS");
        assertEquals(0x400100, m.mem.get(0x9000 - 20, 4));
    }

    @Test void softwareInterruptChecksGateDpl() {
        m.protectedMode32();
        m.userMode();
        setGate32(0x80, gate32(0x08, 0x7000, INTERRUPT_GATE, 0));
        CpuException e = m.expectFault(() -> m.cpu.softwareInterrupt(0x80, 2, EventType.SOFTWARE_INTERRUPT));
        assertEquals(13, e.vector);
        assertEquals(0x80 * 8 + 2, e.errorCode, "IDT bit set, EXT clear for INT n");
    }

    @Test void contributoryDuringContributoryBecomesDoubleFault() {
        m.protectedMode32();
        setGate32(13, gate32(0x08, 0x5000, INTERRUPT_GATE, 0) & ~(1L << 47)); // not present
        setGate32(8, gate32(0x08, 0x8888, INTERRUPT_GATE, 0));
        s.rip = 0x1000;
        s.gpr[4] = 0x8000;
        m.cpu.deliverEvent(13, EventType.HARDWARE_EXCEPTION, 0, 0);
        assertEquals(List.of("11/" + (13 * 8 + 3) + "/0/0", "8/0/0/0"), m.hook.calls);
        assertEquals(0x8888, s.rip);
        assertEquals(0, m.mem.get(0x7FF0, 4), "#DF pushes error code 0");
        assertEquals(0x1000, m.mem.get(0x7FF4, 4));
    }

    @Test void benignThenContributoryIsSerial() {
        m.protectedMode32();
        setGate32(0x30, gate32(0x08, 0x5000, INTERRUPT_GATE, 0) & ~(1L << 47));
        setGate32(11, gate32(0x08, 0x6666, INTERRUPT_GATE, 0));
        s.gpr[4] = 0x8000;
        m.cpu.deliverEvent(0x30, EventType.EXTERNAL_INTERRUPT, -1, 0);
        assertEquals(0x6666, s.rip);
        assertEquals(0x30 * 8 + 3, m.mem.get(0x7FF0, 4), "#NP(IDT index, IDT bit, EXT)");
    }

    @Test void faultDuringDoubleFaultIsTripleFaultAndShutdown() {
        m.protectedMode32();
        s.gpr[4] = 0x8000;
        m.cpu.deliverEvent(13, EventType.HARDWARE_EXCEPTION, 0, 0); // IDT all zero: nothing present
        assertEquals("triple", m.hook.calls.get(m.hook.calls.size() - 1));
        assertTrue(m.hook.calls.contains("8/0/0/0"));
        assertEquals(CpuState.SHUTDOWN, s.activityState);
        assertEquals(0, m.cpu.run(10));
    }

    @Test void pageFaultSetsCr2AfterTheHook() {
        m.protectedMode32();
        setGate32(14, gate32(0x08, 0x5000, INTERRUPT_GATE, 0));
        s.gpr[4] = 0x8000;
        new EventDelivery(m.cpu, new Segmentation(m.cpu)).raise(14, 2, 0xDEAD000L, EventType.HARDWARE_EXCEPTION, 0x77);
        assertEquals(0, m.hook.cr2AtException, "the hook sees CR2 before the #PF writes it");
        assertEquals(0xDEAD000L, s.cr2);
        assertEquals(0x77, m.mem.get(0x7FF4, 4));
    }

    @Test void externalInterruptWakesFromHltAndNmiBlocksUntilIret() {
        m.protectedMode32();
        setGate32(0x20, gate32(0x08, 0x5000, INTERRUPT_GATE, 0));
        setGate32(2, gate32(0x08, 0x6000, INTERRUPT_GATE, 0));
        s.gpr[4] = 0x8000;
        s.activityState = CpuState.HLT;
        m.cpu.deliverEvent(0x20, EventType.EXTERNAL_INTERRUPT, -1, 0);
        assertEquals(CpuState.ACTIVE, s.activityState);
        m.cpu.deliverEvent(2, EventType.NMI, -1, 0);
        assertEquals(CpuState.BLOCKING_BY_NMI, s.interruptibility & CpuState.BLOCKING_BY_NMI);
        m.cpu.iret(4);
        assertEquals(0, s.interruptibility & CpuState.BLOCKING_BY_NMI);
        assertEquals(0x5000, s.rip, "IRET returns into the first handler");
    }

    /** IA-32e mode with an identity-mapped first GiB and 64-bit code at 0x30 (DPL 0) and 0x3B (DPL 3). */
    void longMode() {
        m.protectedMode32();
        m.setGdt(7, descriptor(0, 0xFFFFF, 0xFA, 0xA));
        m.mem.put(0x20000, 8, 0x21000 | 7);
        m.mem.put(0x21000, 8, 0x87);                 // 1 GiB page at 0, user, writable
        s.cr4 |= CpuState.CR4_PAE;
        s.cr3 = 0x20000;
        m.cpu.writeEfer(CpuState.EFER_LME);
        m.cpu.writeCr(0, s.cr0 | CpuState.CR0_PG);
        Segmentation.fromDescriptor(s.seg(Segment.TR), 0x28, descriptor(TSS, 0x67, 0x8B, 0x0));
        s.idtrLimit = 256 * 16 - 1;
    }

    void setGate64(int vector, int selector, long offset, int ist, int dpl) {
        long lo = gate32(selector, offset, INTERRUPT_GATE, dpl) | ((long) ist << 32);
        m.mem.put(IDT + vector * 16L, 8, lo);
        m.mem.put(IDT + vector * 16L + 8, 8, offset >>> 32);
    }

    @Test void longModeInnerPrivilegeUsesRsp0AndPushesSsRsp() {
        longMode();
        Segmentation.fromDescriptor(s.seg(Segment.CS), 0x3B, descriptor(0, 0xFFFFF, 0xFB, 0xA));
        Segmentation.fromDescriptor(s.seg(Segment.SS), 0x23, descriptor(0, 0xFFFFF, 0xF3, 0xC));
        m.mem.put(TSS + 4, 8, 0x9008);          // RSP0, deliberately not 16-byte aligned
        setGate64(14, 0x30, 0x1_2345_6789L & 0x3FFF_FFFFL, 0, 0);
        s.rip = 0x401000;
        s.gpr[4] = 0x7777;
        s.setRflags(CpuState.IF);
        m.cpu.deliverEvent(14, EventType.HARDWARE_EXCEPTION, 6, 0);
        assertEquals(0, s.cpl());
        assertEquals(0x9000 - 48, s.gpr[4], "RSP0 aligned down to 16, six quadwords pushed");
        assertEquals(0x23, m.mem.get(0x9000 - 8, 8));
        assertEquals(0x7777, m.mem.get(0x9000 - 16, 8));
        assertEquals(CpuState.IF | 2, m.mem.get(0x9000 - 24, 8));
        assertEquals(0x3B, m.mem.get(0x9000 - 32, 8));
        assertEquals(0x401000, m.mem.get(0x9000 - 40, 8));
        assertEquals(6, m.mem.get(0x9000 - 48, 8));
        assertEquals(0, s.seg(Segment.SS).selector, "SS becomes null with RPL 0");
        assertEquals(0x2345_6789L & 0x3FFF_FFFFL, s.rip);
    }

    @Test void longModeIstStackAndIretq() {
        longMode();
        Segmentation.fromDescriptor(s.seg(Segment.CS), 0x30, descriptor(0, 0xFFFFF, 0x9B, 0xA));
        m.mem.put(TSS + 0x24 + 8, 8, 0xA000);   // IST2
        setGate64(2, 0x30, 0x5000, 2, 0);
        s.rip = 0x1000;
        s.gpr[4] = 0x8000;
        m.cpu.deliverEvent(2, EventType.NMI, -1, 0);
        assertEquals(0xA000 - 40, s.gpr[4]);
        assertEquals(0x8000, m.mem.get(0xA000 - 16, 8));
        m.cpu.iret(8);
        assertEquals(0x1000, s.rip);
        assertEquals(0x8000, s.gpr[4], "IRETQ always pops SS:RSP");
        assertEquals(0x10, s.seg(Segment.SS).selector);
    }
}
