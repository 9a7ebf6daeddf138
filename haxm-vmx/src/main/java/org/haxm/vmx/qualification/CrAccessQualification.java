package org.haxm.vmx.qualification;

import static org.haxm.vmx.qualification.Bits.bit;
import static org.haxm.vmx.qualification.Bits.has;

/**
 * Exit qualification of a control-register-access exit, basic reason 28 (SDM Vol. 3C §28.2.1,
 * Table 28-3).
 *
 * <p>Layout: bits 3:0 CR number (0 for CLTS and LMSW); bits 5:4 access type; bit 6 LMSW operand
 * type (1 = memory); bits 11:8 general-purpose register of MOV CR (0 RAX ... 15 R15, 0 for
 * CLTS/LMSW); bits 31:16 LMSW source data (0 otherwise); bits 7, 15:12, 63:32 reserved.
 *
 * @param cr          control register: 0, 3, 4 or 8 for MOV CR; 0 for CLTS and LMSW
 * @param accessType  what the guest did
 * @param lmswMemory  LMSW with a memory operand (only for {@link AccessType#LMSW})
 * @param gpr         register operand of MOV CR, 0..15 (0 for CLTS and LMSW)
 * @param lmswSource  the 16-bit LMSW source (0 for other access types)
 */
public record CrAccessQualification(int cr, AccessType accessType, boolean lmswMemory, int gpr, int lmswSource) {

    /** Access type, bits 5:4; constants in encoding order. */
    public enum AccessType {
        /** MOV to CR (code 0). */
        MOV_TO_CR,
        /** MOV from CR (code 1). */
        MOV_FROM_CR,
        /** CLTS (code 2). */
        CLTS,
        /** LMSW (code 3). */
        LMSW;

        /** The 2-bit code in bits 5:4. */
        public int code() { return ordinal(); }
    }

    public static final long CR_MASK = 0xF;
    public static final int ACCESS_TYPE_SHIFT = 4;
    public static final long LMSW_MEMORY = 1L << 6;
    public static final int GPR_SHIFT = 8;
    public static final int LMSW_SOURCE_SHIFT = 16;
    public static final long DEFINED_BITS = 0xFFFF_0F7FL;

    /** @throws IllegalArgumentException naming the first component that breaks the SDM rules above */
    public CrAccessQualification {
        if (accessType == null) {
            throw new IllegalArgumentException("accessType must not be null");
        }
        Bits.requireRange("gpr", gpr, 0, 15);
        Bits.requireRange("lmswSource", lmswSource, 0, 0xFFFF);
        boolean mov = accessType == AccessType.MOV_TO_CR || accessType == AccessType.MOV_FROM_CR;
        if (mov && cr != 0 && cr != 3 && cr != 4 && cr != 8) {
            throw new IllegalArgumentException("cr must be 0, 3, 4 or 8 for MOV CR, got " + cr);
        }
        if (!mov && (cr != 0 || gpr != 0)) {
            throw new IllegalArgumentException("cr and gpr must be 0 for " + accessType + ", got cr=" + cr + " gpr=" + gpr);
        }
        if (accessType != AccessType.LMSW && (lmswMemory || lmswSource != 0)) {
            throw new IllegalArgumentException("lmswMemory and lmswSource must be false/0 for " + accessType);
        }
    }

    /** MOV to CRn from register {@code gpr}. */
    public static CrAccessQualification movToCr(int cr, int gpr) {
        return new CrAccessQualification(cr, AccessType.MOV_TO_CR, false, gpr, 0);
    }

    /** MOV from CRn into register {@code gpr}. */
    public static CrAccessQualification movFromCr(int cr, int gpr) {
        return new CrAccessQualification(cr, AccessType.MOV_FROM_CR, false, gpr, 0);
    }

    /** CLTS. */
    public static CrAccessQualification clts() {
        return new CrAccessQualification(0, AccessType.CLTS, false, 0, 0);
    }

    /** LMSW with the given 16-bit source, from memory or a register. */
    public static CrAccessQualification lmsw(int source, boolean memoryOperand) {
        return new CrAccessQualification(0, AccessType.LMSW, memoryOperand, 0, source);
    }

    /** The qualification value. */
    public long encode() {
        return cr | ((long) accessType.code() << ACCESS_TYPE_SHIFT) | bit(lmswMemory, LMSW_MEMORY)
            | ((long) gpr << GPR_SHIFT) | ((long) lmswSource << LMSW_SOURCE_SHIFT);
    }

    /** @throws IllegalArgumentException for reserved bits or an inconsistent combination */
    public static CrAccessQualification decode(long bits) {
        Bits.requireDefined("CR-access qualification", bits, DEFINED_BITS);
        AccessType type = AccessType.values()[(int) (bits >>> ACCESS_TYPE_SHIFT) & 3];
        return new CrAccessQualification((int) (bits & CR_MASK), type, has(bits, LMSW_MEMORY),
            (int) (bits >>> GPR_SHIFT) & 0xF, (int) (bits >>> LMSW_SOURCE_SHIFT) & 0xFFFF);
    }
}
