package org.haxm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.haxm.core.cpuid.CpuidFeature;
import org.haxm.core.cpuid.CpuidModel;
import org.junit.jupiter.api.Test;

/**
 * Every instruction feature the CPUID model reports runs in a guest: one instruction of the
 * feature, then HLT, in 64-bit mode with no IDT — a #UD (or any fault) would triple-fault into
 * STATECHANGE instead of HLT.
 *
 * <p>Reported features without an instruction are system or paging behaviour and are covered where
 * that behaviour lives: PSE, PAE, PGE, PAT, NX, PAGE1GB, SMEP (haxm-emulator MMU tests), UMIP
 * (SystemOps tests), MTRR (MsrHandler), LM (every long-mode guest here, e.g. {@link TestGuest#long64}).
 */
class ReportedFeaturesExecuteTest {
    private static final int IA32_EFER = 0xC000_0080, IA32_STAR = 0xC000_0081, IA32_LSTAR = 0xC000_0082,
        SYSENTER_CS = 0x174, SYSENTER_ESP = 0x175, SYSENTER_EIP = 0x176;

    /** One guest program per feature (64-bit mode, ending in HLT), with any setup it needs. */
    private record Sample(byte[] code, Consumer<TestGuest> setup) {
        static Sample of(int... b) { return new Sample(TestGuest.bytes(b), g -> { }); }
    }

    private static final Map<CpuidFeature, Sample> SAMPLES = new EnumMap<>(CpuidFeature.class);
    static {
        SAMPLES.put(CpuidFeature.TSC, Sample.of(0x0F, 0x31, 0xF4));                                       // rdtsc
        SAMPLES.put(CpuidFeature.MSR, Sample.of(0xB9, 0x77, 0x02, 0, 0, 0x0F, 0x32, 0x0F, 0x30, 0xF4));  // mov ecx,PAT; rdmsr; wrmsr
        SAMPLES.put(CpuidFeature.CX8, Sample.of(0x0F, 0xC7, 0x0E, 0xF4));                                 // cmpxchg8b [rsi]
        SAMPLES.put(CpuidFeature.SEP, new Sample(TestGuest.bytes(0x0F, 0x34, 0xF4), g -> {                // sysenter -> hlt
            g.vcpu.setMsr(SYSENTER_CS, 0x08);
            g.vcpu.setMsr(SYSENTER_ESP, 0x7000);
            g.vcpu.setMsr(SYSENTER_EIP, TestGuest.CODE + 2);
        }));
        SAMPLES.put(CpuidFeature.CMOV, Sample.of(0x48, 0x0F, 0x44, 0xC3, 0xF4));                          // cmove rax,rbx
        SAMPLES.put(CpuidFeature.CLFSH, Sample.of(0x0F, 0xAE, 0x3E, 0xF4));                               // clflush [rsi]
        SAMPLES.put(CpuidFeature.CMPXCHG16B, Sample.of(0x48, 0x0F, 0xC7, 0x0E, 0xF4));                    // cmpxchg16b [rsi]
        SAMPLES.put(CpuidFeature.MOVBE, Sample.of(0x0F, 0x38, 0xF0, 0x06, 0xF4));                         // movbe eax,[rsi]
        SAMPLES.put(CpuidFeature.POPCNT, Sample.of(0xF3, 0x0F, 0xB8, 0xC3, 0xF4));                        // popcnt eax,ebx
        SAMPLES.put(CpuidFeature.RDRAND, Sample.of(0x0F, 0xC7, 0xF0, 0xF4));                              // rdrand eax
        SAMPLES.put(CpuidFeature.FSGSBASE, new Sample(TestGuest.bytes(0xF3, 0x48, 0x0F, 0xAE, 0xC0, 0xF4), g -> {  // rdfsbase rax
            HaxVcpuState s = g.vcpu.getRegs();
            s.cr4 |= 1 << 16;                                                                            // CR4.FSGSBASE
            g.vcpu.setRegs(s);
        }));
        SAMPLES.put(CpuidFeature.BMI1, Sample.of(0xC4, 0xE2, 0x60, 0xF2, 0xC1, 0xF4));                    // andn eax,ebx,ecx
        SAMPLES.put(CpuidFeature.BMI2, Sample.of(0xC4, 0xE2, 0x71, 0xF7, 0xC3, 0xF4));                    // shlx eax,ebx,ecx
        SAMPLES.put(CpuidFeature.ERMS, Sample.of(0xB9, 4, 0, 0, 0, 0xBF, 0, 0x30, 0, 0, 0xF3, 0xA4, 0xF4)); // mov ecx,4; mov edi,0x3000; rep movsb
        SAMPLES.put(CpuidFeature.RDSEED, Sample.of(0x0F, 0xC7, 0xF8, 0xF4));                              // rdseed eax
        SAMPLES.put(CpuidFeature.ADX, Sample.of(0x66, 0x0F, 0x38, 0xF6, 0xC3, 0xF4));                     // adcx eax,ebx
        SAMPLES.put(CpuidFeature.CLFLUSHOPT, Sample.of(0x66, 0x0F, 0xAE, 0x3E, 0xF4));                    // clflushopt [rsi]
        SAMPLES.put(CpuidFeature.CLWB, Sample.of(0x66, 0x0F, 0xAE, 0x36, 0xF4));                          // clwb [rsi]
        SAMPLES.put(CpuidFeature.RDPID, Sample.of(0xF3, 0x0F, 0xC7, 0xF8, 0xF4));                         // rdpid rax
        SAMPLES.put(CpuidFeature.LAHF_SAHF, Sample.of(0x9F, 0x9E, 0xF4));                                 // lahf; sahf (64-bit mode)
        SAMPLES.put(CpuidFeature.LZCNT, Sample.of(0xF3, 0x0F, 0xBD, 0xC3, 0xF4));                         // lzcnt eax,ebx
        SAMPLES.put(CpuidFeature.PREFETCHW, Sample.of(0x0F, 0x0D, 0x0E, 0xF4));                           // prefetchw [rsi]
        SAMPLES.put(CpuidFeature.SYSCALL, new Sample(TestGuest.bytes(0x0F, 0x05, 0xF4), g -> {            // syscall -> hlt
            g.vcpu.setMsr(IA32_EFER, TestGuest.EFER_LME | TestGuest.EFER_LMA | 1);                       // + EFER.SCE
            g.vcpu.setMsr(IA32_STAR, 0x08L << 32);
            g.vcpu.setMsr(IA32_LSTAR, TestGuest.CODE + 2);
        }));
        SAMPLES.put(CpuidFeature.RDTSCP, Sample.of(0x0F, 0x01, 0xF9, 0xF4));                              // rdtscp
    }

    @Test
    void everyReportedInstructionFeatureExecutesInAGuest() {
        List<String> failures = new ArrayList<>();
        int ran = 0;
        for (CpuidFeature f : CpuidModel.offered()) {
            if (f.instructions().length == 0) continue;
            Sample sample = SAMPLES.get(f);
            if (sample == null) { failures.add(f + ": reported but no guest sample in this test"); continue; }
            try (TestGuest g = TestGuest.long64(sample.code())) {
                sample.setup().accept(g);
                HaxExitStatus st = g.run();
                if (st != HaxExitStatus.HLT) failures.add(f + ": " + st + " " + g.vcpu.stopReason());
                ran++;
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(SAMPLES.size(), ran, "every sample ran");
    }

    /** Narrowing only changes what CPUID says: ANDN still executes with BMI1 hidden, as on Intel under a VMM. */
    @Test
    void aHiddenInstructionStillExecutes() {
        try (TestGuest g = TestGuest.long64(SAMPLES.get(CpuidFeature.BMI1).code())) {
            g.vcpu.setCpuid(List.of(new HaxCpuidEntry(7, 0, 0, 0, 0, 0, 0)));
            HaxVcpuState s = g.vcpu.getRegs();
            s.regs[3] = 0b1100; s.regs[1] = 0b1010;                                                     // ebx, ecx
            g.vcpu.setRegs(s);
            assertEquals(HaxExitStatus.HLT, g.run());
            assertNull(g.vcpu.stopReason());
            assertEquals(0b0010, g.gpr(0), "andn eax, ebx, ecx = ~ebx & ecx");
        }
    }

    /** Sanity of the harness: an instruction the engine lacks does not reach HLT. */
    @Test
    void anUnimplementedInstructionDoesNotReachHlt() {
        try (TestGuest g = TestGuest.long64(TestGuest.bytes(0x0F, 0x58, 0xC1, 0xF4))) {                 // addps xmm0,xmm1
            assertEquals(HaxExitStatus.STATECHANGE, g.run());
        }
    }
}
