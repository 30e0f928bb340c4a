package org.datacoop.node.enclave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.HexFormat;
import org.datacoop.protocol.crypto.CryptoException;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.sandbox.SandboxArea;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoftwareEnclaveTest {
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
}
