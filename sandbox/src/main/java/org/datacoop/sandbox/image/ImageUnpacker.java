package org.datacoop.sandbox.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.datacoop.sandbox.SandboxArea;
import org.datacoop.sandbox.SandboxException;
import org.datacoop.sandbox.SandboxException.Reason;
import org.datacoop.sandbox.Trees;

/**
 * Unpacks an image tarball, as {@code docker save} or {@code podman save} write it (docker-archive)
 * or as an OCI archive, into a root file system the sandbox runs. The image is first copied into an
 * OCI layout by {@code skopeo}, then unpacked by {@code umoci} (both Debian packages): they apply
 * layers, whiteouts and permissions as a container runtime does, which no Java library does. The
 * entrypoint, cmd, env, working dir and labels are read from the image's own config in that
 * layout. Images are kept by their pinned digest; unpacking the same one again is free.
 */
public final class ImageUnpacker {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration POLL = Duration.ofMillis(200);
    /** The most an image may take on disk, as copied and unpacked. */
    private static final long MAX_UNPACKED_BYTES = 4L << 30;
    private static final int MAX_ERROR_CHARS = 300;
    /** Where the sandbox mounts things: they must exist in a root file system that is bound read-only. */
    private static final List<String> MOUNT_POINTS = List.of("input", "output", "sealed", "tmp", "proc", "dev", "app");
    private static final String TAG = "program";

    private final SandboxArea area;
    private final Path images;
    private final Object unpacking = new Object();

    public ImageUnpacker(SandboxArea area) {
        this.area = area;
        this.images = area.directory("images");
    }

    /** Whether {@code tarball} is an image archive this class can unpack (an OCI or docker archive). */
    public static boolean isImage(Path tarball) {
        return transport(tarball).isPresent();
    }

    /** The image in {@code tarball}, whose SHA-256 is {@code digest} (lowercase hex), unpacked. */
    public Image unpack(Path tarball, String digest) {
        if (!digest.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("an image digest is 64 lowercase hex digits");
        }
        String transport = transport(tarball).orElseThrow(() -> new SandboxException(Reason.UNAVAILABLE,
                "the program is a tar archive but neither an OCI image archive nor a docker-save archive"));
        synchronized (unpacking) {
            Path dir = images.resolve(digest);
            Path layout = dir.resolve("layout");
            Path bundle = dir.resolve("bundle");
            if (!Files.exists(dir.resolve("complete"))) {
                deleteTree(dir);
                try {
                    Files.createDirectories(dir);
                    // skopeo and umoci parse what the DataDAO supplies: as the sandbox's user, never as root.
                    area.adopt(dir);
                    Path source = tarball.toAbsolutePath();
                    if (area.owner().isPresent()) {
                        source = Files.copy(tarball, dir.resolve("image.tar"));
                        area.adopt(source);
                    }
                    run(List.of(tool("skopeo"), "--insecure-policy", "copy", "--quiet",
                            transport + ":" + source, "oci:" + layout + ":" + TAG), dir);
                    run(List.of(tool("umoci"), "unpack", "--rootless", "--image", layout + ":" + TAG, bundle.toString()), dir);
                    Files.deleteIfExists(dir.resolve("image.tar"));
                    Path rootfs = bundle.resolve("rootfs");
                    for (String point : MOUNT_POINTS) {
                        // A plain directory, never the image's own link: bwrap would mount where it points.
                        Path mountPoint = rootfs.resolve(point);
                        if (!Files.isDirectory(mountPoint, LinkOption.NOFOLLOW_LINKS)) {
                            Files.deleteIfExists(mountPoint);
                            Files.createDirectory(mountPoint);
                        }
                    }
                    // The sandbox's user passes through to the root file system; the layout stays private.
                    for (Path passable : List.of(dir, bundle)) {
                        Files.setPosixFilePermissions(passable, PosixFilePermissions.fromString("rwx--x--x"));
                    }
                    Files.setPosixFilePermissions(rootfs, PosixFilePermissions.fromString("rwxr-xr-x"));
                    Files.writeString(dir.resolve("complete"), "");
                } catch (IOException e) {
                    deleteTree(dir);
                    throw new SandboxException(Reason.UNAVAILABLE, "cannot unpack the image: " + e.getMessage(), e);
                }
            }
            return read(layout, bundle.resolve("rootfs"));
        }
    }

    /** The image's config, from the layout's index, its manifest and its config blob. */
    private static Image read(Path layout, Path rootfs) {
        try {
            JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
            JsonNode manifest = blob(layout, index.path("manifests").path(0).path("digest").asText());
            JsonNode config = blob(layout, manifest.path("config").path("digest").asText()).path("config");
            Map<String, String> labels = new LinkedHashMap<>();
            config.path("Labels").fields().forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
            String workingDir = config.path("WorkingDir").asText("");
            return new Image(rootfs, strings(config.path("Entrypoint")), strings(config.path("Cmd")),
                    strings(config.path("Env")), workingDir.isEmpty() ? "/" : workingDir, labels);
        } catch (IOException e) {
            throw new SandboxException(Reason.UNAVAILABLE, "the image's config cannot be read: " + e.getMessage(), e);
        }
    }

    private static JsonNode blob(Path layout, String digest) throws IOException {
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IOException("the image names a blob '" + digest + "' that is not a sha256 digest");
        }
        return JSON.readTree(layout.resolve("blobs").resolve("sha256").resolve(digest.substring(7)).toFile());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** skopeo's transport for the archive: {@code oci-archive} or {@code docker-archive}, by its top-level files. */
    private static Optional<String> transport(Path tarball) {
        try (InputStream file = Files.newInputStream(tarball);
                TarArchiveInputStream tar = new TarArchiveInputStream(file)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName().replaceFirst("^\\./", "");
                if (name.equals("oci-layout")) {
                    return Optional.of("oci-archive");
                }
                if (name.equals("manifest.json")) {
                    return Optional.of("docker-archive");
                }
            }
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String tool(String name) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path path = Path.of(dir, name);
            if (Files.isExecutable(path)) {
                return path.toString();
            }
        }
        throw new SandboxException(Reason.UNAVAILABLE, name + " is not installed: images need skopeo and umoci"
                + " (Debian: apt-get install skopeo umoci)");
    }

    private void run(List<String> tool, Path watched) throws IOException {
        Path errors = Files.createTempFile("datacoop-image", ".log");
        List<String> command = new ArrayList<>(area.asOwner());
        command.addAll(tool);
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile());
            // Its scratch space is the image's own directory, so the disk watch counts it and the sandbox's user may write it.
            builder.environment().keySet().retainAll(List.of("PATH"));
            builder.environment().put("HOME", watched.toString());
            builder.environment().put("TMPDIR", watched.toString());
            Process process = builder.start();
            process.getOutputStream().close();
            long deadline = System.nanoTime() + TOOL_TIMEOUT.toNanos();
            // The image is the DataDAO's: its layers could expand without end, so the disk is watched as they do.
            while (!process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                long bytes = Trees.usage(watched).map(Trees.Usage::bytes).orElse(0L);
                if (bytes > MAX_UNPACKED_BYTES || System.nanoTime() - deadline > 0) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new IOException(bytes > MAX_UNPACKED_BYTES
                            ? "the image unpacks to more than " + (MAX_UNPACKED_BYTES >> 30) + " GiB"
                            : Path.of(tool.get(0)).getFileName() + " took over " + TOOL_TIMEOUT.toMinutes() + " minutes");
                }
            }
            if (process.exitValue() != 0) {
                String error = Files.readString(errors, StandardCharsets.UTF_8).strip();
                throw new IOException(Path.of(tool.get(0)).getFileName() + " failed: "
                        + (error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) + "..." : error));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unpacking the image");
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private static void deleteTree(Path dir) {
        try {
            Trees.delete(dir);
        } catch (UncheckedIOException e) {
            throw new SandboxException(Reason.UNAVAILABLE, "cannot clear " + dir + ": " + e.getMessage(), e);
        }
    }
}
