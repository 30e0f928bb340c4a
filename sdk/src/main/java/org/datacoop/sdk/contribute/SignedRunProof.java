package org.datacoop.sdk.contribute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.datacoop.chain.JobRequestDigest;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.ProofRequest;

/**
 * Vana's {@code POST /RunProof} body for a request signed by the file's owner: the request's
 * fields plus {@code signature}, the wallet's EIP-712 signature ({@link JobRequestDigest}) on the
 * deployment of {@code teePool}. Only such a request can give a job env vars, secrets or a nonce.
 * The validator's answer is checked with {@link #requireSignedBy}.
 */
public final class SignedRunProof {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SignedRunProof() {}

    /** The JSON body of {@code request} signed by {@code owner}; it holds the request's values, so it is not to be logged. */
    public static String body(ProofRequest request, Wallet owner, long chainId, Address teePool) {
        ObjectNode body = JSON.createObjectNode();
        body.put("job_id", request.jobId());
        body.put("file_id", request.fileId());
        body.put("nonce", request.nonce());
        putIfSent(body, "encryption_seed", request.encryptionSeed());
        putIfSent(body, "encryption_key", request.encryptionKey());
        putIfSent(body, "encrypted_encryption_key", request.encryptedEncryptionKey());
        request.envVars().forEach(body.putObject("env_vars")::put);
        request.secrets().forEach(body.putObject("secrets")::put);
        body.put("signature", Hex.prefixed(owner.signDigest(JobRequestDigest.of(chainId, teePool, request))));
        return body.toString();
    }

    /**
     * Checks the validator's answer to {@code request} (sent with {@link #body}): its {@code
     * signed_nonce} must be {@code validator}'s signature of the request's receipt ({@link
     * JobRequestDigest#receipt}), {@code validator} being the job's validator on-chain. Anything at
     * the validator's url can answer 200; only the validator's key can sign.
     *
     * @throws IllegalArgumentException saying what is wrong with the answer
     */
    public static void requireSignedBy(Address validator, String answer, ProofRequest request, long chainId, Address teePool) {
        JsonNode signed;
        try {
            signed = JSON.readTree(answer).path("signed_nonce");
        } catch (IOException e) {
            throw new IllegalArgumentException("the answer is not JSON");
        }
        if (!signed.isTextual() || !signed.asText().matches("0x[0-9a-fA-F]{130}")) {
            throw new IllegalArgumentException("the answer carries no signed_nonce (0x and 65 bytes of hex)");
        }
        byte[] signature = Hex.bytes(signed.asText());
        Address signer;
        try {
            signer = JobRequestDigest.receiptSigner(chainId, teePool, request.jobId(), request.fileId(), request.nonce(),
                    validator, signature);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("its signed_nonce is not a valid signature");
        }
        if (!signer.equals(validator)) {
            throw new IllegalArgumentException("its signed_nonce is signed by " + signer + ", not by " + validator);
        }
    }

    private static void putIfSent(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }
}
