package org.datacoop.node.enclave;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.datacoop.sandbox.SandboxArea;
import org.datacoop.sandbox.Trees;

/**
 * One job's scratch space inside the enclave: the encrypted download, the decrypted input the
 * program reads, and the program's output. Readable by the node's user (and, when programs run as a
 * user of their own, by that user, which only ever sees it through its sandbox) only; deleted, with
 * everything in it, on {@link #close}.
 */
public final class Workspace implements AutoCloseable {
    private final Path root;

    private Workspace(Path root) {
        this.root = root;
    }

    /** A workspace in {@code area}'s scratch directory, given to the sandbox's user so its runs can reach it. */
    static Workspace create(SandboxArea area, long jobId) {
        Path parent = area.directory("scratch");
        try {
            Path root = Files.createTempDirectory(parent, "job-" + jobId + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            area.adopt(root);
            Files.createDirectory(root.resolve("input"));
            Files.createDirectory(root.resolve("output"));
            return new Workspace(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a workspace for job " + jobId + " in " + parent, e);
        }
    }

    /** Where the program reads the decrypted file(s). */
    public Path inputDir() {
        return root.resolve("input");
    }

    /** Where an external program writes {@code results.json}. */
    public Path outputDir() {
        return root.resolve("output");
    }

    /** A file in the workspace outside the program's input and output. */
    public Path file(String name) {
        return root.resolve(name);
    }

    @Override
    public void close() {
        deleteTree(root);
    }

    /** Deletes {@code dir} and everything under it, even directories a program made read-only. */
    public static void deleteTree(Path dir) {
        Trees.delete(dir);
    }
}
