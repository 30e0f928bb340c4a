package org.datacoop.sdk.contribute;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import org.datacoop.chain.JobRequestDigest;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ProofRequest;

/**
 * Vana's {@code POST /RunProof} body for a request signed by the file's owner: the request's
 * fields plus {@code signature}, the wallet's EIP-712 signature ({@link JobRequestDigest}) on the
 * deployment of {@code teePool}. Only such a request can give a job env vars, secrets or a nonce.
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
        body.put("signature", "0x" + HexFormat.of().formatHex(owner.signDigest(JobRequestDigest.of(chainId, teePool, request))));
        return body.toString();
    }

    private static void putIfSent(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }
}
