package org.haxm.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.haxm.examples.setup.AddressRange;
import org.haxm.examples.setup.GuestMode;
import org.haxm.examples.setup.GuestModeSetup;

/**
 * The validated options of {@code haxm run} (see {@link RunOptionsParser} for the syntax).
 *
 * @param mode CPU mode to start in
 * @param ramSize bytes of RAM at guest-physical 0 (multiple of 4 KiB)
 * @param loads images to copy into RAM, in command-line order
 * @param entry first instruction's address
 * @param memoryDumps memory ranges to write out after the guest halts
 * @param registerDump where to write the register JSON, if requested
 * @param maxInstructions instruction budget, 0 = unlimited
 */
public record RunOptions(GuestMode mode, long ramSize, List<LoadSpec> loads, long entry,
                         List<MemoryDumpSpec> memoryDumps, Optional<Path> registerDump, long maxInstructions) {

    /** Makes the lists immutable copies. */
    public RunOptions {
        loads = List.copyOf(loads);
        memoryDumps = List.copyOf(memoryDumps);
    }

    /**
     * Checks where the images land once their lengths are known: inside RAM, clear of the
     * mode's reserved region, and not on top of each other.
     *
     * @param imageLengths the length of each image, in the order of {@link #loads()}
     * @throws UsageException naming the offending {@code --load} and the range it collides with
     */
    public void checkImageLayout(long[] imageLengths) throws UsageException {
        if (imageLengths.length != loads.size()) {
            throw new IllegalArgumentException("imageLengths has " + imageLengths.length + " entries, expected " + loads.size());
        }
        AddressRange ram = new AddressRange(0, ramSize);
        Optional<AddressRange> reserved = GuestModeSetup.reservedRegion(mode);
        for (int i = 0; i < loads.size(); i++) {
            LoadSpec load = loads.get(i);
            if (imageLengths[i] == 0) {
                continue; // nothing to copy
            }
            AddressRange image = AddressRange.ofLength(load.address(), imageLengths[i]);
            String name = "--load " + Numbers.hex(load.address()) + "=" + load.file();
            if (!ram.contains(image)) {
                throw new UsageException(name + ": image " + image + " (" + imageLengths[i]
                        + " bytes) does not fit in RAM " + ram);
            }
            if (reserved.isPresent() && image.overlaps(reserved.get())) {
                throw new UsageException(name + ": image " + image + " overlaps " + reserved.get()
                        + ", reserved for the " + mode.cliName() + "-mode GDT and page tables");
            }
            for (int j = 0; j < i; j++) {
                if (imageLengths[j] == 0) {
                    continue;
                }
                AddressRange earlier = AddressRange.ofLength(loads.get(j).address(), imageLengths[j]);
                if (image.overlaps(earlier)) {
                    throw new UsageException(name + ": image " + image + " overlaps the image of --load "
                            + Numbers.hex(loads.get(j).address()) + "=" + loads.get(j).file() + " at " + earlier);
                }
            }
        }
    }
}
