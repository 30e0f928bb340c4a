package org.datacoop.acceptance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Container images for tests, built here since no registry is reachable: a root file system
 * assembled from this machine's Debian python3 (the interpreter, the libraries {@code ldd} names,
 * and the standard library without its tests and GUI), the program at {@code /app}, made an OCI
 * image by {@code umoci} and saved as a docker archive by {@code skopeo}, as {@code docker save}
 * would write it.
 */
final class TestImages {
    private static final Path PYTHON = Path.of("/usr/bin/python3.11");
    private static final Path STDLIB = Path.of("/usr/lib/python3.11");
    private static final Set<String> STDLIB_LEFT_OUT = Set.of("test", "idlelib", "tkinter", "lib2to3", "ensurepip",
            "pydoc_data", "dist-packages", "site-packages", "__pycache__", "turtledemo", "distutils");
    private static final Pattern LIBRARY = Pattern.compile("(/[^ ]+\\.so[^ ]*) \\(0x");

    private TestImages() {}

    /** Whether this machine can build and run images: python3.11 from Debian, umoci and skopeo. */
    static boolean available() {
        return Files.isExecutable(PYTHON) && Files.isExecutable(Path.of("/usr/bin/umoci"))
                && Files.isExecutable(Path.of("/usr/bin/skopeo"));
    }

    /**
     * A docker-archive tarball of an image running {@code command} in {@code /app}, where
     * {@code program}'s files are, with {@code labels}.
     */
    static Path pythonImage(Path work, Path program, List<String> command, Map<String, String> labels) {
        try {
            Path layout = work.resolve("layout");
            Path bundle = work.resolve("bundle");
            String image = layout + ":program";
            run("umoci", "init", "--layout", layout.toString());
            run("umoci", "new", "--image", image);
            run("umoci", "unpack", "--rootless", "--image", image, bundle.toString());
            Path rootfs = bundle.resolve("rootfs");
            for (String top : List.of("bin", "lib", "lib64")) {
                Files.createDirectories(rootfs.resolve("usr").resolve(top));
                Files.createSymbolicLink(rootfs.resolve(top), Path.of("usr", top));
            }
            copy(PYTHON, rootfs);
            Files.createSymbolicLink(rootfs.resolve("usr/bin/python3"), Path.of("python3.11"));
            copyTree(STDLIB, rootfs.resolve("usr/lib/python3.11"), STDLIB_LEFT_OUT);
            for (Path library : librariesOf(PYTHON, STDLIB.resolve("lib-dynload"))) {
                copy(library, rootfs);
            }
            copyTree(program, rootfs.resolve("app"), Set.of());
            run("umoci", "repack", "--image", image, bundle.toString());
            List<String> config = new ArrayList<>(List.of("umoci", "config", "--image", image,
                    "--config.workingdir=/app", "--config.env=PATH=/usr/bin:/bin"));
            command.forEach(part -> config.add("--config.cmd=" + part));
            labels.forEach((name, value) -> config.add("--config.label=" + name + "=" + value));
            run(config.toArray(String[]::new));
            Path archive = work.resolve("image.tar");
            run("skopeo", "--insecure-policy", "copy", "--quiet", "oci:" + image,
                    "docker-archive:" + archive + ":datacoop/test-program:1");
            return archive;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every shared library the ELF files (and those under directories) need, by their loader's paths. */
    private static Set<Path> librariesOf(Path... paths) throws IOException {
        Set<Path> libraries = new LinkedHashSet<>();
        for (Path path : paths) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(path)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) {
                Matcher matcher = LIBRARY.matcher(output("ldd", file.toString()));
                while (matcher.find()) {
                    libraries.add(Path.of(matcher.group(1)));
                }
            }
        }
        return libraries;
    }

    /** Copies {@code file}'s content to the same path under {@code rootfs}, through the rootfs's own links. */
    private static void copy(Path file, Path rootfs) throws IOException {
        Path target = rootfs.resolve(file.toString().substring(1));
        Files.createDirectories(target.getParent());
        Files.copy(file.toRealPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void copyTree(Path from, Path to, Set<String> leftOut) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : (Iterable<Path>) walk.sorted(Comparator.naturalOrder())::iterator) {
                Path relative = from.relativize(source);
                boolean skipped = false;
                for (Path part : relative) {
                    skipped |= leftOut.contains(part.toString()) || part.toString().startsWith("config-");
                }
                if (skipped) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!Files.isSymbolicLink(source)) {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void run(String... command) {
        String output = output(command);
        if (output.startsWith("FAILED")) {
            throw new IllegalStateException(String.join(" ", command) + ": " + output);
        }
    }

    private static String output(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                return "FAILED " + text;
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
