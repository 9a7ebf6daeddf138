package org.haxm.api;

/** {@code segment_desc_t}: a segment or descriptor-table register, access rights in VMX format (bit 16 = unusable). */
public final class HaxSegment {
    public int selector;
    public long base;
    public int limit;
    public int ar;

    public HaxSegment() {}
    public HaxSegment(int selector, long base, int limit, int ar) {
        this.selector = selector; this.base = base; this.limit = limit; this.ar = ar;
    }
    @Override public String toString() {
        return String.format("sel=0x%04x base=0x%x limit=0x%x ar=0x%x", selector, base, limit & 0xFFFF_FFFFL, ar);
    }
}
