package org.datacoop.node.program;

import java.util.Set;

/**
 * A DataDAO's proof-of-contribution program: judges the decrypted file(s) of one job. Runs inside
 * the enclave's scratch workspace; never sees the network or keys.
 */
public interface ContributionProgram {
    /** Judges {@code run}'s input; throws {@link ProgramException} when the program itself fails. */
    ProgramResults run(ProgramRun run);

    /**
     * Names of the env vars or secrets this program cannot run without (an API key, a mode): a job
     * waits for a request signed by the file's owner that supplies them, as it waits for a key, and
     * fails naming them after the job timeout. None by default.
     */
    default Set<String> requiredVariables() {
        return Set.of();
    }
}
