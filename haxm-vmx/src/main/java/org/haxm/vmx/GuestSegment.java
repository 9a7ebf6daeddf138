package org.haxm.vmx;

/**
 * The eight guest segment registers of the guest-state area (SDM Vol. 3C §25.4.1), each with
 * its four VMCS fields: selector, base, limit and access rights. Lets code loop over segments
 * instead of naming 32 fields.
 */
public enum GuestSegment {
    ES(VmcsField.GUEST_ES_SELECTOR, VmcsField.GUEST_ES_BASE, VmcsField.GUEST_ES_LIMIT, VmcsField.GUEST_ES_ACCESS_RIGHTS),
    CS(VmcsField.GUEST_CS_SELECTOR, VmcsField.GUEST_CS_BASE, VmcsField.GUEST_CS_LIMIT, VmcsField.GUEST_CS_ACCESS_RIGHTS),
    SS(VmcsField.GUEST_SS_SELECTOR, VmcsField.GUEST_SS_BASE, VmcsField.GUEST_SS_LIMIT, VmcsField.GUEST_SS_ACCESS_RIGHTS),
    DS(VmcsField.GUEST_DS_SELECTOR, VmcsField.GUEST_DS_BASE, VmcsField.GUEST_DS_LIMIT, VmcsField.GUEST_DS_ACCESS_RIGHTS),
    FS(VmcsField.GUEST_FS_SELECTOR, VmcsField.GUEST_FS_BASE, VmcsField.GUEST_FS_LIMIT, VmcsField.GUEST_FS_ACCESS_RIGHTS),
    GS(VmcsField.GUEST_GS_SELECTOR, VmcsField.GUEST_GS_BASE, VmcsField.GUEST_GS_LIMIT, VmcsField.GUEST_GS_ACCESS_RIGHTS),
    LDTR(VmcsField.GUEST_LDTR_SELECTOR, VmcsField.GUEST_LDTR_BASE, VmcsField.GUEST_LDTR_LIMIT, VmcsField.GUEST_LDTR_ACCESS_RIGHTS),
    TR(VmcsField.GUEST_TR_SELECTOR, VmcsField.GUEST_TR_BASE, VmcsField.GUEST_TR_LIMIT, VmcsField.GUEST_TR_ACCESS_RIGHTS);

    private final VmcsField selector;
    private final VmcsField base;
    private final VmcsField limit;
    private final VmcsField accessRights;

    GuestSegment(VmcsField selector, VmcsField base, VmcsField limit, VmcsField accessRights) {
        this.selector = selector;
        this.base = base;
        this.limit = limit;
        this.accessRights = accessRights;
    }

    /** 16-bit selector field. */
    public VmcsField selector() { return selector; }

    /** Natural-width base field. */
    public VmcsField base() { return base; }

    /** 32-bit limit field (byte granular, already scaled by G). */
    public VmcsField limit() { return limit; }

    /** 32-bit access-rights field, format of {@link SegmentAccessRights}. */
    public VmcsField accessRights() { return accessRights; }

    /** True for the data/stack segments whose checks apply only when usable (SS, DS, ES, FS, GS). */
    public boolean isDataSegment() { return this == ES || this == SS || this == DS || this == FS || this == GS; }
}
