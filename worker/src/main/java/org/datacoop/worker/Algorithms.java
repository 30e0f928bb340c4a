package org.datacoop.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.TaskSpec;
import org.datacoop.compute.Algorithm;
import org.datacoop.compute.AlgorithmDigest;
import org.datacoop.compute.builtin.Builtin;
import org.datacoop.compute.external.ExternalAlgorithm;
import org.datacoop.node.program.ProgramSandbox;
import org.datacoop.protocol.Sha256;
import org.datacoop.protocol.storage.StorageException;
import org.datacoop.sandbox.Limits;
import org.datacoop.sandbox.Sandbox;
import org.datacoop.sandbox.SandboxException;
import org.datacoop.sandbox.image.ImageUnpacker;
import org.datacoop.storage.HttpBlobStore;

/**
 * The algorithm a task names, pinned by the task's digest: a built-in by its descriptor, or a program
 * (an executable, or an OCI or docker image tarball) fetched from the spec's {@code programUrl}, its
 * bytes hashing to the digest, run only in this node's sandbox.
 */
final class Algorithms {
    /** The largest program or image tarball a task may name. */
    static final long MAX_PROGRAM_BYTES = 256L << 20;

    private final ProgramSandbox sandbox;
    private final Limits limits;
    private final Duration timeout;
    private ImageUnpacker images;

    Algorithms(ProgramSandbox sandbox, Limits limits, Duration timeout) {
        this.sandbox = sandbox;
        this.limits = limits;
        this.timeout = timeout;
    }

    /** The task's algorithm; a program is written to {@code programFile} (in the task's workspace). */
    Algorithm of(TaskSpec spec, ComputeChain.Task task, Path programFile) {
        AlgorithmDigest pinned = AlgorithmDigest.parse(task.algorithmDigest());
        var builtin = Builtin.byDescriptor(spec.algorithm());
        if (builtin.isPresent()) {
            if (!builtin.get().digest().equals(pinned)) {
                throw new TaskExecution.Refused("the spec's algorithm " + spec.algorithm() + " is not the task's"
                        + " algorithmDigest " + task.algorithmDigest());
            }
            return builtin.get();
        }
        if (!spec.algorithm().equalsIgnoreCase(pinned.toString())) {
            throw new TaskExecution.Refused("algorithm " + spec.algorithm() + " is neither a built-in (" + Arrays.stream(
                    Builtin.values()).map(Builtin::descriptor).toList() + ") nor the task's algorithmDigest");
        }
        String url = spec.programUrl().orElseThrow(() -> new TaskExecution.Refused("algorithm " + pinned
                + " is a program, and the spec gives no programUrl to fetch it from"));
        Sandbox box = sandbox.sandbox().orElseThrow(() -> new TaskExecution.Refused("this worker cannot run programs: "
                + sandbox.unavailableReason()));
        byte[] program = fetch(url, MAX_PROGRAM_BYTES, "the algorithm's program");
        String digest = HexFormat.of().formatHex(Sha256.of(program));
        if (!digest.equals(pinned.hex())) {
            throw new TaskExecution.Refused("the program at " + url + " has SHA-256 0x" + digest + ", not the task's"
                    + " algorithmDigest " + pinned);
        }
        try {
            Files.write(programFile, program);
            Files.setPosixFilePermissions(programFile, PosixFilePermissions.fromString("r-xr-xr-x"));
            if (ImageUnpacker.isImage(programFile)) {
                return ExternalAlgorithm.image(box, images(box).unpack(programFile, digest), pinned, limits, timeout);
            }
            return ExternalAlgorithm.executable(box, programFile, limits, timeout);
        } catch (SandboxException e) {
            throw new TaskExecution.Refused("the algorithm's image cannot be unpacked: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the algorithm's program", e);
        }
    }

    private synchronized ImageUnpacker images(Sandbox box) {
        if (images == null) {
            images = new ImageUnpacker(box.area());
        }
        return images;
    }

    /** At most {@code limit} bytes from {@code url}; refuses, naming {@code what}, a larger or missing one. */
    static byte[] fetch(String url, long limit, String what) {
        byte[] bytes;
        try (InputStream in = HttpBlobStore.fetch(url)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (StorageException e) {
            if (e.reason() == StorageException.Reason.UNAVAILABLE) {
                throw e; // the gateway may come back: the task is tried again
            }
            throw new TaskExecution.Refused(what + " cannot be fetched from " + url + ": " + e.getMessage());
        } catch (IOException | IllegalArgumentException e) {
            throw new TaskExecution.Refused(what + " cannot be fetched from " + url + ": " + e.getMessage());
        }
        if (bytes.length > limit) {
            throw new TaskExecution.Refused(what + " at " + url + " is larger than " + Limits.describeBytes(limit));
        }
        return bytes;
    }
}
