package org.haxm.api;

/** A creation call hit one of HAXM's limits (8 VMs per system, 16 VCPUs per VM). */
public final class HaxLimitException extends HaxException {
    private static final long serialVersionUID = 1L;
    public HaxLimitException(String message) { super(message); }
}
