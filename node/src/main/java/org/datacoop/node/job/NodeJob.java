package org.datacoop.node.job;


/**
 * One job as this node knows it: what it is, where it is in {@link JobState}, and what came of it.
 * Immutable; every change is a new value written to the {@link JobJournal}.
 *
 * @param reason why it failed or was closed, in words a contributor reads; null otherwise
 * @param result filled once the program judged the file
 * @param binding the file's data hash bound to its owner, once the file was proved valid; null before,
 *     for an invalid file, and in journals written before bindings existed
 */
public record NodeJob(
        long jobId,
        long fileId,
        long dlpId,
        JobState state,
        String reason,
        JobRequest request,
        Result result,
        long updatedAtMillis,
        Binding binding) {
    /** What the job produced: the verdict, the attestation's url, and the proof's place on-chain. */
    public record Result(boolean valid, double score, String proofUrl, Long proofIndex, String txHash) {}

    /**
     * The binding the enclave signed for the ownership registry, journaled before it is sent so a
     * restart or an unreachable chain does not lose it.
     *
     * @param dataHash the keyed hash of the plaintext, 0x-hex
     * @param boundAt the enclave's time of signing, in seconds since the epoch
     * @param signature the enclave's signature of the binding's EIP-712 digest, 0x-hex
     * @param recorded whether the registry holds it
     * @param txHash the transaction that recorded it; null when this node did not see it land (a lost receipt)
     * @param refused why the registry refused it (the proof stands); null unless it did
     */
    public record Binding(String dataHash, String owner, long boundAt, String signature, boolean recorded, String txHash,
            String refused) {
        public static Binding signed(String dataHash, String owner, long boundAt, String signature) {
            return new Binding(dataHash, owner, boundAt, signature, false, null, null);
        }

        public boolean pending() {
            return !recorded && refused == null;
        }

        public Binding recordedIn(String tx) {
            return new Binding(dataHash, owner, boundAt, signature, true, tx, null);
        }

        public Binding refusedFor(String why) {
            return new Binding(dataHash, owner, boundAt, signature, false, null, why);
        }
    }

    public static NodeJob queued(long jobId, long fileId, long dlpId, JobRequest request) {
        return new NodeJob(jobId, fileId, dlpId, JobState.QUEUED, null, request, null, System.currentTimeMillis(), null);
    }

    /** This job in {@code next}; refuses a move the transition table does not allow. */
    public NodeJob moveTo(JobState next, String why) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("job " + jobId + " cannot go from " + state + " to " + next);
        }
        return new NodeJob(jobId, fileId, dlpId, next, why, request, result, System.currentTimeMillis(), binding);
    }

    public NodeJob moveTo(JobState next) {
        return moveTo(next, null);
    }

    public NodeJob withResult(Result newResult) {
        return new NodeJob(jobId, fileId, dlpId, state, reason, request, newResult, System.currentTimeMillis(), binding);
    }

    public NodeJob withRequest(JobRequest newRequest) {
        return new NodeJob(jobId, fileId, dlpId, state, reason, newRequest, result, System.currentTimeMillis(), binding);
    }

    public NodeJob withBinding(Binding newBinding) {
        return new NodeJob(jobId, fileId, dlpId, state, reason, request, result, System.currentTimeMillis(), newBinding);
    }
}
