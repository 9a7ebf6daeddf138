package org.haxm.core.cpuid;

/**
 * The four output registers of CPUID, in the order the engine stores them ({@code out[0..3]}).
 * (Leaf 0's vendor string is read EBX, EDX, ECX; that order is the guest's business.)
 */
public enum CpuidRegister {
    EAX, EBX, ECX, EDX;

    /** Index of this register in a CPUID output array {@code {eax, ebx, ecx, edx}}. */
    public int index() { return ordinal(); }
}
