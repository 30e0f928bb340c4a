package org.datacoop.node.enclave;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The data hash the ownership registry binds: HMAC-SHA256 of the plaintext under a secret of one
 * DataDAO's enclave. A plain SHA-256 of private plaintext would let anyone confirm a guessed file
 * (a form with a few likely values, a known document) against the public registry; keyed, only the
 * enclave can compute it.
 */
final class KeyedDataHash {
    private static final byte[] SALT = "DataCoop ownership data hash v1".getBytes(StandardCharsets.US_ASCII);
    private static final int SECRET_BYTES = 32;

    private KeyedDataHash() {}

    /**
     * DataDAO {@code dlpId}'s secret, derived from the enclave's key with HKDF-SHA256 rather than kept
     * apart: it is sealed with the key and needs no storage of its own, HKDF's output reveals nothing of
     * the key it came from, and each DataDAO gets an independent one, so hashes cannot be matched across
     * DataDAOs. (Validators of one DataDAO sharing one secret, for duplicates across them, is left.)
     */
    static byte[] secret(byte[] enclaveKey, long dlpId) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(enclaveKey, SALT, ("dlp:" + dlpId).getBytes(StandardCharsets.US_ASCII)));
        byte[] secret = new byte[SECRET_BYTES];
        hkdf.generateBytes(secret, 0, secret.length);
        return secret;
    }

    /** HMAC-SHA256 of {@code plaintext}'s bytes under {@code secret}, read in a stream. */
    static byte[] of(byte[] secret, Path plaintext) throws IOException {
        Mac mac;
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
        try (InputStream in = Files.newInputStream(plaintext)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                mac.update(buffer, 0, n);
            }
        }
        return mac.doFinal();
    }
}
