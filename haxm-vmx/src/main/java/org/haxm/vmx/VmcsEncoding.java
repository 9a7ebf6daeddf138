package org.haxm.vmx;

/**
 * A decoded VMREAD/VMWRITE field encoding: the field plus the access type of bit 0
 * (SDM Vol. 3C §25.11.2). Access type 1 ("high") is legal only for 64-bit fields and selects
 * bits 63:32.
 *
 * @param field the VMCS field
 * @param high  true for the high-half encoding of a 64-bit field
 */
public record VmcsEncoding(VmcsField field, boolean high) {

    /** @throws IllegalArgumentException if {@code high} is set for a field that is not 64-bit */
    public VmcsEncoding {
        if (field == null) {
            throw new IllegalArgumentException("field must not be null");
        }
        if (high && !field.hasHighEncoding()) {
            throw new IllegalArgumentException("high access is only defined for 64-bit fields, "
                + field + " is " + field.width());
        }
    }

    /** The 32-bit encoding a VMREAD/VMWRITE operand would carry. */
    public int encoding() { return field.encoding() | (high ? 1 : 0); }

    /**
     * Decodes a VMREAD/VMWRITE encoding operand, or returns {@code null} if it names no supported
     * component (which VMREAD/VMWRITE report as VM-instruction error 12). The operand is 64 bits
     * as in 64-bit mode: bits 63:32 set are also unsupported (SDM Vol. 3C §31.3, VMREAD).
     */
    public static VmcsEncoding decode(long encoding) {
        if ((encoding >>> 32) != 0) {
            return null;
        }
        int enc = (int) encoding;
        VmcsField field = VmcsField.fromEncoding(enc & ~1);
        if (field == null) {
            return null;
        }
        boolean high = (enc & 1) != 0;
        if (high && !field.hasHighEncoding()) {
            return null;
        }
        return new VmcsEncoding(field, high);
    }
}
