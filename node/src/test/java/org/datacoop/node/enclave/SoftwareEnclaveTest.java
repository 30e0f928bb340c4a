package org.datacoop.node.enclave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;
import java.util.List;
import org.datacoop.protocol.crypto.CryptoException;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.sandbox.SandboxArea;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoftwareEnclaveTest {
    private static final String UNIFORM = "cannot unwrap the key: wrong key, or the wrapped key was tampered with";

    @Test
    void secretsOpenOnlyWithRsaOaepSoNoPkcs1PaddingOracleIsExposed(@TempDir Path dir) {
        SoftwareEnclave enclave = SoftwareEnclave.open(dir, SandboxArea.sameUser(dir));
        PublicKey rsa = KeyWrapping.rsaPublicKeyFromDer(enclave.descriptor("").rsaPublicKey());
        byte[] secret = "s3cret".getBytes(StandardCharsets.UTF_8);
        KeyWrapping wrapping = new KeyWrapping();

        byte[] oaep = HexFormat.of().parseHex(wrapping.wrapRsa(secret, rsa, KeyWrapping.Scheme.RSA_OAEP_SHA256));
        assertThat(enclave.unwrapSecret(oaep)).isEqualTo(secret);

        // LazAI's PKCS#1 v1.5 still opens as a file key, never as a secret
        byte[] pkcs1 = HexFormat.of().parseHex(wrapping.wrapRsa(secret, rsa, KeyWrapping.Scheme.RSA_PKCS1));
        assertThat(enclave.unwrap(pkcs1)).isEqualTo(secret);
        assertThatThrownBy(() -> enclave.unwrapSecret(pkcs1)).isInstanceOf(CryptoException.class);
    }

    @Test
    void aFileKeyOpensInEachRsaSchemeThePeersWrapWith(@TempDir Path dir) {
        SoftwareEnclave enclave = SoftwareEnclave.open(dir, SandboxArea.sameUser(dir));
        PublicKey rsa = KeyWrapping.rsaPublicKeyFromDer(enclave.descriptor("").rsaPublicKey());
        byte[] password = "0x5e1f-password".getBytes(StandardCharsets.UTF_8);
        KeyWrapping wrapping = new KeyWrapping();
        for (KeyWrapping.Scheme scheme : List.of(KeyWrapping.Scheme.RSA_OAEP_SHA256, KeyWrapping.Scheme.RSA_OAEP_SHA1,
                KeyWrapping.Scheme.RSA_PKCS1)) {
            byte[] wrapped = HexFormat.of().parseHex(wrapping.wrapRsa(password, rsa, scheme));
            assertThat(enclave.unwrap(wrapped)).as(scheme.name()).isEqualTo(password);
        }
    }

    @Test
    void aFileKeyWrappedToAnotherKeyFailsWithTheUniformErrorInEveryScheme(@TempDir Path dir) throws Exception {
        SoftwareEnclave enclave = SoftwareEnclave.open(dir.resolve("ours"), SandboxArea.sameUser(dir));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(((RSAPublicKey) KeyWrapping.rsaPublicKeyFromDer(enclave.descriptor("").rsaPublicKey()))
                .getModulus().bitLength()); // the same size, so it is taken for an RSA wrap, not ECIES
        PublicKey other = generator.generateKeyPair().getPublic();
        byte[] password = "0x5e1f-password".getBytes(StandardCharsets.UTF_8);
        KeyWrapping wrapping = new KeyWrapping();
        for (KeyWrapping.Scheme scheme : List.of(KeyWrapping.Scheme.RSA_OAEP_SHA256, KeyWrapping.Scheme.RSA_OAEP_SHA1,
                KeyWrapping.Scheme.RSA_PKCS1)) {
            byte[] wrapped = HexFormat.of().parseHex(wrapping.wrapRsa(password, other, scheme));
            // PKCS#1 v1.5 has no integrity check: a wrong key now and then unpads to garbage, never the password.
            try {
                assertThat(enclave.unwrap(wrapped)).as(scheme.name()).isNotEqualTo(password);
            } catch (CryptoException e) {
                assertThat(e).as(scheme.name()).hasMessage(UNIFORM);
            }
        }
        assertThatThrownBy(() -> enclave.unwrap(new byte[256])).isInstanceOf(CryptoException.class).hasMessage(UNIFORM);
    }
}
