package org.haxm.vmx.qualification;

import static org.haxm.vmx.qualification.Bits.bit;
import static org.haxm.vmx.qualification.Bits.has;

/**
 * Exit qualification of an I/O-instruction exit, basic reason 30 (SDM Vol. 3C §28.2.1,
 * Table 28-5).
 *
 * <p>Layout: bits 2:0 access size − 1 (0 = byte, 1 = word, 3 = dword); bit 3 direction
 * (1 = IN); bit 4 string instruction (INS/OUTS); bit 5 REP prefix; bit 6 operand encoding
 * (1 = immediate port, 0 = DX); bits 31:16 port number; all other bits reserved.
 *
 * @param size      access size in bytes: 1, 2 or 4
 * @param in        true for IN/INS, false for OUT/OUTS
 * @param string    true for INS/OUTS
 * @param rep       true if REP-prefixed
 * @param immediate true if the port came from an immediate operand, false if from DX
 * @param port      I/O port 0..65535
 */
public record IoQualification(int size, boolean in, boolean string, boolean rep, boolean immediate, int port) {

    public static final long SIZE_MASK = 0x7;
    public static final long DIRECTION_IN = 1L << 3;
    public static final long STRING = 1L << 4;
    public static final long REP = 1L << 5;
    public static final long IMMEDIATE = 1L << 6;
    public static final int PORT_SHIFT = 16;
    public static final long DEFINED_BITS = 0xFFFF_007FL;

    /** @throws IllegalArgumentException if size is not 1/2/4 or port is outside 0..65535 */
    public IoQualification {
        requireSize(size);
        Bits.requireRange("port", port, 0, 0xFFFF);
    }

    /** The qualification value. */
    public long encode() { return encode(size, in, string, rep, immediate, port); }

    /**
     * Builds the qualification value without allocating a record (for the I/O exit path).
     *
     * @throws IllegalArgumentException if size is not 1/2/4 or port is outside 0..65535
     */
    public static long encode(int size, boolean in, boolean string, boolean rep, boolean immediate, int port) {
        requireSize(size);
        Bits.requireRange("port", port, 0, 0xFFFF);
        return (size - 1) | bit(in, DIRECTION_IN) | bit(string, STRING) | bit(rep, REP)
            | bit(immediate, IMMEDIATE) | ((long) port << PORT_SHIFT);
    }

    /** @throws IllegalArgumentException for reserved bits or a size code other than 0, 1, 3 */
    public static IoQualification decode(long bits) {
        Bits.requireDefined("I/O qualification", bits, DEFINED_BITS);
        int sizeCode = (int) (bits & SIZE_MASK);
        if (sizeCode != 0 && sizeCode != 1 && sizeCode != 3) {
            throw new IllegalArgumentException("I/O qualification size code (bits 2:0) must be 0, 1 or 3, got "
                + sizeCode);
        }
        return new IoQualification(sizeCode + 1, has(bits, DIRECTION_IN), has(bits, STRING), has(bits, REP),
            has(bits, IMMEDIATE), (int) (bits >>> PORT_SHIFT) & 0xFFFF);
    }

    private static void requireSize(int size) {
        if (size != 1 && size != 2 && size != 4) {
            throw new IllegalArgumentException("size must be 1, 2 or 4 bytes, got " + size);
        }
    }
}
