package org.datacoop.node.job;

import java.util.Map;

/**
 * What a caller added to a job over HTTP ({@code /RunProof}, {@code /proof}); a job found on-chain
 * alone has {@link #FROM_CHAIN}. Journaled as it is: a key is only ever kept wrapped to a key of
 * this validator's, and secrets stay wrapped until the enclave opens them for the program. Env
 * vars, secrets and a nonce come only from a request the file's owner signed ({@link #signedBy});
 * an unsigned request gives a key at most, a hint: the file's key shared on-chain by its owner
 * comes first, and a key that fails to open the file is dropped, never failing the job.
 *
 * @param source {@code chain}, {@code RunProof} or {@code proof}
 * @param nonce echoed, signed, in the attestation; orders the owner's signed requests
 * @param encryptionSeed the seed the contributor signed, recorded in the attestation subject
 * @param envVars given to the program as environment variables
 * @param wrappedSecrets name to RSA-OAEP-wrapped hex value; opened inside the enclave only
 * @param wrappedKey the file password wrapped to this validator, hex; null when none was sent
 * @param signedBy the address ({@code 0x}, lowercase) of the file's owner when it signed this
 *     request; null for an unsigned one
 */
public record JobRequest(
        String source,
        Long nonce,
        String encryptionSeed,
        Map<String, String> envVars,
        Map<String, String> wrappedSecrets,
        String wrappedKey,
        String signedBy) {
    public static final JobRequest FROM_CHAIN = new JobRequest("chain", null, null, Map.of(), Map.of(), null, null);

    public JobRequest {
        envVars = envVars == null ? Map.of() : Map.copyOf(envVars);
        wrappedSecrets = wrappedSecrets == null ? Map.of() : Map.copyOf(wrappedSecrets);
    }

    /** This request without its key, once the key failed to open the file. */
    public JobRequest withoutKey() {
        return new JobRequest(source, nonce, encryptionSeed, envVars, wrappedSecrets, null, signedBy);
    }

    @Override
    public String toString() {
        return "JobRequest[source=" + source + ", nonce=" + nonce + ", signedBy=" + signedBy + "]"; // no keys, no secrets
    }
}
