package org.datacoop.node.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.datacoop.node.program.ContributionProgram;

/**
 * A job whose program declares variables it needs ({@link ContributionProgram#requiredVariables})
 * does not run without them: it waits, its worker freed, for a request of the file's owner that
 * supplies them (as env vars or secrets), and fails naming the missing ones after the job timeout.
 * Running without them would prove the file with a program that could not judge it.
 */
final class RequiredVariables {
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private RequiredVariables() {}

    /**
     * Returns when {@code request} supplies every variable {@code program} needs.
     *
     * @param deadline when the job stops waiting (its request on-chain plus the job timeout)
     * @throws RetryLater to look again before the deadline (a request supplying them wakes the job sooner)
     * @throws JobFailure naming the missing variables, after it
     */
    static void await(ContributionProgram program, long dlpId, JobRequest request, Instant deadline, Duration timeout,
            Duration poll) {
        Set<String> missing = new TreeSet<>(program.requiredVariables());
        missing.removeAll(request.envVars().keySet());
        missing.removeAll(request.wrappedSecrets().keySet());
        if (missing.isEmpty()) {
            return;
        }
        if (Instant.now().isAfter(deadline)) {
            throw new JobFailure("the program of DataDAO " + dlpId + " needs " + String.join(", ", missing)
                    + ", which no request signed by the file's owner supplied within " + timeout.toSeconds()
                    + " s of the job's request");
        }
        // A request that brings them wakes the job at once; until then a look now and then (a cancel on-chain) will do.
        Duration untilDeadline = Duration.between(Instant.now(), deadline);
        Duration wait = untilDeadline.compareTo(MAX_WAIT) < 0 ? untilDeadline : MAX_WAIT;
        throw new RetryLater(wait.compareTo(poll) > 0 ? wait : poll, "waiting for the variables the program needs", false);
    }
}
