package org.datacoop.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalInt;

/**
 * Where a node keeps everything its sandbox binds: job workspaces, programs, unpacked images. When
 * runs drop to a user of their own (the node runs as root), that user must be able to reach these
 * directories, so the area's directories are mode 711 (passable, never listable) and what a run
 * reads or writes is given to that user, mode 700. Otherwise the area is simply the node's own
 * directory.
 */
public final class SandboxArea {
    private static final String PASSABLE = "rwx--x--x";
    private static final String PRIVATE = "rwx------";

    private final Path root;
    private final OptionalInt owner;
    private final List<String> asOwner;

    private SandboxArea(Path root, OptionalInt owner, List<String> asOwner) {
        this.root = root.toAbsolutePath().normalize();
        this.owner = owner;
        this.asOwner = List.copyOf(asOwner);
    }

    /** An area for a node whose runs keep its own user: the node's directory. */
    public static SandboxArea sameUser(Path nodeDir) {
        return new SandboxArea(nodeDir, OptionalInt.empty(), List.of());
    }

    /** An area {@code root} whose runs drop to user {@code uid} with {@code setpriv}. */
    static SandboxArea droppingTo(Path root, int uid, String setpriv) {
        return new SandboxArea(root, OptionalInt.of(uid),
                List.of(setpriv, "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--"));
    }

    public Path root() {
        return root;
    }

    /** The user runs drop to, if they drop to one. */
    public OptionalInt owner() {
        return owner;
    }

    /**
     * What runs a command as the user runs drop to ({@code setpriv ... --}), to put before it; empty
     * when they keep the node's user. Everything that reads what a DataDAO supplies runs so.
     */
    public List<String> asOwner() {
        return asOwner;
    }

    /** The area's directory {@code name}, created passable by the sandbox's user. */
    public Path directory(String name) {
        Path dir = root.resolve(name).normalize();
        if (!dir.startsWith(root)) {
            throw new IllegalArgumentException("not a directory of the sandbox area: " + name);
        }
        try {
            createPassable(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** Gives {@code dir} to the sandbox's user (mode 700), so a run can write it and no one else read it. */
    public void adopt(Path dir) {
        if (owner.isEmpty()) {
            return;
        }
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(PRIVATE));
            Files.setAttribute(dir, "unix:uid", owner.getAsInt(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(dir, "unix:gid", owner.getAsInt(), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + dir + " to the sandbox's user", e);
        }
    }

    private void createPassable(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new IOException(dir + " is a symbolic link; refusing to use it for the sandbox");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir);
        }
        if (owner.isPresent()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(PASSABLE));
        }
    }
}
