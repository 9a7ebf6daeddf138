package org.haxm.vmx;

/**
 * The VMCS area a field belongs to, as the SDM groups them (SDM Vol. 3C §25.3-25.9). Finer than
 * {@link FieldType}: control fields split into execution/exit/entry controls and guest fields
 * into register and non-register state.
 */
public enum VmcsGroup {
    /** VM-execution control fields (§25.6). */
    EXECUTION_CONTROL(FieldType.CONTROL, "VM-execution control fields"),
    /** VM-exit control fields (§25.7). */
    EXIT_CONTROL(FieldType.CONTROL, "VM-exit control fields"),
    /** VM-entry control fields (§25.8). */
    ENTRY_CONTROL(FieldType.CONTROL, "VM-entry control fields"),
    /** VM-exit information fields (§25.9). */
    EXIT_INFORMATION(FieldType.EXIT_INFORMATION, "VM-exit information fields"),
    /** Guest register state (§25.4.1). */
    GUEST_REGISTER(FieldType.GUEST_STATE, "Guest-state area: register state"),
    /** Guest non-register state (§25.4.2). */
    GUEST_NON_REGISTER(FieldType.GUEST_STATE, "Guest-state area: non-register state"),
    /** Host-state area (§25.5). */
    HOST(FieldType.HOST_STATE, "Host-state area");

    private final FieldType type;
    private final String title;

    VmcsGroup(FieldType type, String title) {
        this.type = type;
        this.title = title;
    }

    /** The field type every member of this group must have in its encoding. */
    public FieldType type() { return type; }

    /** Heading used by {@link Vmcs#dump()}. */
    public String title() { return title; }
}
