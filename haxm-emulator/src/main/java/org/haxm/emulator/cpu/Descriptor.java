package org.haxm.emulator.cpu;

/**
 * Decoding of 8-byte segment and gate descriptors (SDM Vol. 3A §3.4.5, §5.8.3, §6.11). Static
 * helpers over the raw {@code long}, so reading a descriptor allocates nothing.
 */
public final class Descriptor {
    private Descriptor() {}

    /** System-descriptor and gate types (S = 0), SDM Vol. 3A Table 3-2. */
    public static final int TSS16_AVAILABLE = 1, LDT = 2, TSS16_BUSY = 3, CALL_GATE16 = 4, TASK_GATE = 5,
        INTERRUPT_GATE16 = 6, TRAP_GATE16 = 7, TSS_AVAILABLE = 9, TSS_BUSY = 11, CALL_GATE = 12,
        INTERRUPT_GATE = 14, TRAP_GATE = 15;
    /** Code/data type bits (S = 1). */
    public static final int TYPE_ACCESSED = 1, TYPE_WRITABLE = 2 /* data */, TYPE_READABLE = 2 /* code */,
        TYPE_EXPAND_DOWN = 4 /* data */, TYPE_CONFORMING = 4 /* code */, TYPE_CODE = 8;

    public static long base(long d) {
        return ((d >>> 16) & 0xFF_FFFFL) | (((d >>> 56) & 0xFF) << 24);
    }

    /** Byte-granular limit: the 20-bit limit scaled by G (§3.4.5). */
    public static int limit(long d) {
        int raw = (int) (d & 0xFFFF) | (int) ((d >>> 32) & 0xF_0000);
        return (d & (1L << 55)) != 0 ? (raw << 12) | 0xFFF : raw;
    }

    /** Access rights in VMCS format: type, S, DPL, P in bits 7:0; AVL, L, D/B, G in bits 15:12. */
    public static int accessRights(long d) {
        return (int) ((d >>> 40) & 0xF0FF);
    }

    public static int type(long d) { return (int) (d >>> 40) & 0xF; }
    public static boolean system(long d) { return (d & (1L << 44)) == 0; }
    public static int dpl(long d) { return (int) (d >>> 45) & 3; }
    public static boolean present(long d) { return (d & (1L << 47)) != 0; }
    public static boolean code(long d) { return !system(d) && (type(d) & TYPE_CODE) != 0; }
    public static boolean longMode(long d) { return (d & (1L << 53)) != 0; }
    public static boolean big(long d) { return (d & (1L << 54)) != 0; }

    /** Gate selector (bits 31:16). */
    public static int gateSelector(long d) { return (int) (d >>> 16) & 0xFFFF; }
    /** Gate offset bits 31:0 (bits 15:0 and 63:48 of the low quadword). */
    public static long gateOffset(long d) { return (d & 0xFFFF) | ((d >>> 32) & 0xFFFF_0000L); }
    /** 64-bit IDT gate IST index (bits 34:32). */
    public static int gateIst(long d) { return (int) (d >>> 32) & 7; }
}
