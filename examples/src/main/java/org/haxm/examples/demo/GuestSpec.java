package org.haxm.examples.demo;

import java.util.OptionalInt;
import java.util.OptionalLong;
import org.haxm.examples.setup.GuestMode;

/**
 * One bundled demo guest as described by {@code guests/guests.properties}.
 *
 * @param name the guest's name; its binary is {@code guests/<name>.bin}
 * @param mode the mode it runs in
 * @param load guest-physical load address
 * @param entry first instruction
 * @param expectedOutput exact console output
 * @param checkAddress where the host reads after the run
 * @param checkSize width of that read in bytes (1..8, little-endian)
 * @param checkValue the value expected there
 * @param expectedExitStatus the isa-debug-exit status the guest ends with, if it uses the device (else it halts)
 * @param mmioBase base of the demo MMIO window the guest uses, if any
 * @param description one line for humans
 */
public record GuestSpec(String name, GuestMode mode, long load, long entry, String expectedOutput,
                        long checkAddress, int checkSize, long checkValue, OptionalInt expectedExitStatus,
                        OptionalLong mmioBase, String description) {
}
