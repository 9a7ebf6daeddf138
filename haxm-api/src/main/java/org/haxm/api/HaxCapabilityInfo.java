package org.haxm.api;

/**
 * {@code struct hax_capabilityinfo} (HAX_IOCTL_CAPABILITY): {@code wstatus} bit 0 = working,
 * bit 1 = memory quota; {@code winfo} = the HAX_CAP_* feature bits; {@code memQuota} in bytes.
 */
public record HaxCapabilityInfo(int wstatus, int winfo, long memQuota) {
    public static final int STATUS_WORKING = 0x1, STATUS_MEMQUOTA = 0x2;
    public static final int CAP_EPT = 0x1, CAP_FASTMMIO = 0x2, CAP_UG = 0x4, CAP_64BIT_RAMBLOCK = 0x8,
        CAP_64BIT_SETRAM = 0x10, CAP_TUNNEL_PAGE = 0x20, CAP_RAM_PROTECTION = 0x40, CAP_DEBUG = 0x80,
        CAP_IMPLICIT_RAMBLOCK = 0x100, CAP_CPUID = 0x200;

    public boolean working() { return (wstatus & STATUS_WORKING) != 0; }
    public boolean has(int cap) { return (winfo & cap) != 0; }
}
