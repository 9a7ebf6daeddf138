package org.haxm.emulator;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;

import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.cpu.TestMachine;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CpuTest {
    TestMachine m;
    CpuState s;

    @BeforeEach void setUp() {
        m = new TestMachine();
        s = m.state;
        s.seg(Segment.CS).set(0, 0, 0xFFFF, 0x9B);
        s.rip = 0x7C00;
        s.gpr[4] = 0x7000;
    }

    @Test void runsARealModeProgramWithAnInterruptUntilHlt() {
        m.mem.putBytes(0x7C00, 0xB8, 0x34, 0x12, 0xCD, 0x10, 0xF4); // mov ax,1234h; int 10h; hlt
        m.mem.putBytes(0x8000, 0x40, 0xCF);                          // inc ax; iret
        m.mem.put(0x10 * 4, 4, 0x0000_8000L);
        long retired = m.cpu.run(100);
        assertEquals(5, retired);
        assertEquals(CpuState.HLT, s.activityState);
        assertEquals(0x1235, s.gpr[0] & 0xFFFF);
        assertEquals(0x7C06, s.rip);
        assertEquals(0x7000, s.gpr[4]);
        assertEquals(5, s.instructionsRetired);
    }

    @Test void undefinedOpcodeIsDeliveredWithTheFaultingIp() {
        m.mem.putBytes(0x7C00, 0x90, 0x0F, 0x0B);  // nop; ud2
        m.mem.put(6 * 4, 4, 0x0000_9000L);
        m.mem.putBytes(0x9000, 0xF4);
        assertEquals(2, m.cpu.run(10), "nop and hlt retire; ud2 does not");
        assertEquals(0x7C01, m.mem.get(0x7000 - 6, 2), "#UD saves the address of UD2");
        assertEquals(List.of("6/-1/0/0"), m.hook.calls);
    }

    /** 32-bit paging with code pages at linear 0x400000 (-> 0x50000) and 0x401000 (-> 0x70000). */
    void pagedProtectedMode() {
        m.protectedMode32();
        m.mem.put(0x10000 + 4, 4, 0x11000 | 7);
        m.mem.put(0x11000, 4, 0x50000 | 7);
        m.mem.put(0x11000 + 4, 4, 0x70000 | 7);
        m.mem.put(0x10000, 4, 0x12000 | 7);        // identity map the first 4 MiB for the stack and IDT
        for (int i = 0; i < 1024; i++) m.mem.put(0x12000 + 4L * i, 4, (i * 0x1000L) | 3);
        s.cr3 = 0x10000;
        m.cpu.writeCr(0, s.cr0 | CpuState.CR0_PG);
        s.gpr[4] = 0x8000;
    }

    @Test void instructionFetchCrossesAPageBoundary() {
        pagedProtectedMode();
        m.mem.putBytes(0x50FFE, 0xB8, 0x78);          // mov eax, 12345678h split over two frames
        m.mem.putBytes(0x70000, 0x56, 0x34, 0x12, 0xF4);
        s.rip = 0x400FFE;
        assertEquals(2, m.cpu.run(10));
        assertEquals(0x12345678L, s.gpr[0]);
        assertEquals(0x401004, s.rip);
    }

    @Test void fetchFromANotPresentPageDeliversPageFault() {
        pagedProtectedMode();
        m.mem.put(0x11000 + 4, 4, 0);                 // second code page not present
        m.mem.putBytes(0x50FFF, 0x90);                // nop, then fall off the page
        m.mem.put(TestMachine.IDT + 14 * 8, 8, TestMachine.gate32(0x08, 0x1000, 14, 0));
        m.mem.putBytes(0x1000, 0xF4);
        s.rip = 0x400FFF;
        m.cpu.run(3);
        assertEquals(List.of("14/0/401000/0"), m.hook.calls, "P=0, read, supervisor, no I/D without NXE");
        assertEquals(0x401000, s.cr2);
        assertEquals(CpuState.HLT, s.activityState);
        assertEquals(0x401000, m.mem.get(0x8000 - 12, 4), "saved EIP is the instruction that faulted");
    }

    @Test void stiShadowLastsOneInstruction() {
        m.mem.putBytes(0x7C00, 0xFB, 0x90, 0x90);    // sti; nop; nop
        m.cpu.step();
        assertFalse(m.cpu.interruptible(), "blocked by STI");
        m.cpu.step();
        assertTrue(m.cpu.interruptible());
    }

    @Test void trapFlagRaisesDebugTrapAfterTheInstruction() {
        m.mem.putBytes(0x7C00, 0x90, 0x90);
        m.mem.put(1 * 4, 4, 0x0000_9000L);
        s.setRflags(CpuState.TF);
        m.cpu.step();
        assertEquals(0x9000, s.rip);
        assertEquals(0x7C01, m.mem.get(0x7000 - 6, 2), "#DB is a trap: next instruction saved");
        assertEquals(0x4000, s.dr[6] & 0x4000, "DR6.BS");
        assertEquals(List.of("1/-1/4000/0"), m.hook.calls);
    }

    @Test void afterInstructionHookWhileEventCheckRequested() {
        List<Long> seen = new ArrayList<>();
        m.cpu.setHook(new InterceptHook() {
            @Override public boolean instruction(InterceptInfo info) { return false; }
            @Override public void exception(int vector, int errorCode, long qualification, int softwareType) {}
            @Override public void tripleFault() {}
            @Override public void afterInstruction() { seen.add(s.rip); }
        });
        m.mem.putBytes(0x7C00, 0x90, 0x90, 0x90);
        m.cpu.step();
        m.cpu.requestEventCheck(true);
        m.cpu.run(2);
        assertEquals(List.of(0x7C02L, 0x7C03L), seen);
    }

    @Test void hookMayAbortAnExceptionAsVmExit() {
        m.mem.putBytes(0x7C00, 0x0F, 0x0B);
        m.cpu.setHook(new InterceptHook() {
            @Override public boolean instruction(InterceptInfo info) { return false; }
            @Override public void exception(int vector, int errorCode, long qualification, int softwareType) {
                throw InstructionAbort.INSTANCE;
            }
            @Override public void tripleFault() {}
            @Override public void afterInstruction() {}
        });
        assertThrows(InstructionAbort.class, () -> m.cpu.run(5));
        assertEquals(0x7C00, s.rip, "nothing changed");
        assertEquals(0x7000, s.gpr[4]);
    }

    @Test void instructionExitByReturnValueStopsTheRunBeforeTheInstruction() {
        // nop; out 0x80, al; nop — the hook takes an exit for the OUT (as a VMM's I/O exiting does)
        m.mem.putBytes(0x7C00, 0x90, 0xE6, 0x80, 0x90);
        List<Integer> ports = new ArrayList<>();
        m.cpu.setHook(new InterceptHook() {
            @Override public boolean instruction(InterceptInfo info) { ports.add(info.port); return true; }
            @Override public void exception(int vector, int errorCode, long qualification, int softwareType) {}
            @Override public void tripleFault() {}
            @Override public void afterInstruction() {}
        });
        long before = s.instructionsRetired;
        assertEquals(1, m.cpu.run(10), "only the NOP retired");
        assertEquals(0x7C01, s.rip, "RIP stays at the exiting instruction");
        assertEquals(1, s.instructionsRetired - before);
        assertEquals(List.of(0x80), ports);
        assertEquals(0, m.cpu.run(10), "running again offers the same instruction again");
        assertEquals(0x7C01, s.rip);
    }

    @Test void decodeAtDoesNotExecute() {
        m.mem.putBytes(0x7C10, 0xB8, 0x01, 0x00);
        DecodedInstruction d = m.cpu.decodeAt(0x7C10);
        assertEquals(Mnemonic.MOV, d.mnemonic);
        assertEquals(3, d.length);
        assertEquals(0x7C00, s.rip);
        assertEquals(0, s.instructionsRetired);
    }

    @Test void codeAndStackSizesFollowTheMode() {
        assertEquals(16, m.cpu.codeSize());
        assertEquals(2, m.cpu.stackAddressSize());
        m.protectedMode32();
        assertEquals(32, m.cpu.codeSize());
        assertEquals(4, m.cpu.stackAddressSize());
    }

    @Test void tripleFaultStopsTheRun() {
        m.protectedMode32();
        s.idtrLimit = 0;                              // every vector is beyond the IDT limit
        m.mem.putBytes(0x7C00, 0x0F, 0x0B);
        assertEquals(0, m.cpu.run(50));
        assertEquals(CpuState.SHUTDOWN, s.activityState);
        assertTrue(m.hook.calls.contains("triple"));
    }

    @Test void runningAllocatesNothingPerInstruction() {
        // loop: inc ax; mov [0x500], ax; push ax; pop bx; jmp loop
        m.mem.putBytes(0x7C00, 0x40, 0xA3, 0x00, 0x05, 0x50, 0x5B, 0xEB, 0xF8);
        m.cpu.run(20_000); // warm up
        com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        long retired = m.cpu.run(200_000);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertEquals(200_000, retired);
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes for 200k instructions");
    }

    @Test void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.cpu.deliverEvent(300, 0, -1, 0));
        assertTrue(e.getMessage().contains("vector"));
        assertThrows(IllegalArgumentException.class, () -> new Cpu(s, null, null, null));
    }
}
