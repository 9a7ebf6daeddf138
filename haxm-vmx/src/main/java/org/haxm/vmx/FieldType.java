package org.haxm.vmx;

/**
 * Type of a VMCS field, taken from bits 11:10 of its encoding (SDM Vol. 3C §25.11.2).
 * Constants are in encoding order (0..3).
 */
public enum FieldType {
    /** VM-execution, VM-exit and VM-entry control fields (type 0). */
    CONTROL(0),
    /**
     * VM-exit information fields (type 1): written by the processor on VM exit, read-only to
     * software (VMWRITE fails with error 13 unless IA32_VMX_MISC[29] = 1).
     */
    EXIT_INFORMATION(1),
    /** Guest-state area (type 2). */
    GUEST_STATE(2),
    /** Host-state area (type 3). */
    HOST_STATE(3);

    /** Bit position of the type in a field encoding. */
    public static final int SHIFT = 10;

    private static final FieldType[] BY_BITS = values();

    private final int encodingBits;

    FieldType(int encodingBits) { this.encodingBits = encodingBits; }

    /** The 2-bit value stored in encoding bits 11:10. */
    public int encodingBits() { return encodingBits; }

    /** True for fields software may not VMWRITE. */
    public boolean isReadOnly() { return this == EXIT_INFORMATION; }

    /** The type named by bits 11:10 of a field encoding. */
    public static FieldType fromEncoding(int encoding) {
        return BY_BITS[(encoding >>> SHIFT) & 3];
    }
}
