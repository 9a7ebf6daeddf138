package org.haxm.core.transition;

import org.haxm.emulator.cpu.Segment;
import org.haxm.vmx.VmcsField;

/**
 * The four VMCS guest-state fields of each segment register (SDM Vol. 3C §25.4.1): selector,
 * base, limit and access rights, indexed by {@link Segment}.
 */
public record GuestSegmentFields(VmcsField selector, VmcsField base, VmcsField limit, VmcsField accessRights) {
    private static final GuestSegmentFields[] TABLE = {
        new GuestSegmentFields(VmcsField.GUEST_ES_SELECTOR, VmcsField.GUEST_ES_BASE, VmcsField.GUEST_ES_LIMIT, VmcsField.GUEST_ES_ACCESS_RIGHTS),
        new GuestSegmentFields(VmcsField.GUEST_CS_SELECTOR, VmcsField.GUEST_CS_BASE, VmcsField.GUEST_CS_LIMIT, VmcsField.GUEST_CS_ACCESS_RIGHTS),
        new GuestSegmentFields(VmcsField.GUEST_SS_SELECTOR, VmcsField.GUEST_SS_BASE, VmcsField.GUEST_SS_LIMIT, VmcsField.GUEST_SS_ACCESS_RIGHTS),
        new GuestSegmentFields(VmcsField.GUEST_DS_SELECTOR, VmcsField.GUEST_DS_BASE, VmcsField.GUEST_DS_LIMIT, VmcsField.GUEST_DS_ACCESS_RIGHTS),
        new GuestSegmentFields(VmcsField.GUEST_FS_SELECTOR, VmcsField.GUEST_FS_BASE, VmcsField.GUEST_FS_LIMIT, VmcsField.GUEST_FS_ACCESS_RIGHTS),
        new GuestSegmentFields(VmcsField.GUEST_GS_SELECTOR, VmcsField.GUEST_GS_BASE, VmcsField.GUEST_GS_LIMIT, VmcsField.GUEST_GS_ACCESS_RIGHTS),
        new GuestSegmentFields(VmcsField.GUEST_LDTR_SELECTOR, VmcsField.GUEST_LDTR_BASE, VmcsField.GUEST_LDTR_LIMIT, VmcsField.GUEST_LDTR_ACCESS_RIGHTS),
        new GuestSegmentFields(VmcsField.GUEST_TR_SELECTOR, VmcsField.GUEST_TR_BASE, VmcsField.GUEST_TR_LIMIT, VmcsField.GUEST_TR_ACCESS_RIGHTS),
    };

    /** The fields of segment register {@code s}. */
    public static GuestSegmentFields of(Segment s) { return TABLE[s.ordinal()]; }
}
