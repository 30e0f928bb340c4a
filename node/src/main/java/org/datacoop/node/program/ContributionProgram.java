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

    /** The env vars and secrets the program declares it needs: a job waits for its owner to send them. */
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
}
