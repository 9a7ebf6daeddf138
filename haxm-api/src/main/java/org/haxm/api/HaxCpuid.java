package org.haxm.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.haxm.core.cpuid.CpuidModel;

/**
 * The binary layout of HAXM's variable-length {@code struct hax_cpuid} (SET_CPUID / GET_CPUID),
 * little-endian and naturally aligned (packed = unpacked, haxm-api.md §3):
 * <pre>
 *   hax_cpuid:        u32 total @0, u32 pad @4, hax_cpuid_entry entries[total] @8
 *   hax_cpuid_entry:  u32 function @0, index @4, flags @8, eax @12, ebx @16, ecx @20, edx @24,
 *                     u32 pad[3] @28                                          (40 bytes)
 * </pre>
 * {@code total} must be 1..{@value #MAX_ENTRIES} ({@code HAX_MAX_CPUID_ENTRIES}).
 */
public final class HaxCpuid {
    private HaxCpuid() {}

    /** Header (total + pad) and entry sizes in bytes. */
    public static final int HEADER_SIZE = 8, ENTRY_SIZE = 40;
    /** Entry field offsets. */
    public static final int OFF_FUNCTION = 0, OFF_INDEX = 4, OFF_FLAGS = 8, OFF_EAX = 12, OFF_EBX = 16, OFF_ECX = 20,
        OFF_EDX = 24, OFF_PAD = 28;
    /** HAXM's {@code HAX_MAX_CPUID_ENTRIES} (0x40). */
    public static final int MAX_ENTRIES = CpuidModel.MAX_ENTRIES;

    /** Bytes of a {@code hax_cpuid} with {@code total} entries. */
    public static int size(int total) { return HEADER_SIZE + ENTRY_SIZE * total; }

    /**
     * Encodes {@code entries} as a {@code hax_cpuid} image (position 0, little-endian, pads zero).
     *
     * @throws IllegalArgumentException if {@code entries} is null or its size is not 1..64
     */
    public static ByteBuffer encode(List<HaxCpuidEntry> entries) {
        checkTotal(entries == null ? -1 : entries.size(), "entries");
        ByteBuffer b = ByteBuffer.allocate(size(entries.size())).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            HaxCpuidEntry e = entries.get(i);
            if (e == null) throw new IllegalArgumentException("entries[" + i + "] must not be null");
            int at = HEADER_SIZE + ENTRY_SIZE * i;
            b.putInt(at + OFF_FUNCTION, e.function()).putInt(at + OFF_INDEX, e.index()).putInt(at + OFF_FLAGS, e.flags())
                .putInt(at + OFF_EAX, e.eax()).putInt(at + OFF_EBX, e.ebx()).putInt(at + OFF_ECX, e.ecx()).putInt(at + OFF_EDX, e.edx());
        }
        return b;
    }

    /**
     * Decodes a {@code hax_cpuid} image from the buffer's current position (the buffer's own
     * position and order are left alone).
     *
     * @throws IllegalArgumentException if {@code total} is not 1..64 or the buffer is shorter
     *         than {@code 8 + 40 * total} bytes
     */
    public static List<HaxCpuidEntry> decode(ByteBuffer raw) {
        if (raw == null) throw new IllegalArgumentException("raw must not be null");
        ByteBuffer b = raw.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < HEADER_SIZE) throw new IllegalArgumentException("raw needs at least " + HEADER_SIZE + " bytes, has " + b.remaining());
        int total = b.getInt(0);
        checkTotal(total, "total");
        if (b.remaining() < size(total)) {
            throw new IllegalArgumentException("raw holds " + b.remaining() + " bytes, total " + total + " needs " + size(total));
        }
        List<HaxCpuidEntry> list = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            int at = HEADER_SIZE + ENTRY_SIZE * i;
            list.add(new HaxCpuidEntry(b.getInt(at + OFF_FUNCTION), b.getInt(at + OFF_INDEX), b.getInt(at + OFF_FLAGS),
                b.getInt(at + OFF_EAX), b.getInt(at + OFF_EBX), b.getInt(at + OFF_ECX), b.getInt(at + OFF_EDX)));
        }
        return List.copyOf(list);
    }

    static void checkTotal(int total, String what) {
        if (total < 1 || total > MAX_ENTRIES) {
            throw new IllegalArgumentException(what + " must hold 1.." + MAX_ENTRIES + " CPUID entries, got "
                + (total < 0 && what.equals("entries") ? "null" : Integer.toUnsignedString(total)));
        }
    }
}
