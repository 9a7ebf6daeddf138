package org.haxm.examples.setup;

/**
 * Host-side write access to guest-physical memory, the only thing mode setup needs from a VM.
 * The VMM adapts {@code HaxVm.writeMemory}; tests use a plain byte array.
 */
@FunctionalInterface
public interface GuestMemory {

    /** Copies {@code len} bytes of {@code data} from {@code off} to guest-physical {@code gpa}. */
    void write(long gpa, byte[] data, int off, int len);
}
