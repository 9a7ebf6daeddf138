package org.haxm.examples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import org.haxm.examples.cli.Numbers;
import org.haxm.examples.cli.UsageException;
import org.haxm.examples.setup.GuestMode;

/**
 * Reads the bundled guests' manifest ({@code /guests/guests.properties} on the class path) and
 * their binaries. The manifest lists the guests in {@code guests=a,b,...} and describes each with
 * {@code <name>.mode/.load/.entry/.output/.check.address/.check.size/.check.value}, optionally
 * {@code .exit} and {@code .mmio.base}.
 */
public final class GuestManifest {

    /** Class-path folder of the guests. */
    public static final String RESOURCE_DIR = "/guests/";

    private GuestManifest() {
    }

    /** Loads the bundled manifest. */
    public static List<GuestSpec> loadBundled() {
        try (InputStream in = GuestManifest.class.getResourceAsStream(RESOURCE_DIR + "guests.properties")) {
            if (in == null) {
                throw new IllegalStateException("bundled guest manifest " + RESOURCE_DIR + "guests.properties is missing");
            }
            Properties p = new Properties();
            p.load(in);
            return parse(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the guest manifest", e);
        }
    }

    /** Reads a bundled guest binary. */
    public static byte[] binary(GuestSpec guest) {
        String path = RESOURCE_DIR + guest.name() + ".bin";
        try (InputStream in = GuestManifest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("bundled guest binary " + path + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /**
     * Interprets manifest properties.
     *
     * @throws IllegalArgumentException naming the missing or malformed key
     */
    public static List<GuestSpec> parse(Properties p) {
        String list = required(p, "guests");
        List<GuestSpec> guests = new ArrayList<>();
        for (String raw : list.split(",")) {
            String name = raw.trim();
            if (!name.isEmpty()) {
                guests.add(guest(p, name));
            }
        }
        return guests;
    }

    private static GuestSpec guest(Properties p, String n) {
        GuestMode mode = GuestMode.fromCliName(required(p, n + ".mode"));
        int checkSize = (int) number(p, n + ".check.size");
        if (checkSize < 1 || checkSize > 8) {
            throw new IllegalArgumentException(n + ".check.size " + checkSize + " must be 1..8");
        }
        OptionalInt exit = p.containsKey(n + ".exit") ? OptionalInt.of((int) number(p, n + ".exit")) : OptionalInt.empty();
        OptionalLong mmio = p.containsKey(n + ".mmio.base") ? OptionalLong.of(number(p, n + ".mmio.base")) : OptionalLong.empty();
        return new GuestSpec(n, mode, number(p, n + ".load"), number(p, n + ".entry"), required(p, n + ".output"),
                number(p, n + ".check.address"), checkSize, number(p, n + ".check.value"), exit, mmio,
                p.getProperty(n + ".description", ""));
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("guest manifest lacks key '" + key + "'");
        }
        return v;
    }

    private static long number(Properties p, String key) {
        try {
            return Numbers.parse(key, required(p, key));
        } catch (UsageException e) {
            throw new IllegalArgumentException("guest manifest: " + e.getMessage(), e);
        }
    }
}
