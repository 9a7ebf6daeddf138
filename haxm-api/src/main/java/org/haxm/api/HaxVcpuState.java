package org.haxm.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code vcpu_state_t} (512 bytes): the registers GET_REGS / SET_REGS exchange. As in HAXM, EFER
 * and the SYSENTER MSRs are not part of SET_REGS (use {@link HaxVcpu#setMsr}).
 */
public final class HaxVcpuState {
    public static final int SIZE = 512;
    /** Offsets in the binary layout. */
    public static final int OFF_REGS = 0, OFF_RIP = 128, OFF_RFLAGS = 136, OFF_CS = 144, OFF_SS = 168, OFF_DS = 192,
        OFF_ES = 216, OFF_FS = 240, OFF_GS = 264, OFF_LDT = 288, OFF_TR = 312, OFF_GDT = 336, OFF_IDT = 360,
        OFF_CR0 = 384, OFF_CR2 = 392, OFF_CR3 = 400, OFF_CR4 = 408, OFF_DR0 = 416, OFF_DR6 = 448, OFF_DR7 = 456,
        OFF_EFER = 472, SEGMENT_SIZE = 24;

    /** RAX RCX RDX RBX RSP RBP RSI RDI R8..R15. */
    public final long[] regs = new long[16];
    public long rip, rflags = 2;
    public HaxSegment cs = new HaxSegment(), ss = new HaxSegment(), ds = new HaxSegment(), es = new HaxSegment(),
        fs = new HaxSegment(), gs = new HaxSegment(), ldt = new HaxSegment(), tr = new HaxSegment(),
        gdt = new HaxSegment(), idt = new HaxSegment();
    public long cr0, cr2, cr3, cr4, dr0, dr1, dr2, dr3, dr6 = 0xFFFF0FF0L, dr7 = 0x400;
    /** Informational only (GET_REGS leaves it, SET_REGS ignores it, as in HAXM). */
    public int efer;

    /** Writes the 512-byte {@code vcpu_state_t} image at the buffer's current position. */
    public void writeTo(ByteBuffer b) {
        ByteBuffer o = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (o.remaining() < SIZE) throw new IllegalArgumentException("buffer needs " + SIZE + " bytes, has " + o.remaining());
        for (int i = 0; i < SIZE; i += 8) o.putLong(i, 0);
        for (int i = 0; i < 16; i++) o.putLong(OFF_REGS + 8 * i, regs[i]);
        o.putLong(OFF_RIP, rip);
        o.putLong(OFF_RFLAGS, rflags);
        HaxSegment[] segs = segments();
        for (int i = 0; i < segs.length; i++) putSegment(o, OFF_CS + SEGMENT_SIZE * i, segs[i]);
        o.putLong(OFF_CR0, cr0); o.putLong(OFF_CR2, cr2); o.putLong(OFF_CR3, cr3); o.putLong(OFF_CR4, cr4);
        o.putLong(OFF_DR0, dr0); o.putLong(OFF_DR0 + 8, dr1); o.putLong(OFF_DR0 + 16, dr2); o.putLong(OFF_DR0 + 24, dr3);
        o.putLong(OFF_DR6, dr6); o.putLong(OFF_DR7, dr7);
        o.putInt(OFF_EFER, efer);
    }

    /** Reads a {@code vcpu_state_t} image from the buffer's current position. */
    public static HaxVcpuState readFrom(ByteBuffer b) {
        ByteBuffer o = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (o.remaining() < SIZE) throw new IllegalArgumentException("buffer needs " + SIZE + " bytes, has " + o.remaining());
        HaxVcpuState s = new HaxVcpuState();
        for (int i = 0; i < 16; i++) s.regs[i] = o.getLong(OFF_REGS + 8 * i);
        s.rip = o.getLong(OFF_RIP);
        s.rflags = o.getLong(OFF_RFLAGS);
        HaxSegment[] segs = s.segments();
        for (int i = 0; i < segs.length; i++) getSegment(o, OFF_CS + SEGMENT_SIZE * i, segs[i]);
        s.cr0 = o.getLong(OFF_CR0); s.cr2 = o.getLong(OFF_CR2); s.cr3 = o.getLong(OFF_CR3); s.cr4 = o.getLong(OFF_CR4);
        s.dr0 = o.getLong(OFF_DR0); s.dr1 = o.getLong(OFF_DR0 + 8); s.dr2 = o.getLong(OFF_DR0 + 16); s.dr3 = o.getLong(OFF_DR0 + 24);
        s.dr6 = o.getLong(OFF_DR6); s.dr7 = o.getLong(OFF_DR7);
        s.efer = o.getInt(OFF_EFER);
        return s;
    }

    /** CS, SS, DS, ES, FS, GS, LDT, TR, GDT, IDT: the order of the binary layout. */
    HaxSegment[] segments() { return new HaxSegment[] {cs, ss, ds, es, fs, gs, ldt, tr, gdt, idt}; }

    private static void putSegment(ByteBuffer o, int at, HaxSegment s) {
        o.putShort(at, (short) s.selector);
        o.putInt(at + 4, s.limit);
        o.putLong(at + 8, s.base);
        o.putInt(at + 16, s.ar);
    }

    private static void getSegment(ByteBuffer o, int at, HaxSegment s) {
        s.selector = o.getShort(at) & 0xFFFF;
        s.limit = o.getInt(at + 4);
        s.base = o.getLong(at + 8);
        s.ar = o.getInt(at + 16);
    }
}
