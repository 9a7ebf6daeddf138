package org.haxm.core.cpuid;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The processor identity a VM presents to its guests: one coherent recent Intel core (Tiger Lake
 * signature; to its guests the engine is always an Intel CPU, whatever the host is) that reports
 * only what the engine implements ({@link CpuidFeature}), with the topology of the VM's VCPUs
 * ({@link Topology}) and the caller's narrowing ({@link CpuidNarrowing}). Answered by the
 * hypervisor on every CPUID exit (CPUID always exits in VMX non-root operation, SDM Vol. 3C
 * §26.1.2), as HAXM answers from its per-VM table (haxm-api.md §6.7).
 *
 * <p>Leaves: 0 (vendor, max basic 0xD), 1 (signature, APIC id, features), 2 (descriptor 0xFF:
 * "use leaf 4"), 4 (caches), 7 (structured features), 0xB (topology), 0xD (XSAVE: nothing, as
 * the engine executes no XSAVE), 0x40000000 ("HAXMHAXMHAXM"), 0x80000000-0x80000008 (extended
 * features, brand string, L2 cache, address sizes). Leaves 3, 5, 6, 8-0xA and 0xC are zero.
 *
 * <p><b>Narrowing changes only what CPUID reports.</b> A guest that executes an instruction whose
 * flag was hidden still executes it, as on Intel hardware: CPUID is information, and software must
 * check it before use (SDM Vol. 2A, CPUID, "Software ... should check the feature flags"). VMX
 * only makes a few instructions #UD through secondary processor-based controls ("enable
 * RDTSCP", "enable INVPCID", "enable XSAVES/XRSTORS", SDM Vol. 3C §26.3); the engine does not tie
 * those controls to the CPUID table.
 *
 * <p>Immutable and allocation-free in {@link #query}: a VM replaces its model with one reference
 * write when its VCPUs or its narrowing change.
 */
public final class CpuidModel {
    /** Highest basic and extended leaves the model offers. */
    public static final int MAX_BASIC = 0xD, MAX_EXTENDED = 0x8000_0008;
    /** Family 6, model 0x8C (Tiger Lake), stepping 1: EAX of leaf 1 (also EDX after RESET). */
    public static final int SIGNATURE = 0x000806C1;
    /** Guest-physical and linear address widths (leaf 0x80000008): the MAXPHYADDR the model CPU's
     *  MMU enforces in guest paging structures, so what CPUID reports is what the guest gets. */
    public static final int PHYSICAL_ADDRESS_BITS = org.haxm.emulator.mmu.Mmu.PHYS_ADDR_BITS, LINEAR_ADDRESS_BITS = 48;
    /** Highest leaf of the hypervisor range 0x40000000-0x400000FF that has data. */
    public static final int HYPERVISOR_LEAF = 0x4000_0000;
    /** The default brand string (leaves 0x80000002-4). */
    public static final String BRAND = "haxm-java virtual Intel 64 CPU";
    /** Leaf 1 ECX[31]: "not used by processors; set by a hypervisor" — always set (HAXM forces it too). */
    public static final int HYPERVISOR_BIT = 1 << 31;
    /** Leaf 1 EDX[28] HTT: set when the package has more than one addressable id. */
    public static final int HTT_BIT = 1 << 28;
    /** SET_CPUID accepts 1..64 entries (HAXM's HAX_MAX_CPUID_ENTRIES). */
    public static final int MAX_ENTRIES = 64;

    /** The features the engine offers: every {@link CpuidFeature} whose instructions execute. */
    static final Set<CpuidFeature> OFFERED;
    static {
        EnumSet<CpuidFeature> s = EnumSet.noneOf(CpuidFeature.class);
        for (CpuidFeature f : CpuidFeature.values()) if (f.executable()) s.add(f);
        OFFERED = Collections.unmodifiableSet(s);
    }

    static final int[] DEFAULT_BRAND = packAscii(BRAND, 48);
    /** "HAXMHAXMHAXM" for EBX, ECX, EDX of leaf 0x40000000. */
    private static final int[] HYPERVISOR = packAscii("HAXMHAXMHAXM", 12);
    /** Leaf 2: AL = 01 (call once), descriptor 0xFF in AH = "no descriptors, use leaf 4". */
    private static final int LEAF2_EAX = 0x0000_FF01;
    /** Leaf 4 sub-leaves in order (a shared array: {@code values()} would allocate per query). */
    private static final CacheLevel[] CACHES = CacheLevel.values();

    private final Topology topology;
    private final CpuidNarrowing narrowing;
    // Feature registers, computed once from the offer minus what the caller hid.
    private final int leaf1Ecx, leaf1Edx, leaf7Ebx, leaf7Ecx, leaf7Edx, ext1Ecx, ext1Edx;

    /** @param vcpuCount logical processors in the VM, numbered 0..vcpuCount-1. */
    public CpuidModel(int vcpuCount) { this(Topology.of(Math.max(1, vcpuCount)), CpuidNarrowing.NONE); }

    public CpuidModel(Topology topology, CpuidNarrowing narrowing) {
        this.topology = topology;
        this.narrowing = narrowing;
        EnumSet<CpuidFeature> shown = EnumSet.noneOf(CpuidFeature.class);
        for (CpuidFeature f : OFFERED) if (!narrowing.hides(f)) shown.add(f);
        leaf1Ecx = CpuidFeature.maskOf(shown, 1, CpuidRegister.ECX) | HYPERVISOR_BIT;
        leaf1Edx = CpuidFeature.maskOf(shown, 1, CpuidRegister.EDX) | (topology.htt() ? HTT_BIT : 0);
        leaf7Ebx = CpuidFeature.maskOf(shown, 7, CpuidRegister.EBX);
        leaf7Ecx = CpuidFeature.maskOf(shown, 7, CpuidRegister.ECX);
        leaf7Edx = CpuidFeature.maskOf(shown, 7, CpuidRegister.EDX);
        ext1Ecx = CpuidFeature.maskOf(shown, 0x8000_0001, CpuidRegister.ECX);
        ext1Edx = CpuidFeature.maskOf(shown, 0x8000_0001, CpuidRegister.EDX);
    }

    public Topology topology() { return topology; }
    public CpuidNarrowing narrowing() { return narrowing; }

    /** The features the engine implements and can report (before narrowing). */
    public static Set<CpuidFeature> offered() { return OFFERED; }

    /** This model for another topology, keeping the narrowing. */
    public CpuidModel withTopology(Topology t) { return new CpuidModel(t, narrowing); }

    /** This model with the caller's SET_CPUID entries applied ({@link CpuidNarrowing#apply}). */
    public CpuidModel narrowedBy(List<CpuidEntry> entries) { return new CpuidModel(topology, narrowing.apply(entries)); }

    /** True when the model reports {@code f} (offered and not hidden). */
    public boolean reports(CpuidFeature f) { return OFFERED.contains(f) && !narrowing.hides(f); }

    /**
     * Answers CPUID for {@code leaf}/{@code subleaf} on the VCPU with APIC id {@code apicId},
     * writing EAX, EBX, ECX, EDX into {@code out[0..3]}. A basic or extended leaf above its
     * maximum returns the highest basic leaf's values, as Intel processors do (SDM Vol. 2A,
     * CPUID: "If a value entered for CPUID.EAX is higher than the maximum input value for basic
     * or extended function ... the data for the highest basic information leaf is returned").
     */
    public void query(int leaf, int subleaf, int apicId, int[] out) {
        out[0] = out[1] = out[2] = out[3] = 0;
        if (Integer.compareUnsigned(leaf, 0x4000_0000) >= 0 && Integer.compareUnsigned(leaf, 0x4000_00FF) <= 0) {
            if (leaf == HYPERVISOR_LEAF) { out[0] = HYPERVISOR_LEAF; System.arraycopy(HYPERVISOR, 0, out, 1, 3); }
            return;
        }
        int maxBasic = narrowing.maxBasic();
        if (Integer.compareUnsigned(leaf, 0x8000_0000) >= 0) {
            if (Integer.compareUnsigned(leaf, narrowing.maxExtended()) > 0) basic(maxBasic, subleaf, apicId, out);
            else extended(leaf, out);
            return;
        }
        basic(Integer.compareUnsigned(leaf, maxBasic) > 0 ? maxBasic : leaf, subleaf, apicId, out);
    }

    private void basic(int leaf, int subleaf, int apicId, int[] out) {
        switch (leaf) {
            case 0 -> {
                out[0] = narrowing.maxBasic();
                // "GenuineIntel" is returned in EBX, EDX, ECX order.
                out[1] = 0x756E6547; out[3] = 0x49656E69; out[2] = 0x6C65746E;
            }
            case 1 -> {
                out[0] = narrowing.signature();
                out[1] = topology.leaf1Ebx(apicId);
                out[2] = leaf1Ecx;
                out[3] = leaf1Edx;
            }
            case 2 -> out[0] = LEAF2_EAX;
            case 4 -> {
                // Sub-leaves past the last cache report type 0, "no more caches".
                if (subleaf >= 0 && subleaf < CACHES.length) CACHES[subleaf].deterministicParameters(topology, out);
            }
            case 7 -> { if (subleaf == 0) { out[1] = leaf7Ebx; out[2] = leaf7Ecx; out[3] = leaf7Edx; } }
            case 0xB -> topology.extendedTopology(subleaf, apicId, out);
            // 0xD: no XSAVE, so no state components, sizes or sub-leaves (SDM Vol. 1 §13.2): all zero.
            default -> { }
        }
    }

    private void extended(int leaf, int[] out) {
        switch (leaf) {
            case 0x8000_0000 -> out[0] = narrowing.maxExtended();
            case 0x8000_0001 -> { out[2] = ext1Ecx; out[3] = ext1Edx; }
            case 0x8000_0002, 0x8000_0003, 0x8000_0004 ->
                System.arraycopy(narrowing.brand(), (leaf - 0x8000_0002) * 4, out, 0, 4);
            case 0x8000_0006 -> out[2] = CacheLevel.L2.extendedL2Ecx();
            case 0x8000_0008 -> out[0] = PHYSICAL_ADDRESS_BITS | (LINEAR_ADDRESS_BITS << 8);
            default -> { }
        }
    }

    /**
     * The table as VCPU {@code apicId} sees it (GET_CPUID): every leaf and sub-leaf with data up to
     * the current maximum basic and extended leaves, in ascending order. Its size stays well below
     * {@link #MAX_ENTRIES}, so it can be passed back to SET_CPUID unchanged.
     */
    public List<CpuidEntry> entries(int apicId) {
        List<CpuidEntry> list = new ArrayList<>();
        int[] o = new int[4];
        int maxBasic = narrowing.maxBasic();
        for (int leaf = 0; leaf <= maxBasic; leaf++) {
            int subleaves = switch (leaf) { case 4 -> CACHES.length; case 0xB, 0xD -> 2; default -> 1; };
            for (int sub = 0; sub < subleaves; sub++) {
                query(leaf, sub, apicId, o);
                list.add(new CpuidEntry(leaf, sub, 0, o[0], o[1], o[2], o[3]));
            }
        }
        query(HYPERVISOR_LEAF, 0, apicId, o);
        list.add(new CpuidEntry(HYPERVISOR_LEAF, 0, 0, o[0], o[1], o[2], o[3]));
        for (int leaf = 0x8000_0000; Integer.compareUnsigned(leaf, narrowing.maxExtended()) <= 0; leaf++) {
            query(leaf, 0, apicId, o);
            list.add(new CpuidEntry(leaf, 0, 0, o[0], o[1], o[2], o[3]));
        }
        return List.copyOf(list);
    }

    /** Packs {@code s}, NUL-padded to {@code length} bytes, into little-endian dwords. */
    static int[] packAscii(String s, int length) {
        byte[] b = Arrays.copyOf(s.getBytes(StandardCharsets.US_ASCII), length);
        int[] words = new int[length / 4];
        for (int i = 0; i < words.length; i++) {
            int o = i * 4;
            words[i] = (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
        }
        return words;
    }
}
