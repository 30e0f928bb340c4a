package org.datacoop.compute;

import java.nio.file.Path;

/**
 * An algorithm a task may name, pinned by {@link #digest()}: a {@link org.datacoop.compute.builtin.Builtin}
 * or an {@link org.datacoop.compute.external.ExternalAlgorithm}. Every one is deterministic: the same
 * input gives the same output bytes, whatever the order of the input's rows.
 */
public interface Algorithm {
    /** What a DataDAO's allowlist must hold for a task to run this. */
    AlgorithmDigest digest();

    /** The algorithm in words, for logs and errors: {@code builtin:logistic-regression/v1}, {@code external:0x...}. */
    String describe();

    /**
     * Runs over {@code input}, writing its result into {@code output}, an existing empty directory.
     * Throws {@link ComputeException} naming what is wrong ({@link Compute#run} then wipes {@code output}).
     */
    void run(TaskInput input, Path output);
}
