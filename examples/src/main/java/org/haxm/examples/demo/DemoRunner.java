package org.haxm.examples.demo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.haxm.examples.devices.DemoMmioDevice;
import org.haxm.examples.vmm.RunResult;
import org.haxm.examples.vmm.Vmm;

/** Runs one bundled guest in its own VM and checks it against its manifest entry. */
public final class DemoRunner {

    /** RAM every demo guest gets. */
    public static final long DEMO_RAM = 2L << 20;
    /** Instruction budget per guest: the guests need a few thousand; this only stops a runaway. */
    public static final long DEMO_MAX_INSTRUCTIONS = 10_000_000;

    private DemoRunner() {
    }

    /** Runs {@code guest} and reports what happened. */
    public static GuestRunReport run(GuestSpec guest) {
        byte[] image = GuestManifest.binary(guest);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (Vmm vmm = new Vmm(guest.mode(), DEMO_RAM, console)) {
            DemoMmioDevice mmio = null;
            if (guest.mmioBase().isPresent()) {
                mmio = new DemoMmioDevice(guest.mmioBase().getAsLong(), console);
                vmm.mmioBus().register(mmio.base(), DemoMmioDevice.WINDOW_SIZE, mmio);
            }
            vmm.load(guest.load(), image);
            RunResult result = vmm.run(guest.entry(), DEMO_MAX_INSTRUCTIONS);
            byte[] check = vmm.readMemory(guest.checkAddress(), guest.checkSize());
            long actual = 0;
            for (int i = guest.checkSize() - 1; i >= 0; i--) {
                actual = (actual << 8) | (check[i] & 0xFF);
            }
            return new GuestRunReport(guest, console.toString(StandardCharsets.ISO_8859_1), result, actual,
                    vmm.exitStatistics(), vmm.instructionsRetired(), mmio == null ? List.of() : List.copyOf(mmio.counterWrites()));
        }
    }
}
