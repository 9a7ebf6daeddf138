package org.haxm.emulator.mem;

/** Why the CPU touches guest-physical memory; an EPT violation reports it (SDM Vol. 3C §28.2.1, Table 28-7). */
public final class AccessType {
    private AccessType() {}
    public static final int READ = 0;
    public static final int WRITE = 1;
    public static final int EXECUTE = 2;
    /** Read of a guest paging-structure entry during a page walk. */
    public static final int PAGING_READ = 3;
    /** Accessed/dirty-bit update of a guest paging-structure entry. */
    public static final int PAGING_WRITE = 4;
}
