package org.datacoop.node.program;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.datacoop.node.program.ProgramException.Reason;
import org.datacoop.protocol.ProofRequest;
import org.datacoop.sandbox.Launch;
import org.datacoop.sandbox.Limits;
import org.datacoop.sandbox.Mount;
import org.datacoop.sandbox.Root;
import org.datacoop.sandbox.Sandbox;
import org.datacoop.sandbox.SandboxException;
import org.datacoop.sandbox.image.Image;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a DataDAO's own proof-of-contribution program under Vana's container contract (PROTOCOL.md
 * §4), always in the node's {@link Sandbox}: the decrypted file(s) at {@code /input} (read-only),
 * {@code results.json} written to {@code /output}, {@code /sealed} when the program asks for it,
 * env vars and opened secrets as its environment and nothing of the node's. {@code INPUT_DIR} and
 * {@code OUTPUT_DIR} name the two directories for programs written for them.
 *
 * <p>Three shapes, all pinned by digest on-chain: a single executable ({@code #!} script or ELF,
 * shown at {@code /app/program}); a package, a zip or tar whose {@code program.json} names the
 * command ({@code "run": ["python3", "-m", "my_proof"]}) and the variables it needs, shown at
 * {@code /app} over this machine's read-only runtime; and a container image, run with its own
 * entrypoint, cmd, env and working dir over its own root file system.
 */
public final class ExternalProgram implements ContributionProgram {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalProgram.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where a package or an executable is shown inside the sandbox. */
    public static final String APP = "/app";
    /** A package's manifest, at its root. */
    public static final String MANIFEST = "program.json";
    /** Image labels a program declares its needs in (comma-separated names; {@code true}). */
    public static final String ENV_LABEL = "org.datacoop.program.env";
    public static final String SECRETS_LABEL = "org.datacoop.program.secrets";
    public static final String SEALED_LABEL = "org.datacoop.program.sealed";
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** The largest {@code results.json} the node reads. */
    static final int RESULTS_BYTES = 1 << 20;
    /** The kernel reads this much of a file to decide how to execute it. */
    private static final int EXEC_HEADER_BYTES = 256;
    private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final Map<Integer, String> SIGNALS = Map.ofEntries(
            Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"), Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"),
            Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"),
            Map.entry(11, "SIGSEGV"), Map.entry(13, "SIGPIPE"), Map.entry(15, "SIGTERM"), Map.entry(25, "SIGXFSZ"));
    /** How a program dies when an allocation fails under an address-space limit, or when the kernel kills it. */
    private static final Set<String> MEMORY_SIGNALS = Set.of("SIGKILL", "SIGSEGV", "SIGABRT", "SIGBUS");

    private final Sandbox sandbox;
    private final Root root;
    private final List<String> command;
    private final Map<String, String> ownEnvironment;
    private final String workingDir;
    private final List<Mount> mounts;
    private final Set<String> requiredVariables;
    private final boolean sealed;
    private final Limits limits;

    private ExternalProgram(Sandbox sandbox, Root root, List<String> command, Map<String, String> ownEnvironment,
            String workingDir, List<Mount> mounts, Set<String> requiredVariables, boolean sealed, Limits limits) {
        this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
        this.root = root;
        this.command = List.copyOf(command);
        this.ownEnvironment = Map.copyOf(ownEnvironment);
        this.workingDir = workingDir;
        this.mounts = List.copyOf(mounts);
        this.requiredVariables = Set.copyOf(requiredVariables);
        this.sealed = sealed;
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** A single executable: a {@code #!} script whose interpreter this machine has, or an ELF binary. */
    public static ExternalProgram executable(Sandbox sandbox, Path file, Limits limits) {
        checkExecutable(file);
        return new ExternalProgram(sandbox, Root.HOST, List.of(APP + "/program"), Map.of(), APP,
                List.of(new Mount(file, APP + "/program")), Set.of(), false, limits);
    }

    /** A package unpacked in {@code dir}, run as its {@code program.json} says. */
    public static ExternalProgram packaged(Sandbox sandbox, Path dir, Limits limits) {
        JsonNode manifest;
        try {
            manifest = JSON.readTree(dir.resolve(MANIFEST).toFile());
        } catch (NoSuchFileException e) {
            throw new ProgramException(Reason.REFUSED, "the program archive has no " + MANIFEST
                    + " at its root naming what to run (\"run\": [\"python3\", \"-m\", \"my_proof\"])");
        } catch (IOException e) {
            throw new ProgramException(Reason.REFUSED, "the program's " + MANIFEST + " is not JSON");
        }
        List<String> run = strings(manifest.path("run"), "run");
        if (run.isEmpty()) {
            throw new ProgramException(Reason.REFUSED, "the program's " + MANIFEST + " needs \"run\": the command, as a list");
        }
        Set<String> required = new LinkedHashSet<>(strings(manifest.path("env"), "env"));
        required.addAll(strings(manifest.path("secrets"), "secrets"));
        return new ExternalProgram(sandbox, Root.HOST, run, Map.of(), APP, List.of(new Mount(dir, APP)), required,
                manifest.path("sealed").asBoolean(false), limits);
    }

    /** A container image, run as a container runtime would run it. */
    public static ExternalProgram image(Sandbox sandbox, Image image, Limits limits) {
        if (image.command().isEmpty()) {
            throw new ProgramException(Reason.REFUSED, "the program image names no entrypoint or cmd to run");
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (String entry : image.environment()) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                environment.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        Set<String> required = new LinkedHashSet<>(names(image.labels().get(ENV_LABEL)));
        required.addAll(names(image.labels().get(SECRETS_LABEL)));
        return new ExternalProgram(sandbox, new Root.Image(image.rootfs()), image.command(), environment,
                image.workingDir(), List.of(), required, "true".equalsIgnoreCase(image.labels().get(SEALED_LABEL)), limits);
    }

    @Override
    public Set<String> requiredVariables() {
        return requiredVariables;
    }

    @Override
    public Execution execution(ProgramRun run) {
        return new Execution(sandbox.type(), sandbox.commandLine(launch(run, run.outputDir())));
    }

    /**
     * Runs the program on {@code run}'s input and reads its verdict; throws {@link ProgramException}
     * when it cannot start, times out, fails or writes no valid results, and
     * {@link CancellationException} (after killing it) when the calling thread is interrupted.
     */
    @Override
    public ProgramResults run(ProgramRun run) {
        long started = System.nanoTime();
        try {
            ProgramResults results = readResults(launchToZeroExit(run).resolve("results.json"), run);
            LOG.info("[jobId:{} fileId:{}] program judged the file in {} ms: valid {}, score {}",
                    run.jobId(), run.fileId(), elapsedMillis(started), results.valid(), results.score());
            return results;
        } catch (ProgramException e) {
            // The reason only: the message may quote the program's output, which may quote its secrets.
            LOG.info("[jobId:{} fileId:{}] program failed after {} ms: {}",
                    run.jobId(), run.fileId(), elapsedMillis(started), e.reason());
            throw e;
        }
    }

    /**
     * Runs the program for what it writes to the output directory (a refiner's tables), not for a
     * verdict: the same sandbox, environment, limits and timeout as {@link #run}.
     */
    public void runForOutput(ProgramRun run) {
        launchToZeroExit(run);
    }

    private Path launchToZeroExit(ProgramRun run) {
        Launch launch = launch(run, run.outputDir());
        int exit;
        try {
            exit = sandbox.run(launch);
        } catch (SandboxException e) {
            throw new ProgramException(switch (e.reason()) {
                case TIMED_OUT -> Reason.TIMED_OUT;
                case OUTPUT_TOO_LARGE, UNSAFE_OUTPUT -> Reason.BAD_OUTPUT;
                case UNAVAILABLE -> Reason.REFUSED;
            }, e.getMessage(), e);
        }
        if (exit != 0) {
            throw new ProgramException(Reason.CRASHED, crashMessage(exit));
        }
        return run.outputDir();
    }

    private Launch launch(ProgramRun run, Path output) {
        Map<String, String> environment = new LinkedHashMap<>(ownEnvironment);
        putAll(environment, run.environment());
        // Last, so the run's variables cannot point the program elsewhere; an image keeps its own PATH.
        if (root instanceof Root.Image) {
            environment.putIfAbsent("PATH", PATH);
        } else {
            environment.put("PATH", PATH);
        }
        environment.put("HOME", "/tmp");
        environment.put("TMPDIR", "/tmp");
        environment.put("INPUT_DIR", Launch.INPUT);
        environment.put("OUTPUT_DIR", Launch.OUTPUT);
        Optional<Path> sealedDir = sealed
                ? Optional.of(sandbox.area().directory("sealed/" + run.dlpId()))
                : Optional.empty();
        return new Launch(root, command, environment, workingDir, run.inputDir(), output, sealedDir, mounts, limits,
                run.timeout());
    }

    /** Refuses what a process environment cannot carry, before the process builder would quote the value in its error. */
    private static void putAll(Map<String, String> environment, Map<String, String> variables) {
        variables.forEach((name, value) -> {
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new ProgramException(Reason.REFUSED, "an environment variable name is empty or holds '=' or NUL");
            }
            if (ProofRequest.isReservedVariable(name)) {
                throw new ProgramException(Reason.REFUSED, "environment variable " + name + " is reserved");
            }
            if (value.indexOf('\0') >= 0) {
                throw new ProgramException(Reason.REFUSED, "environment variable " + name + " holds a NUL character");
            }
            environment.put(name, value);
        });
    }

    /**
     * Checks the file is an ELF binary or a script whose interpreter this machine's runtime has (the
     * sandbox shows the same {@code /usr}), so a program that cannot start says why instead of
     * failing with exit 127.
     */
    private static void checkExecutable(Path executable) {
        byte[] header;
        try (InputStream in = Files.newInputStream(executable)) {
            header = in.readNBytes(EXEC_HEADER_BYTES);
        } catch (NoSuchFileException e) {
            throw new ProgramException(Reason.REFUSED, "the program file " + executable + " does not exist", e);
        } catch (IOException e) {
            throw new ProgramException(Reason.REFUSED, "the program file " + executable + " cannot be read: " + e, e);
        }
        if (header.length >= ELF_MAGIC.length && Arrays.equals(header, 0, ELF_MAGIC.length, ELF_MAGIC, 0, ELF_MAGIC.length)) {
            return;
        }
        if (header.length < 2 || header[0] != '#' || header[1] != '!') {
            throw new ProgramException(Reason.REFUSED,
                    "the program is neither an ELF executable nor a script starting with #!");
        }
        String line = new String(header, 2, header.length - 2, UTF_8).lines().findFirst().orElse("").strip();
        String interpreter = line.split("[ \t]+", 2)[0];
        if (!interpreter.startsWith("/") || !Files.isExecutable(Path.of(interpreter))) {
            throw new ProgramException(Reason.REFUSED,
                    "the program's interpreter " + (interpreter.isEmpty() ? "(none)" : interpreter)
                            + " is not an absolute path this node's runtime has");
        }
    }

    private static List<String> strings(JsonNode node, String field) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ProgramException(Reason.REFUSED, "the program's " + MANIFEST + " field \"" + field + "\" must be a list");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode value : node) {
            if (!value.isTextual() || value.asText().isEmpty()) {
                throw new ProgramException(Reason.REFUSED, "the program's " + MANIFEST + " field \"" + field
                        + "\" must hold non-empty strings");
            }
            values.add(value.asText());
        }
        return values;
    }

    private static List<String> names(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(name -> !name.isEmpty()).toList();
    }

    private String crashMessage(int exit) {
        String what;
        String signal = exit > 128 && exit <= 128 + 64 ? SIGNALS.getOrDefault(exit - 128, "signal " + (exit - 128)) : null;
        if (signal != null) {
            what = "the program was killed (" + signal + ", exit code " + exit + ")";
            if (MEMORY_SIGNALS.contains(signal)) {
                what += ", possibly over its " + Limits.describeBytes(limits.memoryBytes()) + " memory limit";
            } else if (signal.equals("SIGXFSZ")) {
                what += ": it wrote a file over its " + Limits.describeBytes(limits.outputBytes()) + " limit";
            }
        } else if (exit == 126 || exit == 127) {
            what = "the program failed with exit code " + exit + " (it, or a command it ran, could not be executed)";
        } else {
            what = "the program failed with exit code " + exit;
        }
        return what;
    }

    private static ProgramResults readResults(Path file, ProgramRun run) {
        byte[] bytes;
        try {
            // Not through a link, nor from a FIFO that would block: only a file the program wrote.
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw new ProgramException(Reason.BAD_OUTPUT, "output/results.json is not a regular file");
            }
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes(RESULTS_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            throw new ProgramException(Reason.BAD_OUTPUT, "the program exited 0 but wrote no output/results.json", e);
        } catch (IOException e) {
            throw new ProgramException(Reason.BAD_OUTPUT, "output/results.json cannot be read: " + e, e);
        }
        if (bytes.length > RESULTS_BYTES) {
            throw new ProgramException(Reason.BAD_OUTPUT,
                    "output/results.json is larger than its " + Limits.describeBytes(RESULTS_BYTES) + " limit");
        }
        ProgramResults results = ProgramResults.parse(new String(bytes, UTF_8));
        if (results.dlpId() == 0) {
            return new ProgramResults(run.dlpId(), results.valid(), results.score(), results.authenticity(),
                    results.ownership(), results.quality(), results.uniqueness(), results.attributes(), results.metadata());
        }
        if (results.dlpId() != run.dlpId()) {
            throw new ProgramException(Reason.BAD_OUTPUT, "results.json names dlp_id " + results.dlpId()
                    + " but the program ran for DataDAO " + run.dlpId());
        }
        return results;
    }

    private static long elapsedMillis(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }
}
