/**
 * The VMX architecture as data: VMCS fields and their encodings ({@link org.haxm.vmx.VmcsField}),
 * the VMCS region ({@link org.haxm.vmx.Vmcs}), exit reasons, VM-instruction errors and the
 * capability MSRs of this software CPU ({@link org.haxm.vmx.VmxCapabilities}).
 *
 * <p>Section numbers cite the Intel SDM Vol. 3C editions in which chapter 25 is "Virtual Machine
 * Control Structures", 27 "VM Entries", 28 "VM Exits" and 31 "VMX Instruction Reference"
 * (older editions number these chapters 24, 26, 27 and 30).
 */
package org.haxm.vmx;
