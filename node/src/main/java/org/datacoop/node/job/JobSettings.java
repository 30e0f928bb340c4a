package org.datacoop.node.job;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import org.datacoop.sandbox.Limits;

/**
 * How a node runs jobs.
 *
 * @param maxFileBytes the largest encrypted file it downloads; a larger one fails its job
 * @param jobTimeout how long after its request a job may wait for the contributor's key; past it
 *     the job fails on-chain and the fee can be refunded
 * @param programTimeout how long one program run may take
 * @param workers jobs processed at once
 * @param pollInterval how often the chain is asked for new jobs and keys
 * @param maxDocumentBytes the largest document a built-in program reads into memory; a larger one
 *     fails its job as too large
 * @param programLimits what one sandboxed program run may use (memory, processes, files, output, /tmp)
 * @param unsafeNoSandbox run external programs without a sandbox when this machine has none (they then
 *     see the node's keys; every attestation says so); without it such a node runs only built-in programs
 * @param dishonestOpStep for tests of optimistic (OP) disputes only, and only on the devnet chain (the
 *     validator refuses it on any other): this node's OP traces are corrupted from this state on, so as a
 *     worker it proposes a wrong result and as a challenger it disputes right ones
 */
public record JobSettings(long maxFileBytes, Duration jobTimeout, Duration programTimeout, int workers, Duration pollInterval,
        long maxDocumentBytes, Limits programLimits, boolean unsafeNoSandbox, OptionalInt dishonestOpStep) {
    /** How much a file may expand when decrypted (OpenPGP compression) or unzipped: a bomb stops there. */
    private static final long DECRYPTED_PER_ENCRYPTED = 4;

    /**
     * Jobs at once, by default: a small job spends most of its time waiting on the chain (reads, its
     * proof's receipt), not on a core, so a few per core keep the cores busy. Not more: a root node's
     * programs all run as one sandbox user, whose process limit (RLIMIT_NPROC counts a user's
     * processes) they share, so 16 runs of a shell and a child (with bwrap's own, about 4 processes
     * each) reached the 64 and failed to fork; 8 per core also measured no faster than 4 workers.
     */
    private static final int DEFAULT_WORKERS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    // 16 MiB of JSON can take several hundred MiB as a tree (a node per `0,`), and several jobs run at once.
    public static final JobSettings DEFAULT = new JobSettings(1L << 30, Duration.ofMinutes(10), Duration.ofMinutes(2),
            DEFAULT_WORKERS, Duration.ofMillis(100), 16L << 20, Limits.DEFAULT, false, OptionalInt.empty());

    public JobSettings {
        if (maxFileBytes < 1 || maxFileBytes > Long.MAX_VALUE / DECRYPTED_PER_ENCRYPTED) {
            throw new IllegalArgumentException("the file limit must be between 1 and "
                    + Long.MAX_VALUE / DECRYPTED_PER_ENCRYPTED + " bytes, not " + maxFileBytes);
        }
        if (maxDocumentBytes < 1) {
            throw new IllegalArgumentException("the document limit must be at least 1 byte, not " + maxDocumentBytes);
        }
        if (workers < 1 || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("a node needs at least one worker and a positive poll interval");
        }
        Objects.requireNonNull(programLimits, "programLimits");
        if (dishonestOpStep.isPresent() && dishonestOpStep.getAsInt() < 1) {
            throw new IllegalArgumentException("--dishonest-op-step must be at least 1 (state 0 is the task's inputs),"
                    + " not " + dishonestOpStep.getAsInt());
        }
    }

    /** The most bytes a file may decrypt or unpack to. */
    public long maxDecryptedBytes() {
        return maxFileBytes * DECRYPTED_PER_ENCRYPTED;
    }

    public JobSettings withMaxFileBytes(long bytes) {
        return new JobSettings(bytes, jobTimeout, programTimeout, workers, pollInterval, maxDocumentBytes, programLimits,
                unsafeNoSandbox, dishonestOpStep);
    }

    public JobSettings withMaxDocumentBytes(long bytes) {
        return new JobSettings(maxFileBytes, jobTimeout, programTimeout, workers, pollInterval, bytes, programLimits,
                unsafeNoSandbox, dishonestOpStep);
    }

    public JobSettings withTimeouts(Duration job, Duration program) {
        return new JobSettings(maxFileBytes, job, program, workers, pollInterval, maxDocumentBytes, programLimits,
                unsafeNoSandbox, dishonestOpStep);
    }

    public JobSettings withProgramLimits(Limits limits) {
        return new JobSettings(maxFileBytes, jobTimeout, programTimeout, workers, pollInterval, maxDocumentBytes, limits,
                unsafeNoSandbox, dishonestOpStep);
    }

    /** Runs external programs unsandboxed where no sandbox is available: the operator's explicit, attested choice. */
    public JobSettings withUnsafeNoSandbox(boolean unsafe) {
        return new JobSettings(maxFileBytes, jobTimeout, programTimeout, workers, pollInterval, maxDocumentBytes,
                programLimits, unsafe, dishonestOpStep);
    }

    /** Corrupts this node's OP traces from state {@code step} on: a test's dishonest worker or lying challenger. */
    public JobSettings withDishonestOpStep(int step) {
        return new JobSettings(maxFileBytes, jobTimeout, programTimeout, workers, pollInterval, maxDocumentBytes,
                programLimits, unsafeNoSandbox, OptionalInt.of(step));
    }
}
