package org.haxm.core.cpuid;

/**
 * One CPUID table entry, the fields of HAXM's {@code hax_cpuid_entry}: the leaf ({@code function},
 * EAX input), the sub-leaf ({@code index}, ECX input), {@code flags} (no flag is defined by HAXM;
 * the engine ignores it and reports 0) and the four output registers.
 */
public record CpuidEntry(int function, int index, int flags, int eax, int ebx, int ecx, int edx) {
    /** The output register {@code r}. */
    public int get(CpuidRegister r) {
        return switch (r) { case EAX -> eax; case EBX -> ebx; case ECX -> ecx; case EDX -> edx; };
    }
}
