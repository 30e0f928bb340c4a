package org.datacoop.node.enclave;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Validator;

/**
 * The enclave port: what the job logic needs from the isolated environment it runs in. A hardware
 * TEE (SGX or TDX through Gramine, SEV-SNP, Nitro) is another implementation of this interface: the
 * node runs inside the enclave boundary, its keys are sealed to the enclave's measurement, and
 * {@link #evidence} returns a quote instead of a self-signed statement. Nothing in the job logic
 * changes.
 */
public interface Enclave {
    /** The validator's signing identity: its on-chain address, attestation and proof signatures. */
    Wallet identity();

    /** How this enclave registers in the TeePool, answering at {@code url}. */
    Validator descriptor(String url);

    /** Evidence of what ran, bound to {@code reportData} (the hash of what is being attested). */
    Evidence evidence(byte[] reportData);

    /**
     * Opens a file password wrapped to this enclave: ECIES on its secp256k1 key (Vana), RSA-OAEP
     * with SHA-256 (DataCoop's RSA default) or RSA PKCS#1 v1.5 (LazAI) on its RSA key, told apart by
     * shape. Every failure is the same {@link org.datacoop.protocol.crypto.CryptoException}, so
     * nothing learns which check failed.
     */
    byte[] unwrap(byte[] wrapped);

    /**
     * Opens a program secret wrapped to this enclave's RSA key with RSA-OAEP (SHA-256), the only
     * scheme secrets use (PROTOCOL.md §2). Unlike {@link #unwrap} it never tries PKCS#1 v1.5: a
     * caller learns at once whether a secret opens, and that answer for PKCS#1 v1.5 would be a
     * padding oracle on LazAI-wrapped keys. Every failure is the same {@link
     * org.datacoop.protocol.crypto.CryptoException}.
     */
    byte[] unwrapSecret(byte[] wrapped);

    /**
     * A 32-byte secret of this enclave's for one {@code purpose}, derived from its sealed signing key:
     * the same after every restart, different for every purpose, and never leaving the enclave (e.g.
     * the salts of the commitments it registers, which it needs again to prove anything about them).
     */
    byte[] secret(String purpose);

    /**
     * The keyed hash of the decrypted file {@code plaintext} for DataDAO {@code dlpId}, which the
     * ownership registry binds to its owner: HMAC-SHA256 under this enclave's {@link #secret} for that
     * DataDAO, which never leaves it, so nobody outside can confirm a guess of private content.
     */
    default byte[] dataHash(long dlpId, Path plaintext) throws IOException {
        byte[] secret = secret(KeyedDataHash.purpose(dlpId));
        try {
            return KeyedDataHash.of(secret, plaintext);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** A fresh scratch workspace for one job, wiped when closed. */
    Workspace openWorkspace(long jobId);
}
