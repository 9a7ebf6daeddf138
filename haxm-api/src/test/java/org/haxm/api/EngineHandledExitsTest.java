package org.haxm.api;

import static org.haxm.api.TestGuest.CODE;
import static org.haxm.api.TestGuest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Exits the engine handles itself (CPUID, RDMSR, WRMSR): the caller only sees the HLT after them. */
class EngineHandledExitsTest {

    /** Real mode: xor eax,eax; cpuid; hlt */
    static final byte[] CPUID_0 = bytes(0x66, 0x31, 0xC0, 0x0F, 0xA2, 0xF4);
    /** Real mode: mov eax,0x40000000; cpuid; hlt */
    static final byte[] CPUID_HV = bytes(0x66, 0xB8, 0x00, 0x00, 0x00, 0x40, 0x0F, 0xA2, 0xF4);

    @Test
    void cpuidLeaf0IsAnsweredInsideTheEngineWithGenuineIntel() {
        try (TestGuest g = TestGuest.real(CPUID_0)) {
            assertEquals(HaxExitStatus.HLT, g.run(), "no exit to the caller for CPUID");
            HaxVcpuState s = g.regs();
            assertEquals("GenuineIntel", string(s.regs[3], s.regs[2], s.regs[1]), "EBX, EDX, ECX");
            assertEquals(org.haxm.core.cpuid.CpuidModel.MAX_BASIC, s.regs[0], "EAX = highest basic leaf");
            assertEquals(CODE + 6, s.rip);
        }
    }

    @Test
    void cpuidLeaf40000000CarriesTheHaxmSignature() {
        try (TestGuest g = TestGuest.real(CPUID_HV)) {
            assertEquals(HaxExitStatus.HLT, g.run());
            HaxVcpuState s = g.regs();
            assertEquals("HAXMHAXMHAXM", string(s.regs[3], s.regs[1], s.regs[2]), "EBX, ECX, EDX");
        }
    }

    /** Real mode: mov ecx,0x277; rdmsr; hlt */
    static final byte[] RDMSR_PAT = bytes(0x66, 0xB9, 0x77, 0x02, 0x00, 0x00, 0x0F, 0x32, 0xF4);

    @Test
    void rdmsrOfPatReturnsThePowerOnValueInEdxEax() {
        try (TestGuest g = TestGuest.real(RDMSR_PAT)) {
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0x0007_0406L, g.gpr(0));
            assertEquals(0x0007_0406L, g.gpr(2));
            assertEquals(CODE + 9, g.rip());
        }
    }

    /**
     * Real mode: three WRMSRs then RDMSR of EFER.
     * <pre>
     * mov ecx,0x174; mov eax,0x10; xor edx,edx; wrmsr           ; SYSENTER_CS = 0x10
     * mov ecx,0x175; mov eax,0x89abcdef; mov edx,0x4567; wrmsr ; SYSENTER_ESP (canonical)
     * mov ecx,0xc0000080; mov eax,1; xor edx,edx; wrmsr          ; EFER.SCE
     * mov ecx,0xc0000080; rdmsr; hlt
     * </pre>
     */
    static final byte[] WRMSRS = bytes(
        0x66, 0xB9, 0x74, 0x01, 0x00, 0x00, 0x66, 0xB8, 0x10, 0x00, 0x00, 0x00, 0x66, 0x31, 0xD2, 0x0F, 0x30,
        0x66, 0xB9, 0x75, 0x01, 0x00, 0x00, 0x66, 0xB8, 0xEF, 0xCD, 0xAB, 0x89, 0x66, 0xBA, 0x67, 0x45, 0x00, 0x00, 0x0F, 0x30,
        0x66, 0xB9, 0x80, 0x00, 0x00, 0xC0, 0x66, 0xB8, 0x01, 0x00, 0x00, 0x00, 0x66, 0x31, 0xD2, 0x0F, 0x30,
        0x66, 0xB9, 0x80, 0x00, 0x00, 0xC0, 0x0F, 0x32,
        0xF4);

    @Test
    void wrmsrOfSysenterAndEferIsVisibleToTheCallerAndToRdmsr() {
        try (TestGuest g = TestGuest.real(WRMSRS)) {
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0x10, g.vcpu.getMsr(0x174));
            assertEquals(0x4567_89AB_CDEFL, g.vcpu.getMsr(0x175));
            assertEquals(1, g.vcpu.getMsr(0xC000_0080));
            assertEquals(1, g.gpr(0), "RDMSR EFER low half");
            assertEquals(0, g.gpr(2));
            assertEquals(CODE + WRMSRS.length, g.rip());
        }
    }

    /** Real mode: mov ecx,0x12345; rdmsr; hlt (MSR 0x12345 does not exist) */
    static final byte[] RDMSR_UNKNOWN = bytes(0x66, 0xB9, 0x45, 0x23, 0x01, 0x00, 0x0F, 0x32, 0xF4);
    /** #GP handler: mov byte [0x600],13; hlt */
    static final byte[] GP_HANDLER = bytes(0xC6, 0x06, 0x00, 0x06, 0x0D, 0xF4);

    @Test
    void rdmsrOfAnUnknownMsrDeliversGpToTheGuestWithRipAtTheRdmsr() {
        try (TestGuest g = TestGuest.real(RDMSR_UNKNOWN)) {
            g.realModeHandler(13, 0x1800, GP_HANDLER);
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0x1806, g.rip(), "halted in the #GP handler");
            assertEquals(13, g.read(0x600, 1)[0]);
            HaxVcpuState s = g.regs();
            assertEquals(0x7000 - 6, s.regs[4], "real-mode delivery pushed FLAGS, CS, IP (no error code)");
            ByteBuffer frame = ByteBuffer.wrap(g.read(s.regs[4], 6)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(CODE + 6, frame.getShort(0) & 0xFFFF, "a fault: the saved IP is the RDMSR itself");
        }
    }

    /** Real mode: mov ecx,0x175; xor eax,eax; mov edx,0x8000; wrmsr; hlt (SYSENTER_ESP = 0x0000_8000_0000_0000) */
    static final byte[] WRMSR_NONCANONICAL = bytes(
        0x66, 0xB9, 0x75, 0x01, 0x00, 0x00, 0x66, 0x31, 0xC0, 0x66, 0xBA, 0x00, 0x80, 0x00, 0x00, 0x0F, 0x30, 0xF4);

    @Test
    void wrmsrOfANonCanonicalSysenterEspDeliversGpInsteadOfStoppingTheVcpu() {
        try (TestGuest g = TestGuest.real(WRMSR_NONCANONICAL)) {
            g.realModeHandler(13, 0x1800, GP_HANDLER);
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(0x1806, g.rip(), "halted in the #GP handler");
            assertEquals(0, g.vcpu.getMsr(0x175), "the MSR kept its value");
            assertThrows(IllegalArgumentException.class, () -> g.vcpu.setMsr(0x175, 0x0000_8000_0000_0000L),
                "the caller's SET_MSRS follows the same rule");
        }
    }

    @Test
    void rdmsrOfAnUnknownMsrWithoutAnIdtTripleFaults() {
        try (TestGuest g = TestGuest.real(RDMSR_UNKNOWN)) {
            HaxVcpuState s = g.regs();
            s.idt = new HaxSegment(0, 0, 0, 0);
            g.vcpu.setRegs(s);
            assertEquals(HaxExitStatus.STATECHANGE, g.run());
        }
    }

    /** Real mode: xor eax,eax; cpuid; mov ecx,0x277; rdmsr; hlt */
    static final byte[] CPUID_RDMSR_HLT = bytes(0x66, 0x31, 0xC0, 0x0F, 0xA2, 0x66, 0xB9, 0x77, 0x02, 0x00, 0x00, 0x0F, 0x32, 0xF4);

    @Test
    void theExitListenerSeesExitsHandledInsideTheEngine() {
        try (TestGuest g = TestGuest.real(CPUID_RDMSR_HLT)) {
            List<VmExitEvent> events = new ArrayList<>();
            g.vcpu.setExitListener(events::add);
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(List.of("CPUID", "RDMSR", "HLT"), events.stream().map(VmExitEvent::exitReasonName).toList());
            assertEquals(List.of(10, 31, 12), events.stream().map(VmExitEvent::exitReason).toList());
            assertNull(events.get(0).toUser(), "CPUID resumed the guest");
            assertNull(events.get(1).toUser(), "RDMSR resumed the guest");
            assertEquals(HaxExitStatus.HLT, events.get(2).toUser());
            assertEquals(2, events.get(0).instructionLength(), "CPUID is 0F A2");
            assertEquals(2, events.get(1).instructionLength(), "RDMSR is 0F 32");
            assertEquals(1, events.get(2).instructionLength());
            events.forEach(e -> assertEquals(0, e.vcpuId()));

            g.vcpu.setExitListener(null);
            g.vcpu.setRegs(withRip(g.regs(), CODE));
            assertEquals(HaxExitStatus.HLT, g.run());
            assertEquals(3, events.size(), "a removed listener sees nothing");
        }
    }

    static HaxVcpuState withRip(HaxVcpuState s, long rip) { s.rip = rip; return s; }

    private static String string(long... regs) {
        ByteBuffer b = ByteBuffer.allocate(4 * regs.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long r : regs) b.putInt((int) r);
        return new String(b.array(), StandardCharsets.US_ASCII);
    }
}
