package org.haxm.api;

import java.nio.ByteBuffer;

import org.haxm.core.tunnel.Tunnel;

/**
 * The VCPU's tunnel (HAX_VCPU_IOCTL_SETUP_TUNNEL): the {@code hax_tunnel} page the engine fills
 * on every return from {@link HaxVcpu#run()}, and the I/O buffer. Accessors read the same bytes
 * a HAXM client would.
 */
public final class HaxTunnel {
    private final Tunnel tunnel;
    HaxTunnel(Tunnel tunnel) { this.tunnel = tunnel; }

    /** Basic VMX exit reason of the last exit. */
    public int exitReason() { return tunnel.exitReason(); }
    /** The last exit status, or null before the first run. */
    public HaxExitStatus exitStatus() { return HaxExitStatus.of(tunnel.exitStatus()); }
    public boolean readyForInterruptInjection() { return tunnel.readyForInterruptInjection(); }
    /** Ask for an exit (INTERRUPT) as soon as the guest can take an interrupt. */
    public void setRequestInterruptWindow(boolean on) { tunnel.setRequestInterruptWindow(on); }
    /** Makes the next resumable exit return INTERRUPT (bit 0 of user_event_pending). */
    public void setUserEventPending() { tunnel.setUserEventPending(); }
    public long apicBase() { return tunnel.apicBase(); }

    /** IO: 0 = OUT, 1 = IN. */
    public int ioDirection() { return tunnel.ioDirection(); }
    /** IO: string I/O with RFLAGS.DF = 1 (the buffer still holds elements in ascending addresses). */
    public boolean ioDf() { return tunnel.ioDf(); }
    /** IO: element size 1, 2 or 4. */
    public int ioSize() { return tunnel.ioSize(); }
    public int ioPort() { return tunnel.ioPort(); }
    /** IO: number of elements in the I/O buffer. */
    public int ioCount() { return tunnel.ioCount(); }
    /** IO: INS/OUTS. */
    public boolean ioString() { return tunnel.ioString(); }
    /** IO: lowest guest-linear address of a string transfer. */
    public long ioVaddr() { return tunnel.ioVaddr(); }
    /** The I/O buffer, little-endian: OUT data, or where the caller puts IN data before the next run. */
    public ByteBuffer ioBuffer() { return tunnel.ioBuffer(); }

    /** FAST_MMIO: guest-physical address. */
    public long mmioGpa() { return tunnel.mmioGpa(); }
    /** FAST_MMIO: access size 1, 2, 4 or 8. */
    public int mmioSize() { return tunnel.mmioSize(); }
    /** FAST_MMIO: 0 = read (the caller supplies the value), 1 = write. */
    public int mmioDirection() { return tunnel.mmioDirection(); }
    /** FAST_MMIO: the value written. */
    public long mmioValue() { return tunnel.mmioValue(); }
    /** FAST_MMIO read: the value the guest reads, set before the next run. */
    public void setMmioValue(long v) { tunnel.setMmioValue(v); }

    /** The raw {@code hax_tunnel} page (4 KiB). */
    public ByteBuffer rawTunnel() { return tunnel.page(); }
}
