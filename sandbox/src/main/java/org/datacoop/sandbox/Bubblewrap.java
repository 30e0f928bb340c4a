package org.datacoop.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real sandbox: Debian's {@code bwrap} (bubblewrap, the sandbox Flatpak uses) under
 * {@code prlimit}. Every namespace is unshared (no network, its own PIDs, IPC, hostname and user),
 * the root is read-only, only {@code /input} (read-only), {@code /output}, {@code /sealed}, a
 * size-capped private {@code /tmp} and the launch's read-only mounts are visible, it has no
 * capabilities, and it dies with the node ({@code --die-with-parent}): a killed bwrap takes its
 * PID namespace, so the whole process tree, with it.
 *
 * <p>A node running as root would leave its programs running as root too, where the kernel does not
 * enforce the process limit, so there runs first drop to a user of their own ({@code setpriv}) and
 * everything they bind lives in a {@link SandboxArea} that user can reach. The command line is built
 * here and nowhere else, and the attestation shows it.
 */
public final class Bubblewrap implements Sandbox {
    private static final Logger LOG = LoggerFactory.getLogger(Bubblewrap.class);
    /** The user runs drop to when the node is root: high, so no real account or service has it. */
    public static final int SANDBOX_UID = 2_100_000_000;
    private static final List<String> TOOL_DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin");
    private static final List<String> HOST_TOP_LEVEL = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");
    /** Threads a node that is not root may start after the probe (workers, HTTP, DuckDB) without starving its runs. */
    private static final int NODE_GROWTH = 512;
    /** Which node an area belongs to, so the area of a node whose directory is gone can be swept. */
    private static final String NODE_DIR_FILE = "node-dir";
    private static final List<String> HOST_ETC = List.of("/etc/ld.so.cache", "/etc/alternatives");

    private final String bwrap;
    private final String prlimit;
    private final SandboxArea area;
    /** What RLIMIT_NPROC must leave to the node's own user: nothing for a root node, whose runs have their own. */
    private final int sharedProcesses;

    private Bubblewrap(String bwrap, String prlimit, SandboxArea area) {
        this.bwrap = bwrap;
        this.prlimit = prlimit;
        this.area = area;
        this.sharedProcesses = area.owner().isPresent() ? 0 : threadsOfCurrentUser() + NODE_GROWTH;
    }

    /**
     * The sandbox for a node whose own files are in {@code nodeDir}, if this machine has bubblewrap,
     * prlimit (and setpriv, for a root node) and lets them run a program; otherwise why not.
     */
    public static Availability probe(Path nodeDir) {
        Optional<String> bwrap = tool("bwrap");
        Optional<String> prlimit = tool("prlimit");
        if (bwrap.isEmpty() || prlimit.isEmpty()) {
            return new Availability(Optional.empty(), "bubblewrap (bwrap) or prlimit is not installed"
                    + " (Debian: apt-get install bubblewrap util-linux)");
        }
        boolean root = isRoot();
        Optional<String> setpriv = root ? tool("setpriv") : Optional.empty();
        if (root && setpriv.isEmpty()) {
            return new Availability(Optional.empty(), "the node runs as root and setpriv is not installed (Debian: util-linux)");
        }
        SandboxArea area = root ? rootArea(nodeDir, setpriv.get()) : SandboxArea.sameUser(nodeDir);
        Bubblewrap sandbox = new Bubblewrap(bwrap.get(), prlimit.get(), area);
        Optional<String> trueCommand = tool("true");
        if (trueCommand.isEmpty()) {
            return new Availability(Optional.empty(), "no 'true' command to probe the sandbox with");
        }
        Path probe = area.directory("probe");
        try {
            Path in = Files.createDirectories(probe.resolve("input"));
            Path out = Files.createDirectories(probe.resolve("output"));
            area.adopt(out);
            int exit = sandbox.run(new Launch(Root.HOST, List.of(trueCommand.get()), Map.of(), "/", in, out, Optional.empty(),
                    List.of(), Limits.DEFAULT, Duration.ofSeconds(10)));
            if (exit != 0) {
                return new Availability(Optional.empty(), "bubblewrap cannot start a program here (exit code " + exit
                        + "); user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone)");
            }
        } catch (IOException | SandboxException e) {
            return new Availability(Optional.empty(), "bubblewrap cannot start a program here: " + e.getMessage());
        } finally {
            deleteQuietly(probe);
        }
        LOG.info("programs run in bubblewrap{}", root ? " as user " + SANDBOX_UID : "");
        return new Availability(Optional.of(sandbox), "");
    }

    /**
     * Kills the sandboxes a previous run of this node left running, and returns how many. bwrap's
     * {@code --die-with-parent} should end a run with its node, but one was seen outliving a node
     * killed with SIGKILL, reparented to init, its program still holding decrypted input; so a node
     * starting on this area ends whatever bwrap still names it. Call it before taking up any job.
     */
    public int stopLeftovers() {
        String areaRoot = area.root().toString() + "/";
        try (Stream<ProcessHandle> processes = ProcessHandle.allProcesses()) {
            List<ProcessHandle> bwraps = processes
                    .filter(process -> process.info().command().map(bwrap::equals).orElse(false))
                    .filter(process -> process.info().commandLine().orElse("").contains(areaRoot))
                    .toList();
            // A sandbox is an outer bwrap; its namespace's init is a bwrap too, and goes with it.
            List<ProcessHandle> left = bwraps.stream()
                    .filter(process -> process.parent().map(parent -> !bwraps.contains(parent)).orElse(true))
                    .toList();
            left.forEach(process -> {
                LOG.warn("stopping a sandbox a previous run of this node left running (pid {})", process.pid());
                Supervision.kill(process);
            });
            return left.size();
        }
    }

    /** A probed sandbox, or why there is none. */
    public record Availability(Optional<Bubblewrap> sandbox, String unavailableReason) {}

    @Override
    public String type() {
        return "bubblewrap";
    }

    @Override
    public SandboxArea area() {
        return area;
    }

    @Override
    public List<String> commandLine(Launch launch) {
        Limits limits = launch.limits();
        List<String> command = new ArrayList<>(List.of(prlimit,
                "--as=" + limits.memoryBytes(),
                "--nproc=" + processLimit(limits.processes()),
                "--nofile=" + limits.openFiles(),
                "--fsize=" + limits.outputBytes(),
                // A core dump would write the decrypted data the program holds to disk.
                "--core=0",
                "--"));
        command.addAll(area.asOwner());
        command.addAll(List.of(bwrap,
                "--unshare-all",
                "--die-with-parent",
                // No TIOCSTI on the node's terminal.
                "--new-session",
                "--hostname", "sandbox"));
        switch (launch.root()) {
            case Root.Host host -> hostRoot(command);
            case Root.Image image -> command.addAll(List.of("--ro-bind", image.rootfs().toString(), "/"));
        }
        command.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--size", Long.toString(limits.tmpBytes()), "--tmpfs", "/tmp"));
        command.addAll(List.of("--ro-bind", launch.input().toString(), Launch.INPUT));
        command.addAll(List.of("--bind", launch.output().toString(), Launch.OUTPUT));
        launch.sealed().ifPresent(sealed -> command.addAll(List.of("--bind", sealed.toString(), Launch.SEALED)));
        for (Mount mount : launch.mounts()) {
            command.addAll(List.of("--ro-bind", mount.source().toString(), mount.target()));
        }
        // The host view's root is bwrap's own tmpfs: made read-only once every mount point is in it.
        command.addAll(List.of("--remount-ro", "/", "--chdir", launch.workingDir(), "--"));
        command.addAll(launch.command());
        return List.copyOf(command);
    }

    @Override
    public int run(Launch launch) {
        area.adopt(launch.output());
        launch.sealed().ifPresent(area::adopt);
        // The environment, not --setenv, carries the variables: a command line is readable by every
        // user of the machine (ps), an environment only by its owner. bwrap passes it on as it is.
        return Supervision.run(new ProcessBuilder(commandLine(launch)), launch.environment(), launch);
    }

    /** This machine's runtime, read-only: merged-/usr links stay links, real directories are bound. */
    private static void hostRoot(List<String> command) {
        for (String top : HOST_TOP_LEVEL) {
            Path path = Path.of(top);
            if (Files.isSymbolicLink(path)) {
                try {
                    command.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), top));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the link " + top, e);
                }
            } else if (Files.isDirectory(path)) {
                command.addAll(List.of("--ro-bind", top, top));
            }
        }
        for (String file : HOST_ETC) {
            if (Files.exists(Path.of(file))) {
                command.addAll(List.of("--ro-bind", file, file));
            }
        }
    }

    /**
     * RLIMIT_NPROC counts every process and thread of the real user. A root node's runs have a user
     * of their own; a node that is not root shares its user with its runs, so its own threads (and
     * its user's other processes), counted once when the sandbox was probed, plus room for the node
     * to grow, are added to the program's allowance. Counted once, so the command line a run gets is
     * the one its attestation states.
     */
    private int processLimit(int processes) {
        return processes + sharedProcesses;
    }

    private static int threadsOfCurrentUser() {
        String uid = Integer.toString(currentUid());
        int threads = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) processes::iterator) {
                if (!dir.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    List<String> status = Files.readAllLines(dir.resolve("status"), StandardCharsets.UTF_8);
                    boolean mine = status.stream().anyMatch(line -> line.startsWith("Uid:") && line.split("\\s+")[1].equals(uid));
                    if (mine) {
                        threads += status.stream().filter(line -> line.startsWith("Threads:"))
                                .mapToInt(line -> Integer.parseInt(line.split("\\s+")[1])).sum();
                    }
                } catch (IOException | RuntimeException gone) {
                    // The process ended while we looked.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot count this user's processes", e);
        }
        return threads;
    }

    /**
     * A root node's area: outside its data dir, which is usually under /root where no other user can
     * pass. One per node, by the hash of its directory; refused if someone else made it first.
     */
    private static SandboxArea rootArea(Path nodeDir, String setpriv) {
        Path base = Files.isDirectory(Path.of("/var/tmp")) ? Path.of("/var/tmp") : Path.of(System.getProperty("java.io.tmpdir"));
        Path root = base.resolve("datacoop-sandbox").resolve(shortHash(nodeDir.toAbsolutePath().normalize().toString()));
        try {
            for (Path dir : List.of(root.getParent(), root)) {
                if (Files.isSymbolicLink(dir)) {
                    throw new IOException(dir + " is a symbolic link");
                }
                if (!Files.isDirectory(dir)) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
                }
                int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                if (owner != 0) {
                    throw new IOException(dir + " belongs to user " + owner + ", not root");
                }
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            }
            Files.writeString(root.resolve(NODE_DIR_FILE), nodeDir.toAbsolutePath().normalize().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the sandbox area " + root, e);
        }
        sweepOrphans(root.getParent());
        return SandboxArea.droppingTo(root, SANDBOX_UID, setpriv);
    }

    /**
     * Deletes the areas of nodes whose directory is gone: the area lives outside the node's directory,
     * so deleting that would otherwise leave its programs, images and any leftover scratch behind.
     */
    private static void sweepOrphans(Path areas) {
        try (Stream<Path> siblings = Files.list(areas)) {
            for (Path area : siblings.toList()) {
                Path owner = area.resolve(NODE_DIR_FILE);
                try {
                    if (Files.isRegularFile(owner, LinkOption.NOFOLLOW_LINKS) && !Files.exists(Path.of(Files.readString(owner).strip()))) {
                        deleteQuietly(area);
                    }
                } catch (IOException | RuntimeException e) {
                    // Another node's area, being made or swept right now: leave it.
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot sweep old sandbox areas in {}: {}", areas, e.toString());
        }
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isRoot() {
        return currentUid() == 0;
    }

    private static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell which user this node runs as", e);
        }
    }

    static Optional<String> tool(String name) {
        return TOOL_DIRS.stream()
                .map(dir -> Path.of(dir, name))
                .filter(path -> Files.isRegularFile(path) && Files.isExecutable(path))
                .map(Path::toString)
                .findFirst();
    }

    private static void deleteQuietly(Path dir) {
        try {
            Trees.delete(dir);
        } catch (UncheckedIOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.getMessage());
        }
    }

}
