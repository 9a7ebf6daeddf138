/**
 * Guest-physical memory of one virtual machine and the extended page tables (EPT) that translate it.
 *
 * <p>The layering follows Intel HAXM's memory model (host "RAM blocks" registered by user space,
 * "memory slots" mapping guest-physical ranges onto them, and a 4-level EPT generated from the
 * slots) and the architecture of EPT described in the Intel SDM, Vol. 3C, Chapter 29.3:
 *
 * <ul>
 *   <li>{@link org.haxm.ept.RamBlock}: host memory backing guest RAM, split into 2-MiB chunks;</li>
 *   <li>{@link org.haxm.ept.GuestPhysicalMemory}: the registry of blocks and the guest-physical
 *       memory map, changed with HAXM {@code SET_RAM2} semantics and published as an immutable
 *       snapshot so VCPU threads never lock;</li>
 *   <li>{@link org.haxm.ept.EptPageTables}: the EPT paging structures generated from that map, and
 *       {@link org.haxm.ept.EptWalker}, the allocation-free walk that yields a translation, an EPT
 *       violation (with its exit qualification) or an EPT misconfiguration;</li>
 *   <li>{@link org.haxm.ept.EptEntry} and {@link org.haxm.ept.Eptp}: the bit layouts of EPT entries
 *       and of the EPT pointer.</li>
 * </ul>
 *
 * <p>Addresses: guest-physical addresses are limited to {@link org.haxm.ept.GuestPhysicalMemory#MAX_PHYS_ADDR_BITS}
 * = 39 bits (512 GiB); the synthetic host-physical addresses that EPT entries hold are limited to
 * {@link org.haxm.ept.EptEntry#HOST_PHYS_ADDR_BITS} = 46 bits, the value of a typical server CPU.
 */
package org.haxm.ept;
