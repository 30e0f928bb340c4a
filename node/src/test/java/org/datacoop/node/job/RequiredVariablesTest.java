package org.datacoop.node.job;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.datacoop.node.program.ContributionProgram;
import org.datacoop.node.program.ProgramResults;
import org.datacoop.node.program.ProgramRun;
import org.junit.jupiter.api.Test;

class RequiredVariablesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(600);
    private static final Duration POLL = Duration.ofMillis(100);

    /** A program that needs an API key and a mode, and is never run here. */
    private static final class NeedsVariables implements ContributionProgram {
        @Override
        public ProgramResults run(ProgramRun run) {
            throw new AssertionError("a job without its variables must not run its program");
        }

        @Override
        public Set<String> requiredVariables() {
            return Set.of("API_KEY", "MODE");
        }
    }

    @Test
    void aProgramThatNeedsNothingRunsOnARequestWithNothing() {
        ContributionProgram plain = run -> {
            throw new AssertionError("not run here");
        };
        assertThatCode(() -> await(plain, JobRequest.FROM_CHAIN, Instant.now().minusSeconds(1))).doesNotThrowAnyException();
    }

    @Test
    void aJobWaitsWithItsWorkerFreedUntilItsVariablesArrive() {
        JobRequest onlyMode = signed(Map.of("MODE", "strict"), Map.of());
        assertThatThrownBy(() -> await(new NeedsVariables(), onlyMode, Instant.now().plusSeconds(60)))
                .isInstanceOfSatisfying(RetryLater.class, retry -> {
                    org.assertj.core.api.Assertions.assertThat(retry.fault()).isFalse();
                    // a request bringing them wakes the job; until then it looks again now and then, not every poll
                    org.assertj.core.api.Assertions.assertThat(retry.delay()).isEqualTo(Duration.ofSeconds(30));
                });
        assertThatThrownBy(() -> await(new NeedsVariables(), onlyMode, Instant.now().plusSeconds(5)))
                .isInstanceOfSatisfying(RetryLater.class, retry -> org.assertj.core.api.Assertions.assertThat(retry.delay())
                        .isBetween(POLL, Duration.ofSeconds(5)));
    }

    @Test
    void envVarsAndSecretsBothSupplyVariables() {
        JobRequest both = signed(Map.of("MODE", "strict"), Map.of("API_KEY", "0a0b"));
        assertThatCode(() -> await(new NeedsVariables(), both, Instant.now().plusSeconds(60))).doesNotThrowAnyException();
    }

    @Test
    void pastTheJobTimeoutTheJobFailsNamingTheMissingVariables() {
        JobRequest onlyMode = signed(Map.of("MODE", "strict"), Map.of());
        assertThatThrownBy(() -> await(new NeedsVariables(), onlyMode, Instant.now().minusSeconds(1)))
                .isInstanceOf(JobFailure.class)
                .hasMessage("the program of DataDAO 4 needs API_KEY, which no request signed by the file's owner supplied "
                        + "within 600 s of the job's request");
        assertThatThrownBy(() -> await(new NeedsVariables(), JobRequest.FROM_CHAIN, Instant.now().minusSeconds(1)))
                .isInstanceOf(JobFailure.class)
                .hasMessageContaining("needs API_KEY, MODE,");
    }

    private static void await(ContributionProgram program, JobRequest request, Instant deadline) {
        RequiredVariables.await(program, 4, request, deadline, TIMEOUT, POLL);
    }

    private static JobRequest signed(Map<String, String> env, Map<String, String> secrets) {
        return new JobRequest("RunProof", 1L, null, env, secrets, null, "0x" + "ab".repeat(20));
    }
}
