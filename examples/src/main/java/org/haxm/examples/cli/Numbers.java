package org.haxm.examples.cli;

/** Parsing of the numbers the command line accepts: {@code 0x} hex or decimal, and sizes with K/M/G. */
public final class Numbers {

    private Numbers() {
    }

    /**
     * Parses a non-negative number written as {@code 0x...} (hex) or decimal.
     *
     * @param what the option or field, for the error message
     * @throws UsageException if the text is not such a number or exceeds 63 bits
     */
    public static long parse(String what, String text) throws UsageException {
        if (text == null || text.isEmpty()) {
            throw new UsageException(what + ": missing number");
        }
        String t = text.trim();
        try {
            long v;
            if (t.startsWith("0x") || t.startsWith("0X")) {
                String digits = t.substring(2);
                if (digits.isEmpty() || digits.length() > 16) {
                    throw new NumberFormatException();
                }
                v = Long.parseUnsignedLong(digits, 16);
            } else {
                if (!t.chars().allMatch(Character::isDigit)) {
                    throw new NumberFormatException();
                }
                v = Long.parseLong(t);
            }
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(what + ": '" + text + "' is not a number (use decimal or 0x hex, at most 2^63-1)");
        }
    }

    /**
     * Parses a byte size: a number (as in {@link #parse}) optionally followed by K, M or G
     * (binary multiples, case-insensitive), e.g. {@code 2M}, {@code 0x200000}, {@code 64k}.
     */
    public static long parseSize(String what, String text) throws UsageException {
        if (text == null || text.isEmpty()) {
            throw new UsageException(what + ": missing size");
        }
        String t = text.trim();
        int shift = 0;
        char last = Character.toUpperCase(t.charAt(t.length() - 1));
        // K, M and G are not hex digits, so a suffix is unambiguous after 0x numbers too.
        if (last == 'K' || last == 'M' || last == 'G') {
            shift = last == 'K' ? 10 : last == 'M' ? 20 : 30;
            t = t.substring(0, t.length() - 1);
        }
        long base = parse(what, t);
        if (base > (Long.MAX_VALUE >> shift)) {
            throw new UsageException(what + ": '" + text + "' is too large");
        }
        return base << shift;
    }

    /** Formats as lower-case hex with a {@code 0x} prefix. */
    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
