package org.datacoop.node.job;

import java.util.ArrayList;
import java.util.List;
import org.datacoop.chain.JobRequestDigest;
import org.datacoop.node.job.ValidatorNode.RequestRefused;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ProofRequest;

/**
 * Who may give a job what over HTTP. Env vars reach the program, secrets are opened for it and the
 * nonce is signed into the attestation, so they are taken only from the file's on-chain owner, by
 * an EIP-712 signature ({@link JobRequestDigest}) bound to the job, the file and the deployment. A
 * key (and its seed) is still taken from anyone, as a hint: one that does not open the file is
 * dropped. Once a signed request is recorded, only the same signer with a higher nonce replaces it,
 * so neither a stranger nor a replay of an older signed request can undo the owner's latest.
 */
final class RequestAuthority {
    private RequestAuthority() {}

    /**
     * The owner who signed {@code request}, or null for an unsigned request that carries no more
     * than a key and a seed.
     *
     * @param signature r, s, v (65 bytes); null when the request is unsigned
     * @throws RequestRefused 403 naming why: fields that need the owner's signature without one, or
     *     a signature that is not the owner's over exactly this request on this deployment
     */
    static Address authorize(ProofRequest request, byte[] signature, long chainId, Address teePool, Address owner) {
        if (signature == null) {
            if (request.setsOwnerFields()) {
                throw new RequestRefused(403, String.join(", ", ownerFields(request)) + " of job " + request.jobId()
                        + " are taken only from a request signed by the file's owner " + owner
                        + " (field signature: EIP-712 JobRequest); this one is unsigned. Send the key alone, or have the owner sign");
            }
            return null;
        }
        if (request.nonce() == null || request.nonce() < 0) {
            throw new RequestRefused(400, "a signed request needs a nonce (an integer of 0 or more, higher than any before)");
        }
        Address signer;
        try {
            signer = JobRequestDigest.signer(chainId, teePool, request, signature);
        } catch (IllegalArgumentException e) {
            throw new RequestRefused(403, "the signature recovers to no key: " + e.getMessage());
        }
        if (!signer.equals(owner)) {
            throw new RequestRefused(403, "the signature is by " + signer + ", not by the file's owner " + owner
                    + " (a signature over another job, file, nonce, chain, TeePool or other values recovers to another address)");
        }
        return signer;
    }

    /**
     * Refuses (403) {@code incoming} for job {@code jobId} when it may not replace {@code recorded}:
     * a signed request stays until its signer sends one with a higher nonce, and a caller's key until
     * it has been tried.
     */
    static void requireMayReplace(long jobId, JobRequest recorded, JobRequest incoming) {
        if (recorded.signedBy() == null) {
            // A stranger's request must not drop or swap a caller's key before the node has tried it.
            if (incoming.signedBy() == null && recorded.wrappedKey() != null) {
                throw new RequestRefused(409, "job " + jobId + " holds a caller's key not yet tried; an unsigned request "
                        + "cannot replace it (the file's owner can, with a signed one)");
            }
            return;
        }
        if (incoming.signedBy() == null) {
            throw new RequestRefused(403, "job " + jobId + " holds a request signed by the file's owner " + recorded.signedBy()
                    + " (nonce " + recorded.nonce() + "); an unsigned request cannot replace it");
        }
        if (!incoming.signedBy().equals(recorded.signedBy())) {
            throw new RequestRefused(403, "job " + jobId + " holds a request signed by " + recorded.signedBy()
                    + "; one signed by " + incoming.signedBy() + " cannot replace it");
        }
        if (incoming.nonce() <= recorded.nonce()) {
            throw new RequestRefused(403, "job " + jobId + " holds the owner's request with nonce " + recorded.nonce()
                    + "; only one with a higher nonce replaces it, and this one has nonce " + incoming.nonce());
        }
    }

    private static List<String> ownerFields(ProofRequest request) {
        List<String> fields = new ArrayList<>();
        if (!request.envVars().isEmpty()) {
            fields.add("env_vars");
        }
        if (!request.secrets().isEmpty()) {
            fields.add("secrets");
        }
        if (request.nonce() != null) {
            fields.add("nonce");
        }
        return fields;
    }
}
