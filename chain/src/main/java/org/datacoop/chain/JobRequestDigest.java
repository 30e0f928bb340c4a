package org.datacoop.chain;

import static org.datacoop.chain.Eip712.keccak;
import static org.datacoop.chain.Eip712.uint;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.TreeMap;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ProofRequest;
import org.web3j.crypto.Hash;

/**
 * The EIP-712 digest a file's owner signs to give a validator's job its env vars, secrets, nonce
 * and key over {@code /RunProof} or {@code /proof}. The domain is the TeePool's ({@code DataCoop
 * TeePool}, version 1, chain id, TeePool address), so a signature is good on one deployment only;
 * the job and file ids bind it to one job, and the nonce orders the owner's requests. The struct:
 *
 * <pre>
 * JobRequest(uint256 jobId,uint256 fileId,uint256 nonce,string encryptionSeed,string encryptionKey,
 *            string encryptedEncryptionKey,Variable[] envVars,Variable[] secrets)
 * Variable(string name,string value)
 * </pre>
 *
 * Strings are as sent ({@code ""} for a field not sent); {@code envVars} and {@code secrets} are
 * sorted by name (names are ASCII letters, digits and {@code _}), a secret's value being its wrapped hex as sent. Any wallet's
 * {@code eth_signTypedData_v4} computes the same digest.
 *
 * <p>The validator answers a request carrying a nonce with its own signature of the {@link
 * #receipt} on the same domain, so that the caller can check that the validator the chain assigned
 * to the job took the request (Vana's "nonce echoed back signed"):
 *
 * <pre>
 * JobRequestReceipt(uint256 jobId,uint256 fileId,uint256 nonce,address validator)
 * </pre>
 */
public final class JobRequestDigest {
    public static final String VARIABLE_TYPE = "Variable(string name,string value)";
    public static final String TYPE = "JobRequest(uint256 jobId,uint256 fileId,uint256 nonce,string encryptionSeed,"
            + "string encryptionKey,string encryptedEncryptionKey,Variable[] envVars,Variable[] secrets)" + VARIABLE_TYPE;
    private static final byte[] TYPEHASH = keccak(TYPE);
    private static final byte[] VARIABLE_TYPEHASH = keccak(VARIABLE_TYPE);
    public static final String RECEIPT_TYPE = "JobRequestReceipt(uint256 jobId,uint256 fileId,uint256 nonce,address validator)";
    private static final byte[] RECEIPT_TYPEHASH = keccak(RECEIPT_TYPE);

    private JobRequestDigest() {}

    /**
     * The 32-byte digest (raw, no EIP-191 prefix) of {@code request} on the deployment of
     * {@code teePool} on chain {@code chainId}.
     *
     * @throws IllegalArgumentException when the request has no nonce: a signed request needs one
     */
    public static byte[] of(long chainId, Address teePool, ProofRequest request) {
        if (request.nonce() == null || request.nonce() < 0) {
            throw new IllegalArgumentException("a signed request needs a nonce of 0 or more");
        }
        return Eip712.digest("DataCoop TeePool", chainId, teePool.value(),
                TYPEHASH,
                uint(request.jobId()),
                uint(request.fileId()),
                uint(request.nonce()),
                keccak(orEmpty(request.encryptionSeed())),
                keccak(orEmpty(request.encryptionKey())),
                keccak(orEmpty(request.encryptedEncryptionKey())),
                variables(request.envVars()),
                variables(request.secrets()));
    }

    /** The address whose key signed {@code request} ({@code signature}: r, s, v; 65 bytes). */
    public static Address signer(long chainId, Address teePool, ProofRequest request, byte[] signature) {
        return Wallet.addressOf(Wallet.signerPublicKeyOfDigest(of(chainId, teePool, request), signature));
    }

    /**
     * The 32-byte digest (raw, no EIP-191 prefix) {@code validator} signs to answer the request
     * with {@code nonce} for job {@code jobId} of file {@code fileId}.
     */
    public static byte[] receipt(long chainId, Address teePool, long jobId, long fileId, long nonce, Address validator) {
        if (nonce < 0) {
            throw new IllegalArgumentException("a nonce is 0 or more, not " + nonce);
        }
        return Eip712.digest("DataCoop TeePool", chainId, teePool.value(),
                RECEIPT_TYPEHASH, uint(jobId), uint(fileId), uint(nonce), Eip712.address(validator.value()));
    }

    /**
     * The address whose key signed the {@link #receipt} of {@code validator} ({@code signature}:
     * r, s, v; 65 bytes); {@code validator} itself when the answer is genuine.
     */
    public static Address receiptSigner(long chainId, Address teePool, long jobId, long fileId, long nonce, Address validator,
            byte[] signature) {
        return Wallet.addressOf(Wallet.signerPublicKeyOfDigest(receipt(chainId, teePool, jobId, fileId, nonce, validator),
                signature));
    }

    /** EIP-712's encoding of a {@code Variable[]}: keccak-256 of the struct hashes, in name order. */
    private static byte[] variables(Map<String, String> variables) {
        ByteArrayOutputStream hashes = new ByteArrayOutputStream();
        new TreeMap<>(variables).forEach((name, value) ->
                hashes.writeBytes(Hash.sha3(Eip712.concat(VARIABLE_TYPEHASH, keccak(name), keccak(value)))));
        return Hash.sha3(hashes.toByteArray());
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
