package org.haxm.vmx.qualification;

/**
 * Exit qualification of a MOV-DR exit, basic reason 29 (SDM Vol. 3C §28.2.1, Table 28-4).
 *
 * <p>Layout: bits 2:0 debug register; bit 4 direction (0 = MOV to DR, 1 = MOV from DR);
 * bits 11:8 general-purpose register; bits 3, 7:5 and 63:12 reserved.
 *
 * @param dr        debug register number 0..7
 * @param direction MOV to or from the debug register
 * @param gpr       general-purpose register 0..15 (0 RAX ... 15 R15)
 */
public record DrAccessQualification(int dr, Direction direction, int gpr) {

    /** Direction, bit 4; constants in encoding order. */
    public enum Direction { MOV_TO_DR, MOV_FROM_DR }

    public static final long DR_MASK = 0x7;
    public static final long DIRECTION_FROM_DR = 1L << 4;
    public static final int GPR_SHIFT = 8;
    public static final long DEFINED_BITS = 0xF17L;

    /** @throws IllegalArgumentException if dr is outside 0..7 or gpr outside 0..15 */
    public DrAccessQualification {
        Bits.requireRange("dr", dr, 0, 7);
        Bits.requireRange("gpr", gpr, 0, 15);
        if (direction == null) {
            throw new IllegalArgumentException("direction must not be null");
        }
    }

    /** The qualification value. */
    public long encode() {
        return dr | (direction == Direction.MOV_FROM_DR ? DIRECTION_FROM_DR : 0) | ((long) gpr << GPR_SHIFT);
    }

    /** @throws IllegalArgumentException for reserved bits */
    public static DrAccessQualification decode(long bits) {
        Bits.requireDefined("MOV-DR qualification", bits, DEFINED_BITS);
        return new DrAccessQualification((int) (bits & DR_MASK),
            Bits.has(bits, DIRECTION_FROM_DR) ? Direction.MOV_FROM_DR : Direction.MOV_TO_DR,
            (int) (bits >>> GPR_SHIFT) & 0xF);
    }
}
