package org.haxm.api;

import org.haxm.core.cpuid.CpuidEntry;

/**
 * One entry of a CPUID table, HAXM's {@code hax_cpuid_entry} (40 bytes, see {@link HaxCpuid} for
 * the binary layout).
 *
 * @param function the leaf (EAX input)
 * @param index    the sub-leaf (ECX input); only leaf 7 is narrowed per sub-leaf (0)
 * @param flags    no flag is defined by HAXM; ignored by SET_CPUID, 0 from GET_CPUID
 * @param eax      output EAX
 * @param ebx      output EBX
 * @param ecx      output ECX
 * @param edx      output EDX
 */
public record HaxCpuidEntry(int function, int index, int flags, int eax, int ebx, int ecx, int edx) {
    /** An entry with sub-leaf 0 and no flags. */
    public static HaxCpuidEntry of(int function, int eax, int ebx, int ecx, int edx) {
        return new HaxCpuidEntry(function, 0, 0, eax, ebx, ecx, edx);
    }

    CpuidEntry toCore() { return new CpuidEntry(function, index, flags, eax, ebx, ecx, edx); }

    static HaxCpuidEntry fromCore(CpuidEntry e) {
        return new HaxCpuidEntry(e.function(), e.index(), e.flags(), e.eax(), e.ebx(), e.ecx(), e.edx());
    }
}
