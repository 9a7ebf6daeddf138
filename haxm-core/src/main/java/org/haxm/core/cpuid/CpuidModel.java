package org.haxm.core.cpuid;

import java.nio.charset.StandardCharsets;

/**
 * The processor identity the engine presents to its guests: a recent Intel core (to its guests
 * the engine is always an Intel CPU, whatever the host is), reporting only features the engine
 * implements. Answered by the hypervisor on every CPUID exit (CPUID always exits in VMX non-root
 * operation, SDM Vol. 3C §26.1.2), as HAXM does from its per-VM table (haxm-api.md §6.7).
 *
 * <p>Leaf 0x40000000 carries HAXM's hypervisor signature "HAXMHAXMHAXM".
 */
public final class CpuidModel {
    /** Highest basic and extended leaves. */
    public static final int MAX_BASIC = 0x7, MAX_EXTENDED = 0x8000_0008;
    /** Family 6, model 0x8C (Tiger Lake), stepping 1: EAX of leaf 1. */
    public static final int SIGNATURE = 0x000806C1;
    /** Guest-physical and linear address widths (leaf 0x80000008): the MAXPHYADDR the model CPU's
     *  MMU enforces in guest paging structures, so what CPUID reports is what the guest gets. */
    public static final int PHYSICAL_ADDRESS_BITS = org.haxm.emulator.mmu.Mmu.PHYS_ADDR_BITS, LINEAR_ADDRESS_BITS = 48;

    // Leaf 1 EDX: FPU-less integer core with the paging and system features the engine implements.
    private static final int LEAF1_EDX = (1 << 3) /* PSE */ | (1 << 4) /* TSC */ | (1 << 5) /* MSR */
        | (1 << 6) /* PAE */ | (1 << 8) /* CX8 */ | (1 << 13) /* PGE */ | (1 << 15) /* CMOV */ | (1 << 16) /* PAT */;
    // Leaf 1 ECX: CMPXCHG16B, MOVBE, POPCNT, and bit 31 "running under a hypervisor".
    private static final int LEAF1_ECX = (1 << 13) | (1 << 22) | (1 << 23) | (1 << 31);
    // Leaf 0x80000001: ECX LAHF/SAHF in 64-bit mode and LZCNT; EDX SYSCALL, NX, long mode.
    private static final int EXT1_ECX = 1 | (1 << 5);
    private static final int EXT1_EDX = (1 << 11) | (1 << 20) | (1 << 29);

    /** The 48-byte brand string of leaves 0x80000002-4 as twelve little-endian dwords. */
    private static final int[] BRAND = packAscii("haxm-java virtual Intel 64 CPU", 48);
    /** "HAXMHAXMHAXM" for EBX, ECX, EDX of leaf 0x40000000. */
    private static final int[] HYPERVISOR = packAscii("HAXMHAXMHAXM", 12);

    private final int vcpuCount;

    /** @param vcpuCount logical processors in the VM (reported in leaf 1 EBX[23:16]). */
    public CpuidModel(int vcpuCount) {
        this.vcpuCount = vcpuCount;
    }

    /**
     * Answers CPUID for {@code leaf}/{@code subleaf} on VCPU {@code apicId}, writing EAX, EBX,
     * ECX, EDX into {@code out[0..3]}. Leaves above the maximum return the highest basic leaf's
     * values, as Intel processors do (SDM Vol. 2A, CPUID: "If a value entered for CPUID.EAX is
     * higher than the maximum input value...").
     */
    public void query(int leaf, int subleaf, int apicId, int[] out) {
        out[0] = out[1] = out[2] = out[3] = 0;
        if (Integer.compareUnsigned(leaf, 0x4000_0000) >= 0 && Integer.compareUnsigned(leaf, 0x4000_00FF) <= 0) {
            if (leaf == 0x4000_0000) { out[0] = 0x4000_0000; System.arraycopy(HYPERVISOR, 0, out, 1, 3); }
            return;
        }
        if (Integer.compareUnsigned(leaf, 0x8000_0000) >= 0) {
            if (Integer.compareUnsigned(leaf, MAX_EXTENDED) > 0) { query(MAX_BASIC, subleaf, apicId, out); return; }
            extended(leaf, out);
            return;
        }
        if (leaf > MAX_BASIC) { query(MAX_BASIC, subleaf, apicId, out); return; }
        switch (leaf) {
            case 0 -> {
                out[0] = MAX_BASIC;
                // "GenuineIntel" is returned in EBX, EDX, ECX order.
                out[1] = 0x756E6547; out[3] = 0x49656E69; out[2] = 0x6C65746E;
            }
            case 1 -> {
                out[0] = SIGNATURE;
                out[1] = (apicId << 24) | (Math.max(1, vcpuCount) << 16) | (8 << 8);
                out[2] = LEAF1_ECX;
                out[3] = LEAF1_EDX | (vcpuCount > 1 ? 1 << 28 : 0);
            }
            default -> { /* leaves 2..7: nothing the engine implements is reported there yet */ }
        }
    }

    private static void extended(int leaf, int[] out) {
        switch (leaf) {
            case 0x8000_0000 -> out[0] = MAX_EXTENDED;
            case 0x8000_0001 -> { out[2] = EXT1_ECX; out[3] = EXT1_EDX; }
            case 0x8000_0002, 0x8000_0003, 0x8000_0004 -> System.arraycopy(BRAND, (leaf - 0x8000_0002) * 4, out, 0, 4);
            case 0x8000_0008 -> out[0] = PHYSICAL_ADDRESS_BITS | (LINEAR_ADDRESS_BITS << 8);
            default -> { }
        }
    }

    /** Packs {@code s}, NUL-padded to {@code length} bytes, into little-endian dwords. */
    private static int[] packAscii(String s, int length) {
        byte[] b = java.util.Arrays.copyOf(s.getBytes(StandardCharsets.US_ASCII), length);
        int[] words = new int[length / 4];
        for (int i = 0; i < words.length; i++) {
            int o = i * 4;
            words[i] = (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
        }
        return words;
    }
}
