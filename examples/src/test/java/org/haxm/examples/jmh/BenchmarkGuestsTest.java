package org.haxm.examples.jmh;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.haxm.api.HaxExitStatus;
import org.haxm.emulator.Cpu;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Decoder;
import org.haxm.emulator.decoder.Mnemonic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The benchmarks measure what they claim: each guest program runs as intended, without faults,
 * for as many instructions as the benchmark counts. (No timing is asserted here.)
 */
class BenchmarkGuestsTest {

    @Test
    void decoderMixDecodesEveryEncodingToItsFullLengthWithoutFault() {
        DecoderBenchmark b = new DecoderBenchmark();
        DecoderBenchmark.ArrayFetcher f = new DecoderBenchmark.ArrayFetcher(DecoderBenchmark.MIX);
        Decoder d = new Decoder();
        DecodedInstruction out = new DecodedInstruction();
        int total = 0;
        for (int i = 0; i < DecoderBenchmark.MIX.size(); i++) {
            f.start = f.starts[i];
            d.decode(f, 64, out);
            int expected = InstructionClass.hex(DecoderBenchmark.MIX.get(i)).length;
            assertEquals(DecodedInstruction.FAULT_NONE, out.fault, DecoderBenchmark.MIX.get(i));
            assertNotEquals(Mnemonic.INVALID, out.mnemonic, DecoderBenchmark.MIX.get(i));
            assertEquals(expected, out.length, DecoderBenchmark.MIX.get(i));
            total += expected;
        }
        assertEquals(30, DecoderBenchmark.MIX.size(), "@OperationsPerInvocation(30) must match the mix");
        assertEquals(total, b.decodeMix());
    }

    @ParameterizedTest
    @EnumSource(InstructionClass.class)
    void everyInstructionClassLoopRunsItsStepsWithoutFaulting(InstructionClass kind) {
        Cpu cpu = ExecutionBenchmark.newCpu(kind);
        CpuState s = cpu.state();
        int iterations = 3;
        int steps = iterations * kind.instructionsPerIteration();
        assertEquals(steps, cpu.run(steps), "every step retires: no exception was delivered");
        assertEquals(CpuState.ACTIVE, s.activityState);
        assertEquals(InstructionClass.loopStart(), s.rip, "whole iterations end at the loop start");
        assertEquals(ExecutionBenchmark.STACK_TOP, s.gpr[4], "the stack is balanced");
        assertEquals(ExecutionBenchmark.SOURCE, s.gpr[6], "ESI back where it started");
        assertEquals(ExecutionBenchmark.DESTINATION, s.gpr[7], "EDI back where it started");
        long eax = s.gpr[0] & 0xFFFF_FFFFL;
        int n = iterations * InstructionClass.COPIES;
        switch (kind) {
            case ALU_REG -> assertEquals(1 + 7L * n, eax);
            case ALU_MEM -> assertEquals((1 + 0x1234_5678L * n) & 0xFFFF_FFFFL, eax);
            case SHIFT -> assertEquals(0, eax, "shifted out after 96 x 3 bits");
            case MUL -> assertEquals(pow7(n), eax);
            case PUSH_POP -> assertEquals(1, s.gpr[3], "POP EBX received the pushed EAX");
            case STRING -> assertEquals(0x1234_5678L, cpu.memory().read(ExecutionBenchmark.DESTINATION, 4, 0, -1));
            default -> { }
        }
    }

    private static long pow7(int n) {
        long v = 1;
        for (int i = 0; i < n; i++) {
            v = (v * 7) & 0xFFFF_FFFFL;
        }
        return v;
    }

    @Test
    void executionBenchmarkRefusesALoopThatStopped() {
        ExecutionBenchmark b = new ExecutionBenchmark();
        b.kind = InstructionClass.ALU_REG;
        b.setUp();
        b.instruction();
        assertDoesNotThrow(b::checkStillRunning);
        b.cpu().state().activityState = CpuState.SHUTDOWN;
        assertThrows(IllegalStateException.class, b::checkStillRunning);
    }

    @Test
    void divisionNeverOverflowsOverManyIterations() {
        Cpu cpu = ExecutionBenchmark.newCpu(InstructionClass.DIV);
        int steps = 1000 * InstructionClass.DIV.instructionsPerIteration();
        assertEquals(steps, cpu.run(steps));
    }

    @ParameterizedTest
    @EnumSource(TranslationBenchmark.Pattern.class)
    void translationGuestLoadsFromTheRegionAndHaltsEachRun(TranslationBenchmark.Pattern pattern) {
        try (ApiGuest g = TranslationBenchmark.newGuest(pattern)) {
            // Mark the last page the spread pattern reaches, through a value EAX ends with.
            long lastLoad = TranslationBenchmark.REGION + pattern.start
                    + (long) (TranslationBenchmark.LOADS - 1) * pattern.stride;
            g.writeInt(lastLoad, 0xC0FFEE);
            for (int run = 1; run <= 2; run++) {
                long before = g.vcpu().instructionsRetired();
                assertEquals(HaxExitStatus.HLT, g.vcpu().run(), g.vcpu().stopReason());
                long expected = TranslationBenchmark.INSTRUCTIONS_PER_RUN - (run == 1 ? 1 : 0); // no JMP before the first
                assertEquals(expected, g.vcpu().instructionsRetired() - before);
                assertEquals(0xC0FFEE, g.vcpu().getRegs().regs[0]);
                assertEquals(lastLoad + pattern.stride, g.vcpu().getRegs().regs[6], "ESI after the last load");
            }
        }
    }

    @Test
    void exitRoundTripReturnsOneIoExitPerOutOnThePort() {
        ExitRoundTripBenchmark b = new ExitRoundTripBenchmark();
        b.setUp();
        try {
            for (int i = 0; i < 5; i++) {
                assertEquals(ExitRoundTripBenchmark.PORT, b.roundTrip(), "port 0x80 and AL = 0");
            }
        } finally {
            b.tearDown();
        }
    }
}
