package org.haxm.ept;

/**
 * The kinds of guest-physical access an EPT walk is asked to authorise, and what each one needs.
 *
 * <p>SDM Vol. 3C §29.3.3.2: a data read needs R, a data write needs W, an instruction fetch needs
 * X. Accesses to the guest's own paging structures are data reads (walk) or data writes (A/D
 * updates); when EPT A/D flags are enabled every guest paging-structure access counts as a write,
 * and such a violation reports both the read and the write bit (SDM §28.3.3.2, Table 28-7), which
 * is what {@link #PAGING_STRUCTURE_WRITE} models.
 */
public final class EptAccess {

    /** A data read. */
    public static final int READ = 0;
    /** A data write (also a read-modify-write). */
    public static final int WRITE = 1;
    /** An instruction fetch. */
    public static final int EXECUTE = 2;
    /** A read of a guest paging-structure entry during the guest's own page walk. */
    public static final int PAGING_STRUCTURE_READ = 3;
    /** A guest paging-structure access treated as a write (A/D update, or any access with EPT A/D on). */
    public static final int PAGING_STRUCTURE_WRITE = 4;

    /** Index = access; value = EPT permission bit(s) the access needs. */
    private static final int[] REQUIRED_PERMISSION = {
        (int) EptEntry.READ, (int) EptEntry.WRITE, (int) EptEntry.EXECUTE, (int) EptEntry.READ, (int) EptEntry.WRITE,
    };

    /** Index = access; value = exit-qualification bits 2:0 (bit 0 read, bit 1 write, bit 2 fetch). */
    private static final int[] QUALIFICATION_ACCESS_BITS = {0b001, 0b010, 0b100, 0b001, 0b011};

    private static final String[] NAMES = {"read", "write", "execute", "paging-structure read", "paging-structure write"};

    private EptAccess() {
    }

    /** @return whether {@code access} is one of the constants of this class */
    public static boolean isValid(int access) {
        return access >= READ && access <= PAGING_STRUCTURE_WRITE;
    }

    /**
     * @throws IllegalArgumentException when {@code access} is not one of the constants (a caller bug, never guest input)
     */
    public static void check(int access) {
        if (!isValid(access)) {
            throw new IllegalArgumentException("access must be 0..4 (EptAccess.READ..PAGING_STRUCTURE_WRITE), was " + access);
        }
    }

    /** @return the EPT permission bit(s) (R=1, W=2, X=4) that {@code access} needs */
    public static int requiredPermission(int access) {
        return REQUIRED_PERMISSION[access];
    }

    /** @return exit-qualification bits 2:0 reported for a violation caused by {@code access} */
    public static int qualificationAccessBits(int access) {
        return QUALIFICATION_ACCESS_BITS[access];
    }

    /** @return a readable name, e.g. "write" */
    public static String name(int access) {
        return isValid(access) ? NAMES[access] : "access " + access;
    }
}
