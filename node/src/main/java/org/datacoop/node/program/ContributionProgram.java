package org.datacoop.node.program;

import java.util.List;
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

    /** How {@code run} is executed, as the attestation states it. */
    default Execution execution(ProgramRun run) {
        return new Execution("builtin", List.of());
    }

    /**
     * @param sandbox what isolates the program: {@code bubblewrap}, {@code none} (an operator gave it
     *     up) or {@code builtin} (the node's own code, no program of the DataDAO's runs)
     * @param commandLine the whole command line it ran as, its environment left out
     */
    record Execution(String sandbox, List<String> commandLine) {
        public Execution {
            commandLine = List.copyOf(commandLine);
        }
    }

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
