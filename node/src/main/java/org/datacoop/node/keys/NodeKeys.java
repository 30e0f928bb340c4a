package org.datacoop.node.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Validator;

/**
 * A validator's own keys, generated on first start and kept in its data dir, readable by its
 * owner only: a secp256k1 key (its on-chain address, its signatures, ECIES unwrapping) and an
 * RSA-3072 key (RSA-OAEP and LazAI's PKCS#1 unwrapping). This is the software enclave's storage,
 * and it says so: it registers as enclave type {@code software} with no measurement.
 */
public final class NodeKeys {
    public static final String SOFTWARE_ENCLAVE = "software";
    /** What the software enclave reports as its measurement: nothing measured it. */
    public static final String NO_MEASUREMENT = "0x" + "00".repeat(32);
    private static final int RSA_BITS = 3072;

    private final Wallet signing;
    private final KeyPair rsa;

    private NodeKeys(Wallet signing, KeyPair rsa) {
        this.signing = signing;
        this.rsa = rsa;
    }

    /** The keys in {@code dir}, created there first if there are none. */
    public static NodeKeys loadOrCreate(Path dir) {
        Path signingFile = dir.resolve("signing.key");
        Path rsaFile = dir.resolve("rsa.key");
        try {
            Files.createDirectories(dir);
            if (!Files.exists(signingFile)) {
                writeOwnerOnly(signingFile, Wallet.create().privateKeyHex().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            if (!Files.exists(rsaFile)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(RSA_BITS);
                writeOwnerOnly(rsaFile, generator.generateKeyPair().getPrivate().getEncoded());
            }
            Wallet signing = Wallet.fromPrivateKey(Files.readString(signingFile).strip());
            PrivateKey rsaPrivate = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(rsaFile)));
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) rsaPrivate;
            PublicKey rsaPublic = KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return new NodeKeys(signing, new KeyPair(rsaPublic, rsaPrivate));
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException("cannot load or create the validator keys in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Path partial = file.resolveSibling("." + file.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(partial, content);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    }

    public Wallet wallet() {
        return signing;
    }

    public PublicKey rsaPublicKey() {
        return rsa.getPublic();
    }

    public PrivateKey rsaPrivateKey() {
        return rsa.getPrivate();
    }

    /**
     * A 32-byte secret for one {@code purpose}, derived from the signing key with HKDF-SHA256: the same
     * after every restart, unrelated across purposes (see {@code Enclave.secret}).
     */
    public byte[] secret(String purpose) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(HexFormat.of().parseHex(signing.privateKeyHex().replaceFirst("^0x", "")), null,
                ("datacoop enclave secret\n" + purpose).getBytes(StandardCharsets.UTF_8)));
        byte[] secret = new byte[32];
        hkdf.generateBytes(secret, 0, secret.length);
        return secret;
    }

    /** How this node registers in the validator pool. */
    public Validator descriptor(String url) {
        return new Validator(signing.address(), url, rsa.getPublic().getEncoded(), signing.publicKey(),
                SOFTWARE_ENCLAVE, NO_MEASUREMENT, true);
    }
}
