package org.datacoop.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

    SandboxArea(Path root, OptionalInt owner) {
        this.root = root.toAbsolutePath().normalize();
        this.owner = owner;
    }

    /** An area for a node whose runs keep its own user: the node's directory. */
    public static SandboxArea sameUser(Path nodeDir) {
        return new SandboxArea(nodeDir, OptionalInt.empty());
    }

    public Path root() {
        return root;
    }

    /** The user runs drop to, if they drop to one. */
    public OptionalInt owner() {
        return owner;
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
