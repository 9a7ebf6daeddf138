package org.haxm.emulator.cpu;

/**
 * A segment register with its hidden part, kept in the VMCS guest-state format (SDM Vol. 3C
 * §25.4.1): selector, base, limit (byte-granular, already scaled by G) and access rights, whose
 * bit 16 is the "segment unusable" flag.
 */
public final class SegmentRegister {
    /** Access-rights bits (SDM Vol. 3C Table 25-2). */
    public static final int AR_TYPE_MASK = 0xF, AR_S = 1 << 4, AR_DPL_SHIFT = 5, AR_P = 1 << 7,
        AR_AVL = 1 << 12, AR_L = 1 << 13, AR_DB = 1 << 14, AR_G = 1 << 15, AR_UNUSABLE = 1 << 16;

    public int selector;
    public long base;
    /** Effective limit in bytes (0..0xFFFFFFFF as an unsigned int). */
    public int limit;
    public int accessRights;

    public void set(int selector, long base, int limit, int accessRights) {
        this.selector = selector & 0xFFFF;
        this.base = base;
        this.limit = limit;
        this.accessRights = accessRights;
    }

    public void copyFrom(SegmentRegister o) { set(o.selector, o.base, o.limit, o.accessRights); }

    public int type() { return accessRights & AR_TYPE_MASK; }
    public int dpl() { return (accessRights >> AR_DPL_SHIFT) & 3; }
    public boolean present() { return (accessRights & AR_P) != 0; }
    public boolean unusable() { return (accessRights & AR_UNUSABLE) != 0; }
    /** CS.L: 64-bit code segment. */
    public boolean longMode() { return (accessRights & AR_L) != 0; }
    /** D/B: 32-bit default operand size (code) or 32-bit stack pointer (SS). */
    public boolean big() { return (accessRights & AR_DB) != 0; }
    public long limitUnsigned() { return limit & 0xFFFF_FFFFL; }

    @Override public String toString() {
        return String.format("sel=%04x base=%x limit=%x ar=%x", selector, base, limitUnsigned(), accessRights);
    }
}
