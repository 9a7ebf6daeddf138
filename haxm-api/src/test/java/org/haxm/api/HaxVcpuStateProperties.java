package org.haxm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The 512-byte {@code vcpu_state_t} image: round trip and the offsets of haxm-api.md §3.5/§3.6. */
class HaxVcpuStateProperties {

    @Property(tries = 200)
    void writeToThenReadFromGivesBackEveryField(@ForAll long seed, @ForAll @IntRange(min = 0, max = 64) int position) {
        HaxVcpuState s = random(new Random(seed));
        ByteBuffer b = ByteBuffer.allocate(position + HaxVcpuState.SIZE);
        b.position(position);
        s.writeTo(b);
        b.position(position);
        assertSame(s, HaxVcpuState.readFrom(b));
    }

    @Property(tries = 100)
    void fieldsSitAtTheHaxmOffsets(@ForAll long seed) {
        HaxVcpuState s = random(new Random(seed));
        ByteBuffer b = ByteBuffer.allocate(HaxVcpuState.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        s.writeTo(b.duplicate());
        for (int i = 0; i < 16; i++) assertEquals(s.regs[i], b.getLong(8 * i), "regs[" + i + "]");
        assertEquals(s.regs[4], b.getLong(32), "RSP");
        assertEquals(s.regs[15], b.getLong(120), "R15");
        assertEquals(s.rip, b.getLong(128));
        assertEquals(s.rflags, b.getLong(136));
        HaxSegment[] segs = {s.cs, s.ss, s.ds, s.es, s.fs, s.gs, s.ldt, s.tr, s.gdt, s.idt};
        int[] at = {144, 168, 192, 216, 240, 264, 288, 312, 336, 360};
        for (int i = 0; i < segs.length; i++) {
            assertEquals(segs[i].selector, b.getShort(at[i]) & 0xFFFF, "selector @" + at[i]);
            assertEquals(0, b.getShort(at[i] + 2), "_dummy @" + (at[i] + 2));
            assertEquals(segs[i].limit, b.getInt(at[i] + 4), "limit @" + (at[i] + 4));
            assertEquals(segs[i].base, b.getLong(at[i] + 8), "base @" + (at[i] + 8));
            assertEquals(segs[i].ar, b.getInt(at[i] + 16), "ar @" + (at[i] + 16));
            assertEquals(0, b.getInt(at[i] + 20), "ipad @" + (at[i] + 20));
        }
        assertEquals(s.cr0, b.getLong(384));
        assertEquals(s.cr2, b.getLong(392));
        assertEquals(s.cr3, b.getLong(400));
        assertEquals(s.cr4, b.getLong(408));
        assertEquals(s.dr0, b.getLong(416));
        assertEquals(s.dr1, b.getLong(424));
        assertEquals(s.dr2, b.getLong(432));
        assertEquals(s.dr3, b.getLong(440));
        assertEquals(s.dr6, b.getLong(448));
        assertEquals(s.dr7, b.getLong(456));
        assertEquals(0, b.getLong(464), "_pde unused");
        assertEquals(s.efer, b.getInt(472));
        for (int off = 476; off < 512; off += 4) assertEquals(0, b.getInt(off), "unused tail @" + off);
    }

    @Property(tries = 20)
    void tooSmallBuffersAreRejected(@ForAll @IntRange(min = 0, max = 511) int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        assertThrows(IllegalArgumentException.class, () -> new HaxVcpuState().writeTo(b));
        assertThrows(IllegalArgumentException.class, () -> HaxVcpuState.readFrom(b));
    }

    static HaxVcpuState random(Random r) {
        HaxVcpuState s = new HaxVcpuState();
        for (int i = 0; i < 16; i++) s.regs[i] = r.nextLong();
        s.rip = r.nextLong(); s.rflags = r.nextLong();
        for (HaxSegment g : new HaxSegment[] {s.cs, s.ss, s.ds, s.es, s.fs, s.gs, s.ldt, s.tr, s.gdt, s.idt}) {
            g.selector = r.nextInt(0x10000); g.base = r.nextLong(); g.limit = r.nextInt(); g.ar = r.nextInt();
        }
        s.cr0 = r.nextLong(); s.cr2 = r.nextLong(); s.cr3 = r.nextLong(); s.cr4 = r.nextLong();
        s.dr0 = r.nextLong(); s.dr1 = r.nextLong(); s.dr2 = r.nextLong(); s.dr3 = r.nextLong();
        s.dr6 = r.nextLong(); s.dr7 = r.nextLong();
        s.efer = r.nextInt();
        return s;
    }

    static void assertSame(HaxVcpuState a, HaxVcpuState b) {
        assertEquals(java.util.Arrays.toString(a.regs), java.util.Arrays.toString(b.regs));
        assertEquals(a.rip, b.rip); assertEquals(a.rflags, b.rflags);
        HaxSegment[] x = {a.cs, a.ss, a.ds, a.es, a.fs, a.gs, a.ldt, a.tr, a.gdt, a.idt};
        HaxSegment[] y = {b.cs, b.ss, b.ds, b.es, b.fs, b.gs, b.ldt, b.tr, b.gdt, b.idt};
        for (int i = 0; i < x.length; i++) assertEquals(x[i].toString(), y[i].toString(), "segment " + i);
        assertEquals(a.cr0, b.cr0); assertEquals(a.cr2, b.cr2); assertEquals(a.cr3, b.cr3); assertEquals(a.cr4, b.cr4);
        assertEquals(a.dr0, b.dr0); assertEquals(a.dr1, b.dr1); assertEquals(a.dr2, b.dr2); assertEquals(a.dr3, b.dr3);
        assertEquals(a.dr6, b.dr6); assertEquals(a.dr7, b.dr7);
        assertEquals(a.efer, b.efer);
    }
}
