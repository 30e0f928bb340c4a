package org.datacoop.compute.external;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.datacoop.compute.Algorithm;
import org.datacoop.compute.AlgorithmDigest;
import org.datacoop.compute.ComputeException;
import org.datacoop.compute.ComputeException.Reason;
import org.datacoop.compute.TaskInput;
import org.datacoop.compute.data.Selection;
import org.datacoop.protocol.Sha256;
import org.datacoop.sandbox.Launch;
import org.datacoop.sandbox.Limits;
import org.datacoop.sandbox.Mount;
import org.datacoop.sandbox.Root;
import org.datacoop.sandbox.Sandbox;
import org.datacoop.sandbox.SandboxException;
import org.datacoop.sandbox.Trees;
import org.datacoop.sandbox.image.Image;

/**
 * A requester's own algorithm, a single executable or a container image, pinned by the SHA-256 of its
 * bytes (the executable, or the image's tarball) and always run in the node's {@link Sandbox} with the
 * sandbox's limits. It sees, read-only:
 * <ul>
 * <li>{@code /input/rows.parquet} and {@code /input/rows.csv} (with a header): the task's rows in
 *     their total order ({@link Selection});
 * <li>{@code /input/params.json}: the task's params, byte for byte;
 * <li>{@code /input/model/...}: the task's model files, when it names a model;
 * </ul>
 * and writes its result to {@code /output}, which is then hashed like any output. {@code INPUT_DIR}
 * and {@code OUTPUT_DIR} name the two directories. A non-zero exit, running past its time, writing
 * past its output limit or leaving a link in {@code /output} fails the task with the reason.
 */
public final class ExternalAlgorithm implements Algorithm {
    public static final String ROWS_PARQUET = "rows.parquet";
    public static final String ROWS_CSV = "rows.csv";
    public static final String PARAMS = "params.json";
    public static final String MODEL = "model";
    /** Where an executable is shown inside the sandbox. */
    static final String PROGRAM = "/app/program";
    /** A shell's exit code for a death by signal N is 128 + N; SIGXFSZ is what RLIMIT_FSIZE sends. */
    private static final int SIGNALLED = 128;
    private static final int SIGXFSZ = 25;
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Sandbox sandbox;
    private final AlgorithmDigest digest;
    private final Optional<Path> executable;
    private final Optional<Image> image;
    private final Limits limits;
    private final Duration timeout;

    private ExternalAlgorithm(Sandbox sandbox, AlgorithmDigest digest, Optional<Path> executable, Optional<Image> image,
            Limits limits, Duration timeout) {
        this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
        this.digest = digest;
        this.executable = executable;
        this.image = image;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** An executable ({@code #!} script or ELF binary); its digest is the SHA-256 of its bytes. */
    public static ExternalAlgorithm executable(Sandbox sandbox, Path program, Limits limits, Duration timeout) {
        return new ExternalAlgorithm(sandbox, digestOf(program), Optional.of(program.toAbsolutePath().normalize()),
                Optional.empty(), limits, timeout);
    }

    /**
     * An image unpacked with {@link org.datacoop.sandbox.image.ImageUnpacker}, run with its own
     * entrypoint, cmd, environment and working dir; {@code tarballDigest} is the SHA-256 of the
     * tarball it was unpacked from, which the caller checked against the task's algorithm.
     */
    public static ExternalAlgorithm image(Sandbox sandbox, Image image, AlgorithmDigest tarballDigest, Limits limits,
            Duration timeout) {
        if (image.command().isEmpty()) {
            throw new ComputeException(Reason.INVALID_PARAMS, "the algorithm's image names no entrypoint or cmd to run");
        }
        return new ExternalAlgorithm(sandbox, tarballDigest, Optional.empty(), Optional.of(image), limits, timeout);
    }

    @Override
    public AlgorithmDigest digest() {
        return digest;
    }

    @Override
    public String describe() {
        return "external:" + digest;
    }

    @Override
    public void run(TaskInput input, Path output) {
        Path workspace = sandbox.area().directory("compute/" + UUID.randomUUID());
        try {
            sandbox.area().adopt(workspace);
            Path in = Files.createDirectories(workspace.resolve("input"));
            Path out = Files.createDirectories(workspace.resolve("output"));
            sandbox.area().adopt(out);
            if (executable.isPresent()) {
                stageProgram(workspace);
            }
            Selection.of(input.rows()).writeSorted(in.resolve(ROWS_PARQUET), in.resolve(ROWS_CSV));
            Files.writeString(in.resolve(PARAMS), input.params(), StandardCharsets.UTF_8);
            if (input.model().isPresent()) {
                copyTree(input.model().get(), in.resolve(MODEL), "the task's model", Reason.INVALID_MODEL);
            }
            Launch launch = launch(workspace, in, out);
            int exit;
            try {
                exit = sandbox.run(launch);
            } catch (SandboxException e) {
                throw new ComputeException(e.reason() == SandboxException.Reason.UNAVAILABLE ? Reason.UNAVAILABLE : Reason.ALGORITHM_FAILED,
                        describe() + " " + e.getMessage(), e);
            }
            if (exit != 0) {
                throw new ComputeException(Reason.ALGORITHM_FAILED, describe() + " failed with exit code " + exit + why(exit));
            }
            copyTree(out, output, "the algorithm's output", Reason.ALGORITHM_FAILED);
        } catch (IOException e) {
            throw new ComputeException(Reason.UNAVAILABLE, "cannot prepare the sandbox for " + describe() + ": " + e.getMessage(), e);
        } finally {
            Trees.delete(workspace);
        }
    }

    private Launch launch(Path workspace, Path in, Path out) {
        Map<String, String> environment = new LinkedHashMap<>();
        if (image.isPresent()) {
            for (String entry : image.get().environment()) {
                String[] parts = entry.split("=", 2);
                if (parts.length == 2 && !parts[0].isEmpty()) {
                    environment.put(parts[0], parts[1]);
                }
            }
        } else {
            environment.put("PATH", PATH);
        }
        environment.put("INPUT_DIR", Launch.INPUT);
        environment.put("OUTPUT_DIR", Launch.OUTPUT);
        if (image.isPresent()) {
            return new Launch(new Root.Image(image.get().rootfs()), image.get().command(), environment, image.get().workingDir(),
                    in, out, Optional.empty(), List.of(), limits, timeout);
        }
        Path program = workspace.resolve("program");
        return new Launch(Root.HOST, List.of(PROGRAM), environment, "/", in, out, Optional.empty(),
                List.of(new Mount(program, PROGRAM)), limits, timeout);
    }

    /** Which limit a death by signal most likely means: SIGXFSZ the file size, others (SIGKILL, SIGSEGV) memory. */
    private String why(int exit) {
        if (exit == SIGNALLED + SIGXFSZ) {
            return ": it wrote a file over its " + Limits.describeBytes(limits.outputBytes()) + " output limit";
        }
        return exit > SIGNALLED ? " (killed by signal " + (exit - SIGNALLED) + ", possibly over its "
                + Limits.describeBytes(limits.memoryBytes()) + " memory limit)" : "";
    }

    /**
     * Copies the executable into the workspace before the launch is built, and checks the copy still
     * has the digest the task pinned, so what runs is what was allowed.
     */
    private void stageProgram(Path workspace) throws IOException {
        Path copy = workspace.resolve("program");
        Files.copy(executable.orElseThrow(), copy, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        if (!digestOf(copy).equals(digest)) {
            throw new ComputeException(Reason.ALGORITHM_FAILED, "the algorithm's executable changed since it was pinned as " + digest);
        }
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("r-xr-xr-x"));
    }

    private static AlgorithmDigest digestOf(Path program) {
        if (!Files.isRegularFile(program, LinkOption.NOFOLLOW_LINKS)) {
            throw new ComputeException(Reason.INVALID_PARAMS, "the algorithm " + program + " is not a regular file");
        }
        try {
            return AlgorithmDigest.of(Sha256.of(program));
        } catch (IOException e) {
            throw new ComputeException(Reason.UNAVAILABLE, "cannot read the algorithm " + program + ": " + e.getMessage(), e);
        }
    }

    /** Copies {@code from}'s directories and regular files to {@code to}; a link or device is refused, naming it. */
    private static void copyTree(Path from, Path to, String what, Reason reason) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attributes.isDirectory()) {
                    Files.createDirectories(target);
                } else if (attributes.isRegularFile()) {
                    Files.copy(path, target, LinkOption.NOFOLLOW_LINKS);
                } else {
                    throw new ComputeException(reason, what + " holds " + from.relativize(path)
                            + ", which is not a regular file or directory");
                }
            }
        }
    }
}
