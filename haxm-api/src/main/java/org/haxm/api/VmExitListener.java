package org.haxm.api;

/** Sees every VM exit of a VCPU, including those handled inside the engine. */
@FunctionalInterface
public interface VmExitListener {
    void onExit(VmExitEvent e);
}
