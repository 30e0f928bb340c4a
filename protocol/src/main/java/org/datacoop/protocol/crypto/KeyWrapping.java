package org.datacoop.protocol.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.datacoop.protocol.Hex;

/**
 * Wraps a file password to a recipient's public key, hex-encoded, in the three layouts the peers
 * use (PROTOCOL.md §2):
 *
 * <ul>
 *   <li>{@link Scheme#RSA_PKCS1} RSA PKCS#1 v1.5, LazAI's; kept for compatibility only, since its
 *       unwrap is a padding oracle (Bleichenbacher, Marvin);
 *   <li>{@link Scheme#RSA_OAEP_SHA256} RSA-OAEP with SHA-256 and MGF1-SHA-256, our default for RSA;
 *   <li>{@link Scheme#RSA_OAEP_SHA1} RSA-OAEP with SHA-1 and MGF1-SHA-1, what LazAI's TypeScript client
 *       sends (alith wraps with node-rsa, whose default scheme this is; LazAI's Python client uses
 *       PKCS#1 v1.5); kept for compatibility;
 *   <li>{@link Scheme#ECIES_SECP256K1} ECIES on secp256k1 in eccrypto's layout, Vana's:
 *       {@code iv(16) || ephemeral public key(65) || AES-256-CBC ciphertext || HMAC-SHA256(32)}.
 * </ul>
 *
 * Every unwrap failure is the same {@link CryptoException} with the same message, so that a
 * caller cannot learn which check failed.
 *
 * <p>The ECIES layout is assembled here from the JDK's AES-CBC and HMAC and Bouncy Castle's curve
 * arithmetic because Bouncy Castle's IES engine uses another key derivation and byte layout.
 */
public final class KeyWrapping {
    public enum Scheme {
        RSA_PKCS1,
        RSA_OAEP_SHA256,
        RSA_OAEP_SHA1,
        ECIES_SECP256K1
    }

    private static final X9ECParameters SECP256K1 = CustomNamedCurves.getByName("secp256k1");
    private static final int IV_BYTES = 16;
    private static final int EC_PUBLIC_BYTES = 65;
    private static final int MAC_BYTES = 32;
    private static final OAEPParameterSpec OAEP_SHA256 =
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
    private static final OAEPParameterSpec OAEP_SHA1 =
            new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);
    private static final String UNWRAP_FAILED = "cannot unwrap the key: wrong key, or the wrapped key was tampered with";

    private final SecureRandom random;

    public KeyWrapping(SecureRandom random) {
        this.random = random;
    }

    public KeyWrapping() {
        this(new SecureRandom());
    }

    /** Wraps {@code secret} to an RSA public key; hex of the ciphertext. */
    public String wrapRsa(byte[] secret, PublicKey recipient, Scheme scheme) {
        try {
            Cipher rsa = rsaCipher(scheme);
            OAEPParameterSpec oaep = oaepParameters(scheme);
            if (oaep != null) {
                rsa.init(Cipher.ENCRYPT_MODE, recipient, oaep, random);
            } else {
                rsa.init(Cipher.ENCRYPT_MODE, recipient, random);
            }
            return HexFormat.of().formatHex(rsa.doFinal(secret));
        } catch (GeneralSecurityException e) {
            throw new CryptoException(CryptoException.Reason.MALFORMED_KEY, "cannot wrap to this RSA key: " + e.getMessage(), e);
        }
    }

    /** Unwraps an RSA-wrapped secret; every failure is the same error. */
    public byte[] unwrapRsa(String wrappedHex, PrivateKey key, Scheme scheme) {
        try {
            Cipher rsa = rsaCipher(scheme);
            OAEPParameterSpec oaep = oaepParameters(scheme);
            if (oaep != null) {
                rsa.init(Cipher.DECRYPT_MODE, key, oaep);
            } else {
                rsa.init(Cipher.DECRYPT_MODE, key);
            }
            return rsa.doFinal(Hex.bytes(wrappedHex));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw unwrapFailed();
        }
    }

    /** Wraps {@code secret} to an uncompressed (65-byte) or compressed (33-byte) secp256k1 public key. */
    public String wrapEcies(byte[] secret, byte[] recipientPublicKey) {
        ECPoint recipient = decodePoint(recipientPublicKey);
        BigInteger ephemeral;
        do {
            ephemeral = new BigInteger(256, random);
        } while (ephemeral.signum() == 0 || ephemeral.compareTo(SECP256K1.getN()) >= 0);
        byte[] ephemeralPublic = SECP256K1.getG().multiply(ephemeral).normalize().getEncoded(false);
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        byte[][] keys = eciesKeys(ephemeral, recipient);
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys[0], "AES"), new IvParameterSpec(iv));
            byte[] ciphertext = aes.doFinal(secret);
            byte[] mac = hmac(keys[1], iv, ephemeralPublic, ciphertext);
            return HexFormat.of().formatHex(concat(iv, ephemeralPublic, ciphertext, mac));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES-CBC or HMAC-SHA256", e);
        }
    }

    /** Unwraps an eccrypto-layout secret with a secp256k1 private key; every failure is the same error. */
    public byte[] unwrapEcies(String wrappedHex, BigInteger privateKey) {
        try {
            byte[] wrapped = Hex.bytes(wrappedHex);
            int minimum = IV_BYTES + EC_PUBLIC_BYTES + 16 + MAC_BYTES;
            if (wrapped.length < minimum) {
                throw unwrapFailed();
            }
            byte[] iv = Arrays.copyOfRange(wrapped, 0, IV_BYTES);
            byte[] ephemeralPublic = Arrays.copyOfRange(wrapped, IV_BYTES, IV_BYTES + EC_PUBLIC_BYTES);
            byte[] ciphertext = Arrays.copyOfRange(wrapped, IV_BYTES + EC_PUBLIC_BYTES, wrapped.length - MAC_BYTES);
            byte[] mac = Arrays.copyOfRange(wrapped, wrapped.length - MAC_BYTES, wrapped.length);
            byte[][] keys = eciesKeys(privateKey, decodePoint(ephemeralPublic));
            if (!MessageDigest.isEqual(mac, hmac(keys[1], iv, ephemeralPublic, ciphertext))) {
                throw unwrapFailed();
            }
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys[0], "AES"), new IvParameterSpec(iv));
            return aes.doFinal(ciphertext);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw unwrapFailed();
        }
    }

    /** The secp256k1 public key (65 bytes, uncompressed) of {@code privateKey}. */
    public static byte[] secp256k1PublicKey(BigInteger privateKey) {
        return SECP256K1.getG().multiply(privateKey).normalize().getEncoded(false);
    }

    /**
     * Reads an RSA public key from PEM: PKCS#1 ({@code BEGIN RSA PUBLIC KEY}, LazAI's) or
     * SubjectPublicKeyInfo ({@code BEGIN PUBLIC KEY}).
     */
    public static PublicKey rsaPublicKeyFromPem(String pem) {
        try {
            boolean pkcs1 = pem.contains("BEGIN RSA PUBLIC KEY");
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").strip());
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            if (pkcs1) {
                org.bouncycastle.asn1.pkcs.RSAPublicKey key = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(der);
                return rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            }
            return rsa.generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CryptoException(CryptoException.Reason.MALFORMED_KEY, "not an RSA public key in PEM: " + e.getMessage(), e);
        }
    }

    /** An RSA public key from DER (SubjectPublicKeyInfo), as a validator publishes it on-chain. */
    public static PublicKey rsaPublicKeyFromDer(byte[] der) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new CryptoException(CryptoException.Reason.MALFORMED_KEY, "not an RSA public key in DER: " + e.getMessage(), e);
        }
    }

    /** PEM (SubjectPublicKeyInfo) of an RSA public key, as published for a validator. */
    public static String toPem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** SHA-512 of the ECDH shared x-coordinate: the AES key (first half) and the MAC key (second half). */
    private static byte[][] eciesKeys(BigInteger privateKey, ECPoint publicPoint) {
        ECPoint shared = publicPoint.multiply(privateKey).normalize();
        if (shared.isInfinity()) {
            throw unwrapFailed();
        }
        byte[] x = shared.getAffineXCoord().getEncoded();
        try {
            byte[] hash = MessageDigest.getInstance("SHA-512").digest(x);
            return new byte[][] {Arrays.copyOfRange(hash, 0, 32), Arrays.copyOfRange(hash, 32, 64)};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-512", e);
        }
    }

    /** Fails with {@link CryptoException.Reason#MALFORMED_KEY} unless {@code encoded} is a point of secp256k1 (33 or 65 bytes). */
    public static void requireSecp256k1PublicKey(byte[] encoded) {
        decodePoint(encoded);
    }

    private static ECPoint decodePoint(byte[] encoded) {
        try {
            ECPoint point = SECP256K1.getCurve().decodePoint(encoded);
            if (!point.isValid() || point.isInfinity()) {
                throw new IllegalArgumentException("not on the curve");
            }
            return point;
        } catch (RuntimeException e) {
            throw new CryptoException(CryptoException.Reason.MALFORMED_KEY, "not a secp256k1 public key: " + e.getMessage(), e);
        }
    }

    private static byte[] hmac(byte[] key, byte[]... parts) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    private static Cipher rsaCipher(Scheme scheme) throws GeneralSecurityException {
        return switch (scheme) {
            case RSA_PKCS1 -> Cipher.getInstance("RSA/ECB/PKCS1Padding");
            case RSA_OAEP_SHA256, RSA_OAEP_SHA1 -> Cipher.getInstance("RSA/ECB/OAEPPadding");
            case ECIES_SECP256K1 -> throw new IllegalArgumentException("ECIES is not an RSA scheme");
        };
    }

    /** The OAEP parameters of {@code scheme}, given explicitly (the JDK's defaults differ by provider); null for PKCS#1 v1.5. */
    private static OAEPParameterSpec oaepParameters(Scheme scheme) {
        return switch (scheme) {
            case RSA_OAEP_SHA256 -> OAEP_SHA256;
            case RSA_OAEP_SHA1 -> OAEP_SHA1;
            case RSA_PKCS1, ECIES_SECP256K1 -> null;
        };
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static CryptoException unwrapFailed() {
        return new CryptoException(CryptoException.Reason.WRONG_KEY_OR_TAMPERED, UNWRAP_FAILED);
    }
}
