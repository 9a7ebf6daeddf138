package org.haxm.examples.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The workloads the bench can run and where their guest images come from. The bundled one is
 * {@code /workloads/workloads.properties} on the classpath (written by
 * {@code examples/workloads/build.sh}); tests build their own with a small guest.
 *
 * @param workloads the workloads, in the order the bench runs them
 * @param images supplies the flat binary of a workload build
 */
public record WorkloadManifest(List<Workload> workloads, ImageSource images) {

    /** Classpath folder of the bundled workloads. */
    public static final String RESOURCE_DIR = "/workloads/";

    /** Supplies the flat binary of one build of a workload. */
    @FunctionalInterface
    public interface ImageSource {
        /**
         * @return the image, loaded at guest-physical 0x100000
         * @throws UncheckedIOException if it cannot be read
         */
        byte[] image(Workload workload, WorkloadMode mode);
    }

    /** Makes {@code workloads} immutable. */
    public WorkloadManifest {
        workloads = List.copyOf(workloads);
    }

    /** The workload called {@code name}, if any. */
    public Optional<Workload> find(String name) {
        return workloads.stream().filter(w -> w.name().equals(name)).findFirst();
    }

    /** The manifest bundled with the tool ({@value #RESOURCE_DIR} on the classpath). */
    public static WorkloadManifest loadBundled() {
        return load(RESOURCE_DIR);
    }

    /**
     * A manifest on the classpath: {@code <dir>workloads.properties} and the images
     * {@code <dir><name>-<mode>.bin} next to it.
     *
     * @param dir classpath folder, starting and ending with '/'
     * @throws UncheckedIOException if the manifest is missing
     */
    public static WorkloadManifest load(String dir) {
        Properties p = new Properties();
        try (InputStream in = resource(dir, "workloads.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the workload manifest in " + dir, e);
        }
        return new WorkloadManifest(parse(p), (w, mode) -> image(dir, w, mode));
    }

    /**
     * Parses the manifest format (see {@code workloads.properties}): {@code workloads=a,b,...}
     * and per workload {@code .kind}, {@code .checksum} (hex), {@code .modes}.
     *
     * @throws IllegalArgumentException naming the missing or malformed key
     */
    public static List<Workload> parse(Properties p) {
        List<Workload> list = new ArrayList<>();
        for (String name : required(p, "workloads").split(",")) {
            String n = name.trim();
            WorkloadKind kind = WorkloadKind.fromManifestName(required(p, n + ".kind"));
            String sum = required(p, n + ".checksum");
            if (!sum.startsWith("0x")) {
                throw new IllegalArgumentException(n + ".checksum '" + sum + "' must be 0x followed by hex digits");
            }
            int checksum = (int) Long.parseLong(sum.substring(2), 16);
            List<WorkloadMode> modes = new ArrayList<>();
            for (String m : required(p, n + ".modes").split(",")) {
                modes.add(WorkloadMode.fromShortName(m.trim()));
            }
            list.add(new Workload(n, kind, checksum, modes));
        }
        return list;
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("workload manifest: missing " + key);
        }
        return v.trim();
    }

    private static byte[] image(String dir, Workload w, WorkloadMode mode) {
        String file = w.name() + "-" + mode.shortName() + ".bin";
        try (InputStream in = resource(dir, file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read workload image " + dir + file, e);
        }
    }

    private static InputStream resource(String dir, String file) throws IOException {
        InputStream in = WorkloadManifest.class.getResourceAsStream(dir + file);
        if (in == null) {
            throw new IOException("resource " + dir + file + " not found");
        }
        return in;
    }
}
