package org.datacoop.node.job;


/**
 * One job as this node knows it: what it is, where it is in {@link JobState}, and what came of it.
 * Immutable; every change is a new value written to the {@link JobJournal}.
 *
 * @param reason why it failed or was closed, in words a contributor reads; null otherwise
 * @param result filled once the program judged the file
 */
public record NodeJob(
        long jobId,
        long fileId,
        long dlpId,
        JobState state,
        String reason,
        JobRequest request,
        Result result,
        long updatedAtMillis) {
    /** What the job produced: the verdict, the attestation's url, and the proof's place on-chain. */
    public record Result(boolean valid, double score, String proofUrl, Long proofIndex, String txHash) {}

    public static NodeJob queued(long jobId, long fileId, long dlpId, JobRequest request) {
        return new NodeJob(jobId, fileId, dlpId, JobState.QUEUED, null, request, null, System.currentTimeMillis());
    }

    /** This job in {@code next}; refuses a move the transition table does not allow. */
    public NodeJob moveTo(JobState next, String why) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("job " + jobId + " cannot go from " + state + " to " + next);
        }
        return new NodeJob(jobId, fileId, dlpId, next, why, request, result, System.currentTimeMillis());
    }

    public NodeJob moveTo(JobState next) {
        return moveTo(next, null);
    }

    public NodeJob withResult(Result newResult) {
        return new NodeJob(jobId, fileId, dlpId, state, reason, request, newResult, System.currentTimeMillis());
    }

    public NodeJob withRequest(JobRequest newRequest) {
        return new NodeJob(jobId, fileId, dlpId, state, reason, newRequest, result, System.currentTimeMillis());
    }
}
