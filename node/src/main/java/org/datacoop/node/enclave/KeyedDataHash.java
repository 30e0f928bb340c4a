package org.datacoop.node.enclave;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The data hash the ownership registry binds: HMAC-SHA256 of the plaintext under a secret of one
 * DataDAO's enclave. A plain SHA-256 of private plaintext would let anyone confirm a guessed file
 * (a form with a few likely values, a known document) against the public registry; keyed, only the
 * enclave can compute it.
 */
final class KeyedDataHash {
    private KeyedDataHash() {}

    /**
     * The {@link Enclave#secret} purpose of DataDAO {@code dlpId}'s data hash key. The key is derived
     * from the enclave's signing key with HKDF-SHA256 rather than kept apart: it is sealed with that key
     * and needs no storage of its own, HKDF's output reveals nothing of the key it came from, and each
     * DataDAO gets an independent one, so hashes cannot be matched across DataDAOs. (Validators of one
     * DataDAO sharing one secret, for duplicates across them, is left for later.)
     */
    static String purpose(long dlpId) {
        return "ownership data hash, DataDAO " + dlpId;
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
