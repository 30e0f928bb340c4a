package org.datacoop.node.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;

/**
 * What a caller added to a job over HTTP ({@code /RunProof}, {@code /proof}); a job found on-chain
 * alone has {@link #FROM_CHAIN}. Kept in the journal except {@code plainKey}, a secret.
 *
 * @param source {@code chain}, {@code RunProof} or {@code proof}
 * @param nonce echoed, signed, in the attestation
 * @param encryptionSeed the seed the contributor signed, recorded in the attestation subject
 * @param programUrl where the caller says the program is; its digest must still match the DataDAO's
 * @param envVars given to the program as environment variables
 * @param wrappedSecrets name to RSA-OAEP-wrapped hex value; opened inside the enclave only
 * @param wrappedKey the file password wrapped to this validator, hex
 * @param plainKey the file password itself (Vana's {@code encryption_key}); never journaled
 */
public record JobRequest(
        String source,
        Long nonce,
        String encryptionSeed,
        String programUrl,
        Map<String, String> envVars,
        Map<String, String> wrappedSecrets,
        String wrappedKey,
        @JsonIgnore String plainKey) {
    public static final JobRequest FROM_CHAIN = new JobRequest("chain", null, null, null, Map.of(), Map.of(), null, null);

    public JobRequest {
        envVars = envVars == null ? Map.of() : Map.copyOf(envVars);
        wrappedSecrets = wrappedSecrets == null ? Map.of() : Map.copyOf(wrappedSecrets);
    }

    @Override
    public String toString() {
        return "JobRequest[source=" + source + ", nonce=" + nonce + "]"; // no keys, no secrets
    }
}
