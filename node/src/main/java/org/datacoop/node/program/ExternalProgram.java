package org.datacoop.node.program;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.datacoop.node.program.ProgramException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a DataDAO's own proof-of-contribution executable under Vana's container contract
 * (PROTOCOL.md §4): it reads the decrypted file(s) from its input directory, writes
 * {@code results.json} into its output directory and exits 0. Vana's containers find these at the
 * fixed paths {@code /input} and {@code /output}; ours run on the host in one scratch workspace per
 * job, so they get the two paths as the environment variables {@code INPUT_DIR} and
 * {@code OUTPUT_DIR}.
 *
 * <p>The caller has already checked the executable against the digest the DataDAO pinned; this
 * class only runs it, with the job's workspace (the parent of the input directory) as working
 * directory and {@code HOME}, and a clean environment: {@code PATH}, {@code HOME}, the two
 * directories and the run's env vars and secrets, never the node's own variables, which may hold
 * its keys. Where the OS allows it the program also gets a memory limit, no network and a process
 * space of its own; {@link #isolation()} says which of these this machine gives, so the attestation
 * can state it. In every case it runs as the node's user and sees the node's file system.
 */
public final class ExternalProgram implements ContributionProgram {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalProgram.class);
    private static final String PATH = "/usr/local/bin:/usr/bin:/bin";
    /** Where the wrappers are looked up: fixed, so the node's own PATH cannot swap them. */
    private static final List<String> TOOL_DIRS = List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin");
    /** Tried in order: the first also gives the program its own PIDs and /proc; the second only cuts the network. */
    private static final List<List<String>> NAMESPACES = List.of(
            List.of("--user", "--map-root-user", "--net", "--pid", "--fork", "--kill-child", "--mount-proc"),
            List.of("--user", "--map-root-user", "--net"));
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    /** How long to wait for a killed program to be reaped and for its output pipes to close. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(2);
    /** The kernel reads this much of a file to decide how to execute it. */
    private static final int EXEC_HEADER_BYTES = 256;
    private static final Set<PosixFilePermission> OWNER_READ_EXECUTE =
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE);
    private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final Map<Integer, String> SIGNALS = Map.ofEntries(
            Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"), Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"),
            Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"),
            Map.entry(11, "SIGSEGV"), Map.entry(13, "SIGPIPE"), Map.entry(15, "SIGTERM"));
    /** How a program dies when an allocation fails under an address-space limit, or when the kernel kills it. */
    private static final Set<String> MEMORY_SIGNALS = Set.of("SIGKILL", "SIGSEGV", "SIGABRT", "SIGBUS");

    /**
     * What one run may use.
     *
     * @param memoryBytes the address-space cap (RLIMIT_AS): virtual, not resident, memory, so a runtime
     *     that reserves large ranges up front (a JVM without {@code -Xmx}) needs more than it uses
     * @param resultsBytes the largest {@code results.json} the node reads
     */
    public record Limits(long memoryBytes, int resultsBytes) {
        public static final Limits DEFAULT = new Limits(512L << 20, 1 << 20);

        public Limits {
            if (memoryBytes <= 0 || resultsBytes <= 0) {
                throw new IllegalArgumentException("limits must be positive: " + memoryBytes + ", " + resultsBytes);
            }
        }
    }

    /**
     * The isolation runs get on this machine, for the attestation to state honestly.
     *
     * @param memoryLimit the address space is capped at {@link Limits#memoryBytes()} ({@code prlimit})
     * @param noNetwork the program runs in a network namespace of its own, with only a loopback device
     *     ({@code unshare})
     * @param privateProcesses it runs in a PID namespace of its own with its own {@code /proc}: it cannot
     *     see the node's processes or their environment, and nothing it starts outlives it
     */
    public record Isolation(boolean memoryLimit, boolean noNetwork, boolean privateProcesses) {}

    /** The wrappers that work here, probed once per JVM since each probe starts a process. */
    private record Sandbox(Optional<String> prlimit, List<String> unshare, Isolation isolation) {
        static final Sandbox PROBED = probe();
    }

    private final Path executable;
    private final Limits limits;
    private final Sandbox sandbox = Sandbox.PROBED;

    public ExternalProgram(Path executable, Limits limits) {
        this.executable = executable.toAbsolutePath().normalize();
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ExternalProgram(Path executable) {
        this(executable, Limits.DEFAULT);
    }

    /** The isolation this machine gives every run. */
    public Isolation isolation() {
        return sandbox.isolation();
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
            ProgramResults results = execute(run);
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
        launch(run);
    }

    private ProgramResults execute(ProgramRun run) {
        return readResults(launch(run).resolve("results.json"), run);
    }

    /** Runs the program in its sandbox to a zero exit; returns its output directory. */
    private Path launch(ProgramRun run) {
        Path input = run.inputDir().toAbsolutePath().normalize();
        Path output = run.outputDir().toAbsolutePath().normalize();
        Path workspace = input.getParent();
        if (workspace == null) {
            throw new IllegalArgumentException("the input directory needs a parent workspace: " + input);
        }
        prepareExecutable(workspace);
        // Its output is discarded: it may hold decrypted data, which must not reach a log or the chain.
        // A program explains a rejection in results.json (valid false, metadata.reason).
        ProcessBuilder builder = new ProcessBuilder(command()).directory(workspace.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> environment = builder.environment();
        environment.clear();
        putAll(environment, run.environment());
        // Last, so the run's variables cannot point the program elsewhere.
        environment.put("PATH", PATH);
        environment.put("HOME", workspace.toString());
        environment.put("INPUT_DIR", input.toString());
        environment.put("OUTPUT_DIR", output.toString());

        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new ProgramException(Reason.REFUSED, "the program could not be started: " + e.getMessage(), e);
        }
        int exit = await(process, run);
        if (exit != 0) {
            throw new ProgramException(Reason.CRASHED, crashMessage(exit));
        }
        return output;
    }

    private List<String> command() {
        List<String> command = new ArrayList<>();
        // --core=0: a core dump would write the decrypted data the program holds to disk.
        sandbox.prlimit().ifPresent(prlimit -> command.addAll(
                List.of(prlimit, "--as=" + limits.memoryBytes(), "--core=0", "--")));
        command.addAll(sandbox.unshare());
        command.add(executable.toString());
        return command;
    }

    /**
     * Gives the owner read and execute rights, then checks the file is an ELF binary or a script whose
     * interpreter exists, so a program that cannot start says why instead of failing with exit 127.
     */
    private void prepareExecutable(Path workspace) {
        byte[] header;
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(executable);
            if (!permissions.containsAll(OWNER_READ_EXECUTE)) {
                permissions.addAll(OWNER_READ_EXECUTE);
                Files.setPosixFilePermissions(executable, permissions);
            }
            try (InputStream in = Files.newInputStream(executable)) {
                header = in.readNBytes(EXEC_HEADER_BYTES);
            }
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
        boolean found;
        try {
            // The kernel resolves a relative interpreter against the working directory, the workspace.
            Path path = workspace.resolve(interpreter);
            found = !interpreter.isEmpty() && Files.isRegularFile(path) && Files.isExecutable(path);
        } catch (InvalidPathException e) {
            found = false;
        }
        if (!found) {
            throw new ProgramException(Reason.REFUSED,
                    "the program's interpreter " + (interpreter.isEmpty() ? "(none)" : interpreter)
                            + " does not exist on this node");
        }
    }

    /** Refuses what a process environment cannot carry, before ProcessBuilder would quote the value in its error. */
    /**
     * Whether {@code name} is a variable a caller may not set: one that changes which code a program
     * loads or runs (the dynamic loader's, interpreters' and shells' own), or one the node sets.
     * Otherwise a contributor could ship a library in their zip and have the DataDAO's program load it.
     */
    public static boolean isReservedVariable(String name) {
        return RESERVED_VARIABLE.matcher(name).matches();
    }

    private static final Pattern RESERVED_VARIABLE = Pattern.compile(
            "LD_.*|PATH|HOME|IFS|ENV|BASH_ENV|BASH_FUNC_.*|SHELLOPTS|BASHOPTS|PS4|CDPATH|TMPDIR|GCONV_PATH|LOCPATH"
                    + "|GLIBC_TUNABLES|MALLOC_.*|PYTHON.*|PERL5.*|PERLLIB|RUBY.*|GEM_.*|NODE_.*|JAVA_TOOL_OPTIONS"
                    + "|_JAVA_OPTIONS|JDK_JAVA_OPTIONS|CLASSPATH|INPUT_DIR|OUTPUT_DIR",
            Pattern.CASE_INSENSITIVE);

    private static void putAll(Map<String, String> environment, Map<String, String> variables) {
        variables.forEach((name, value) -> {
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new ProgramException(Reason.REFUSED, "an environment variable name is empty or holds '=' or NUL");
            }
            if (isReservedVariable(name)) {
                throw new ProgramException(Reason.REFUSED, "environment variable " + name + " is reserved");
            }
            if (value.indexOf('\0') >= 0) {
                throw new ProgramException(Reason.REFUSED, "environment variable " + name + " holds a NUL character");
            }
            environment.put(name, value);
        });
    }

    private static int await(Process process, ProgramRun run) {
        try {
            if (process.waitFor(run.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                return process.exitValue();
            }
            killTree(process);
            throw new ProgramException(Reason.TIMED_OUT,
                    "the program ran past its " + describe(run.timeout()) + " timeout and was stopped");
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new CancellationException("the run for job " + run.jobId() + " was interrupted");
        }
    }

    /**
     * Kills the program and everything it started. The descendants are listed first since a process
     * whose parent dies leaves the tree; in a PID namespace the kernel kills them all anyway.
     */
    private static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(SETTLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String crashMessage(int exit) {
        String what;
        String signal = exit > 128 && exit <= 128 + 64 ? SIGNALS.getOrDefault(exit - 128, "signal " + (exit - 128)) : null;
        if (signal != null) {
            what = "the program was killed (" + signal + ", exit code " + exit + ")";
            if (sandbox.isolation().memoryLimit() && MEMORY_SIGNALS.contains(signal)) {
                what += ", possibly over its " + describeBytes(limits.memoryBytes()) + " memory limit";
            }
        } else if (exit == 126 || exit == 127) {
            what = "the program failed with exit code " + exit + " (it, or a command it ran, could not be executed)";
        } else {
            what = "the program failed with exit code " + exit;
        }
        return what;
    }

    private ProgramResults readResults(Path file, ProgramRun run) {
        byte[] bytes;
        try {
            // Not through a link, nor from a FIFO that would block: only a file the program wrote.
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw new ProgramException(Reason.BAD_OUTPUT, "output/results.json is not a regular file");
            }
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes(limits.resultsBytes() + 1);
            }
        } catch (NoSuchFileException e) {
            throw new ProgramException(Reason.BAD_OUTPUT, "the program exited 0 but wrote no output/results.json", e);
        } catch (IOException e) {
            throw new ProgramException(Reason.BAD_OUTPUT, "output/results.json cannot be read: " + e, e);
        }
        if (bytes.length > limits.resultsBytes()) {
            throw new ProgramException(Reason.BAD_OUTPUT,
                    "output/results.json is larger than its " + describeBytes(limits.resultsBytes()) + " limit");
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

    private static Sandbox probe() {
        Optional<String> yes = tool("true");
        Optional<String> prlimit = tool("prlimit").filter(path -> yes.isPresent()
                && succeeds(List.of(path, "--as=" + Limits.DEFAULT.memoryBytes(), "--core=0", "--", yes.get())));
        List<String> unshare = List.of();
        boolean privateProcesses = false;
        Optional<String> unshareTool = tool("unshare");
        if (unshareTool.isPresent() && yes.isPresent()) {
            for (List<String> flags : NAMESPACES) {
                List<String> candidate = new ArrayList<>();
                candidate.add(unshareTool.get());
                candidate.addAll(flags);
                candidate.add("--");
                List<String> probe = new ArrayList<>(candidate);
                probe.add(yes.get());
                if (succeeds(probe)) {
                    unshare = List.copyOf(candidate);
                    privateProcesses = flags.contains("--pid");
                    break;
                }
            }
        }
        Isolation isolation = new Isolation(prlimit.isPresent(), !unshare.isEmpty(), privateProcesses);
        if (isolation.memoryLimit() && isolation.noNetwork()) {
            LOG.info("programs run with {}", isolation);
        } else {
            LOG.warn("this machine cannot fully isolate programs (prlimit or unshare missing or not allowed): {}", isolation);
        }
        return new Sandbox(prlimit, unshare, isolation);
    }

    private static Optional<String> tool(String name) {
        return TOOL_DIRS.stream()
                .map(dir -> Path.of(dir, name))
                .filter(path -> Files.isRegularFile(path) && Files.isExecutable(path))
                .map(Path::toString)
                .findFirst();
    }

    private static boolean succeeds(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().put("PATH", PATH);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long elapsedMillis(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static String describeBytes(long bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes % (1 << 10) == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }
}
