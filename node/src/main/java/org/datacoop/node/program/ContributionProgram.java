package org.datacoop.node.program;

/**
 * A DataDAO's proof-of-contribution program: judges the decrypted file(s) of one job. Runs inside
 * the enclave's scratch workspace; never sees the network or keys.
 */
public interface ContributionProgram {
    /** Judges {@code run}'s input; throws {@link ProgramException} when the program itself fails. */
    ProgramResults run(ProgramRun run);
}
