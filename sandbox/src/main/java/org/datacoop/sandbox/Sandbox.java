package org.datacoop.sandbox;

import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Where untrusted code runs: a DataDAO's proof-of-contribution program, a refiner, a builder's
 * algorithm. It sees its input, its output and a read-only runtime, never the node's keys, data
 * dir, network or other jobs. {@link Bubblewrap} is the real one; {@link Unsandboxed} exists only
 * for an operator who explicitly gives up isolation, and says so in every attestation.
 */
public interface Sandbox {
    /**
     * Runs {@code launch} to its end and returns its exit code (128 + N when killed by signal N).
     * Throws {@link SandboxException} when it ran out of time or output, or could not start, and
     * {@link CancellationException} (after killing it) when the calling thread is interrupted. In
     * every case nothing it started is left running.
     */
    int run(Launch launch);

    /** The whole command line a launch runs as (no secrets: the environment is not on it), for the attestation. */
    List<String> commandLine(Launch launch);

    /** What isolates runs here, for the attestation: {@code bubblewrap} or {@code none}. */
    String type();

    /** Where everything this sandbox binds must live: reachable by the sandbox's user and no one else's. */
    SandboxArea area();
}
