package org.haxm.vmx.qualification;

/** Argument checks shared by the codecs; messages name the argument and its limit. */
final class Bits {
    private Bits() {}

    static int requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    static void requireDefined(String what, long bits, long definedMask) {
        long stray = bits & ~definedMask;
        if (stray != 0) {
            throw new IllegalArgumentException(what + " 0x" + Long.toHexString(bits)
                + " sets reserved bits 0x" + Long.toHexString(stray));
        }
    }

    static long bit(boolean set, long mask) { return set ? mask : 0; }

    static boolean has(long bits, long mask) { return (bits & mask) != 0; }
}
