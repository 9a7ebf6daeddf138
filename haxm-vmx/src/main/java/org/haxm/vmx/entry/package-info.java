/**
 * The checks a processor performs on VM entry before it loads guest state (SDM Vol. 3C §27.2
 * "Checks on VMX Controls and Host-State Area" and §27.3.1 "Checks on the Guest State Area";
 * §26.2/§26.3.1 in older editions).
 *
 * <p>Each rule is one enum constant ({@link org.haxm.vmx.entry.ControlRule},
 * {@link org.haxm.vmx.entry.GuestStateRule}) carrying its SDM citation, a sentence stating the
 * rule, and a small check method; {@link org.haxm.vmx.entry.VmEntryChecks} evaluates them in
 * SDM order and reports the first one violated. Host-state checks (§27.2.2-27.2.4) are not
 * modelled: in this engine the "host" is the Java VMM itself.
 */
package org.haxm.vmx.entry;
