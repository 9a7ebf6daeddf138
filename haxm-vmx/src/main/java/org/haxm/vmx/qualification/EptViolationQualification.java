package org.haxm.vmx.qualification;

import static org.haxm.vmx.qualification.Bits.bit;
import static org.haxm.vmx.qualification.Bits.has;

/**
 * Exit qualification of an EPT-violation exit, basic reason 48 (SDM Vol. 3C §28.2.1,
 * Table 28-7).
 *
 * <p>Modelled bits: 0 data read; 1 data write; 2 instruction fetch; 3/4/5 the AND over the EPT
 * entries used of their read/write/execute bits (all 0 when the walk hit a not-present entry);
 * 6 the AND of the user-execute bit (meaningful with mode-based execute control only);
 * 7 guest-linear-address field valid; 8 the access was to the final translation (1) rather
 * than to a guest paging-structure entry (0), reserved when bit 7 is 0; 12 NMI unblocking due
 * to IRET. The advanced-information bits 9-11 and bits 13-16 are not produced by this CPU
 * (IA32_VMX_EPT_VPID_CAP[22] = 0) and are rejected by {@link #decode}.
 *
 * @param read                the access was a data read
 * @param write               the access was a data write
 * @param fetch               the access was an instruction fetch
 * @param readable            every EPT entry used allowed reads
 * @param writable            every EPT entry used allowed writes
 * @param executable          every EPT entry used allowed execution (supervisor, with MBEC)
 * @param userExecutable      every EPT entry used allowed user-mode execution (MBEC)
 * @param linearAddressValid  the guest-linear-address field holds the faulting linear address
 * @param finalTranslation    the access was to the final translation of that linear address
 * @param nmiUnblocking       the exit happened during an IRET that unblocked NMIs
 */
public record EptViolationQualification(boolean read, boolean write, boolean fetch,
                                        boolean readable, boolean writable, boolean executable,
                                        boolean userExecutable, boolean linearAddressValid,
                                        boolean finalTranslation, boolean nmiUnblocking) {

    public static final long READ = 1L;
    public static final long WRITE = 1L << 1;
    public static final long FETCH = 1L << 2;
    public static final long READABLE = 1L << 3;
    public static final long WRITABLE = 1L << 4;
    public static final long EXECUTABLE = 1L << 5;
    public static final long USER_EXECUTABLE = 1L << 6;
    public static final long LINEAR_ADDRESS_VALID = 1L << 7;
    public static final long FINAL_TRANSLATION = 1L << 8;
    public static final long NMI_UNBLOCKING = 1L << 12;
    public static final long DEFINED_BITS = 0x11FFL;

    /** @throws IllegalArgumentException if finalTranslation is set without linearAddressValid */
    public EptViolationQualification {
        if (finalTranslation && !linearAddressValid) {
            throw new IllegalArgumentException("finalTranslation (bit 8) is reserved unless linearAddressValid (bit 7) is set");
        }
    }

    /** The qualification value. */
    public long encode() {
        return bit(read, READ) | bit(write, WRITE) | bit(fetch, FETCH) | bit(readable, READABLE)
            | bit(writable, WRITABLE) | bit(executable, EXECUTABLE) | bit(userExecutable, USER_EXECUTABLE)
            | bit(linearAddressValid, LINEAR_ADDRESS_VALID) | bit(finalTranslation, FINAL_TRANSLATION)
            | bit(nmiUnblocking, NMI_UNBLOCKING);
    }

    /** @throws IllegalArgumentException for bits this model does not define, or bit 8 without bit 7 */
    public static EptViolationQualification decode(long bits) {
        Bits.requireDefined("EPT-violation qualification", bits, DEFINED_BITS);
        return new EptViolationQualification(has(bits, READ), has(bits, WRITE), has(bits, FETCH),
            has(bits, READABLE), has(bits, WRITABLE), has(bits, EXECUTABLE), has(bits, USER_EXECUTABLE),
            has(bits, LINEAR_ADDRESS_VALID), has(bits, FINAL_TRANSLATION), has(bits, NMI_UNBLOCKING));
    }
}
