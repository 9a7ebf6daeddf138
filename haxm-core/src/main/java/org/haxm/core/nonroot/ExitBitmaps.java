package org.haxm.core.nonroot;

/**
 * The I/O bitmaps A and B and the MSR bitmap of one VCPU (SDM Vol. 3C §25.6.4, §25.6.9). On
 * hardware they are 4-KiB pages whose addresses the VMCS holds; here they are host arrays and the
 * VMCS holds the synthetic host-physical addresses {@link #IO_BITMAP_A_ADDRESS} and friends.
 */
public final class ExitBitmaps {
    public static final long IO_BITMAP_A_ADDRESS = 0xFEE0_1000L, IO_BITMAP_B_ADDRESS = 0xFEE0_2000L,
        MSR_BITMAP_ADDRESS = 0xFEE0_3000L;

    /** One bit per port 0..0xFFFF (bitmap A = first 4 KiB, bitmap B = second). */
    private final byte[] io = new byte[8192];
    /** Read-low, read-high, write-low, write-high quarters of 1 KiB each. */
    private final byte[] msr = new byte[4096];

    /** Every port exits (HAXM sets both I/O bitmaps to all ones). */
    public void trapAllPorts() { java.util.Arrays.fill(io, (byte) 0xFF); }
    /** Every MSR access exits. */
    public void trapAllMsrs() { java.util.Arrays.fill(msr, (byte) 0xFF); }

    public void setPortExits(int port, boolean exits) { set(io, port, exits); }

    /** Lets RDMSR and WRMSR of {@code index} run without an exit. */
    public void passThroughMsr(int index) {
        int bit = msrBit(index);
        if (bit < 0) throw new IllegalArgumentException("MSR 0x" + Integer.toHexString(index) + " is outside the MSR-bitmap ranges");
        set(msr, bit, false);
        set(msr, bit + 2048 * 8, false);
    }

    /** An access of {@code size} bytes at {@code port} exits if any covered bit is 1; a wrap past
     *  0xFFFF always exits. */
    public boolean ioExits(int port, int size) {
        if (port + size - 1 > 0xFFFF) return true;
        for (int p = port; p < port + size; p++) if (get(io, p)) return true;
        return false;
    }

    /** MSRs outside 0..0x1FFF and 0xC0000000..0xC0001FFF always exit. */
    public boolean msrExits(int index, boolean write) {
        int bit = msrBit(index);
        if (bit < 0) return true;
        return get(msr, write ? bit + 2048 * 8 : bit);
    }

    private static int msrBit(int index) {
        if (index >= 0 && index <= 0x1FFF) return index;
        if (index >= 0xC000_0000 && index <= 0xC000_1FFF) return 1024 * 8 + (index - 0xC000_0000);
        return -1;
    }

    private static boolean get(byte[] map, int bit) { return (map[bit >>> 3] & (1 << (bit & 7))) != 0; }
    private static void set(byte[] map, int bit, boolean v) {
        if (v) map[bit >>> 3] |= (byte) (1 << (bit & 7)); else map[bit >>> 3] &= (byte) ~(1 << (bit & 7));
    }
}
