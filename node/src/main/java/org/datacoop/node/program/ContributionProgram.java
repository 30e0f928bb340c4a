package org.datacoop.node.program;

/**
 * A DataDAO's proof-of-contribution program: judges the decrypted file(s) of one job. Runs inside
 * the enclave's scratch workspace; never sees the network or keys.
 */
public interface ContributionProgram {
    /** Judges {@code run}'s input; throws {@link ProgramException} when the program itself fails. */
    ProgramResults run(ProgramRun run);

    /**
     * Runs {@code program} on {@code run}, a program that exhausts the node's memory or stack failing
     * as {@link ProgramException.Reason#CRASHED}. Its input is bounded, so exhausting either means
     * this input is pathological for this program: trying again would only do it again, and the
     * error, left to escape, would take the worker's thread with the job still open.
     */
    static ProgramResults judge(ContributionProgram program, ProgramRun run) {
        try {
            return program.run(run);
        } catch (OutOfMemoryError e) {
            throw new ProgramException(ProgramException.Reason.CRASHED, "the program ran out of memory judging the file", e);
        } catch (StackOverflowError e) {
            throw new ProgramException(ProgramException.Reason.CRASHED,
                    "the program ran out of stack judging the file (nested too deeply)", e);
        }
    }
}
