package org.haxm.vmx.qualification;

import static org.haxm.vmx.qualification.Bits.bit;
import static org.haxm.vmx.qualification.Bits.has;

/**
 * An interruption-information value: VM-entry interruption information (0x4016), VM-exit
 * interruption information (0x4404) or IDT-vectoring information (0x4408)
 * (SDM Vol. 3C §25.8.3, §25.9.2, §25.9.3).
 *
 * <p>Layout: bits 7:0 vector; bits 10:8 {@link InterruptionType}; bit 11 error code valid /
 * deliver error code; bit 12 NMI unblocking due to IRET (exit information only); bits 30:13
 * reserved; bit 31 valid.
 *
 * @param vector         interrupt or exception vector 0..255
 * @param type           interruption type
 * @param errorCodeValid an error code accompanies the event (in the companion error-code field)
 * @param nmiUnblocking  NMI unblocking due to IRET (bit 12)
 * @param valid          the field describes an event (bit 31)
 */
public record InterruptionInfo(int vector, InterruptionType type, boolean errorCodeValid,
                               boolean nmiUnblocking, boolean valid) {

    public static final int VECTOR_MASK = 0xFF;
    public static final int TYPE_SHIFT = 8;
    public static final long ERROR_CODE_VALID = 1L << 11;
    public static final long NMI_UNBLOCKING = 1L << 12;
    public static final long VALID = 1L << 31;
    /** Bits 30:12 of the VM-entry field, which must be zero for entry (SDM §27.2.1.3). */
    public static final long ENTRY_RESERVED_BITS = 0x7FFF_F000L;
    public static final long DEFINED_BITS = 0x8000_1FFFL;

    /** The all-zero value: no event (valid bit clear). */
    public static final InterruptionInfo NONE = new InterruptionInfo(0, InterruptionType.EXTERNAL_INTERRUPT, false, false, false);

    /** @throws IllegalArgumentException if vector is outside 0..255 or type is null */
    public InterruptionInfo {
        Bits.requireRange("vector", vector, 0, 0xFF);
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
    }

    /** A valid external interrupt with {@code vector}. */
    public static InterruptionInfo externalInterrupt(int vector) {
        return new InterruptionInfo(vector, InterruptionType.EXTERNAL_INTERRUPT, false, false, true);
    }

    /** A valid NMI (vector 2). */
    public static InterruptionInfo nmi() {
        return new InterruptionInfo(2, InterruptionType.NMI, false, false, true);
    }

    /** A valid hardware exception, with or without an error code. */
    public static InterruptionInfo hardwareException(int vector, boolean hasErrorCode) {
        return new InterruptionInfo(vector, InterruptionType.HARDWARE_EXCEPTION, hasErrorCode, false, true);
    }

    /** A valid software interrupt (INT n). */
    public static InterruptionInfo softwareInterrupt(int vector) {
        return new InterruptionInfo(vector, InterruptionType.SOFTWARE_INTERRUPT, false, false, true);
    }

    /** A valid software exception (INT3 = 3, INTO = 4). */
    public static InterruptionInfo softwareException(int vector) {
        return new InterruptionInfo(vector, InterruptionType.SOFTWARE_EXCEPTION, false, false, true);
    }

    /** A valid privileged software exception (INT1/ICEBP, vector 1). */
    public static InterruptionInfo privilegedSoftwareException(int vector) {
        return new InterruptionInfo(vector, InterruptionType.PRIVILEGED_SOFTWARE_EXCEPTION, false, false, true);
    }

    /** The field value, zero-extended. */
    public long encode() {
        return vector | ((long) type.code() << TYPE_SHIFT) | bit(errorCodeValid, ERROR_CODE_VALID)
            | bit(nmiUnblocking, NMI_UNBLOCKING) | bit(valid, VALID);
    }

    /** True if the valid bit (31) of a raw field value is set. */
    public static boolean isValid(long bits) { return has(bits, VALID); }

    /** @throws IllegalArgumentException for reserved bits or the reserved type code 1 */
    public static InterruptionInfo decode(long bits) {
        Bits.requireDefined("interruption information", bits, DEFINED_BITS);
        int code = (int) (bits >>> TYPE_SHIFT) & 7;
        InterruptionType type = InterruptionType.fromCode(code);
        if (type == null) {
            throw new IllegalArgumentException("interruption type (bits 10:8) " + code + " is reserved");
        }
        return new InterruptionInfo((int) bits & VECTOR_MASK, type, has(bits, ERROR_CODE_VALID),
            has(bits, NMI_UNBLOCKING), has(bits, VALID));
    }
}
