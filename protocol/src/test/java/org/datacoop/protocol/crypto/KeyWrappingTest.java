package org.datacoop.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Wrapped keys in the peers' layouts, checked against node's crypto (ECIES) and openssl (RSA). */
class KeyWrappingTest {
    private static final byte[] PASSWORD = ("0x" + "ab".repeat(65)).getBytes(StandardCharsets.UTF_8);
    private static final BigInteger EC_KEY = new BigInteger("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", 16);
    private static final String UNIFORM = "cannot unwrap the key: wrong key, or the wrapped key was tampered with";

    private static KeyPair rsa;
    private static KeyPair otherRsa;

    @TempDir
    Path dir;

    private final KeyWrapping wrapping = new KeyWrapping();

    @BeforeAll
    static void rsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
        otherRsa = generator.generateKeyPair();
    }

    @Test
    void eciesRoundTripsInEccryptosLayout() {
        String wrapped = wrapping.wrapEcies(PASSWORD, KeyWrapping.secp256k1PublicKey(EC_KEY));
        byte[] bytes = HexFormat.of().parseHex(wrapped);
        assertThat(bytes.length).isEqualTo(16 + 65 + 144 + 32); // iv, ephemeral key, 132 bytes padded to 144, mac
        assertThat(bytes[16]).isEqualTo((byte) 0x04); // uncompressed ephemeral public key after the iv
        assertThat(wrapping.unwrapEcies(wrapped, EC_KEY)).isEqualTo(PASSWORD);
        assertThat(wrapping.unwrapEcies("0x" + wrapped, EC_KEY)).isEqualTo(PASSWORD);
    }

    @Test
    void nodeCryptoOpensOurEciesAndWeOpenItsEcies() throws Exception {
        String ours = wrapping.wrapEcies(PASSWORD, KeyWrapping.secp256k1PublicKey(EC_KEY));
        assertThat(node(ECCRYPTO_JS, "unwrap", EC_KEY.toString(16), ours))
                .isEqualTo(HexFormat.of().formatHex(PASSWORD));

        String theirs = node(ECCRYPTO_JS, "wrap",
                HexFormat.of().formatHex(KeyWrapping.secp256k1PublicKey(EC_KEY)), HexFormat.of().formatHex(PASSWORD));
        assertThat(wrapping.unwrapEcies(theirs, EC_KEY)).isEqualTo(PASSWORD);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 20, 100, 200}) // iv, ephemeral key, ciphertext, mac
    void anyTamperedByteOfAnEciesWrapGivesTheUniformError(int index) {
        byte[] wrapped = HexFormat.of().parseHex(wrapping.wrapEcies(PASSWORD, KeyWrapping.secp256k1PublicKey(EC_KEY)));
        wrapped[index] ^= 0x01;
        assertThatThrownBy(() -> wrapping.unwrapEcies(HexFormat.of().formatHex(wrapped), EC_KEY))
                .isInstanceOf(CryptoException.class)
                .hasMessage(UNIFORM);
    }

    @Test
    void theWrongEcKeyAndGarbageGiveTheUniformError() {
        String wrapped = wrapping.wrapEcies(PASSWORD, KeyWrapping.secp256k1PublicKey(EC_KEY));
        assertThatThrownBy(() -> wrapping.unwrapEcies(wrapped, BigInteger.valueOf(12345))).hasMessage(UNIFORM);
        assertThatThrownBy(() -> wrapping.unwrapEcies("not hex", EC_KEY)).hasMessage(UNIFORM);
        assertThatThrownBy(() -> wrapping.unwrapEcies("00ff", EC_KEY)).hasMessage(UNIFORM);
    }

    @Test
    void refusesToWrapToSomethingThatIsNotACurvePoint() {
        byte[] notAPoint = new byte[65];
        notAPoint[0] = 4;
        assertThatThrownBy(() -> wrapping.wrapEcies(PASSWORD, notAPoint))
                .isInstanceOf(CryptoException.class)
                .hasMessageStartingWith("not a secp256k1 public key");
    }

    @Test
    void opensslOpensOurRsaWrapsInBothPaddings() throws Exception {
        Path key = writePrivatePem(rsa);
        String pkcs1 = wrapping.wrapRsa(PASSWORD, rsa.getPublic(), KeyWrapping.Scheme.RSA_PKCS1);
        assertThat(opensslDecrypt(key, pkcs1, "rsa_padding_mode:pkcs1")).isEqualTo(PASSWORD);
        String oaep = wrapping.wrapRsa(PASSWORD, rsa.getPublic(), KeyWrapping.Scheme.RSA_OAEP_SHA256);
        assertThat(opensslDecrypt(key, oaep, "rsa_padding_mode:oaep", "rsa_oaep_md:sha256", "rsa_mgf1_md:sha256"))
                .isEqualTo(PASSWORD);
        // node-rsa's default, which LazAI's TypeScript client wraps with
        String oaepSha1 = wrapping.wrapRsa(PASSWORD, rsa.getPublic(), KeyWrapping.Scheme.RSA_OAEP_SHA1);
        assertThat(opensslDecrypt(key, oaepSha1, "rsa_padding_mode:oaep", "rsa_oaep_md:sha1", "rsa_mgf1_md:sha1"))
                .isEqualTo(PASSWORD);
    }

    @Test
    void weOpenOpensslsOaepWrapAndReadLazaisPkcs1Pem() throws Exception {
        Path key = writePrivatePem(rsa);
        Path pkcs1Pem = dir.resolve("node.pub.pem");
        run(List.of("openssl", "rsa", "-in", key.toString(), "-RSAPublicKey_out", "-out", pkcs1Pem.toString()));
        String pem = Files.readString(pkcs1Pem);
        assertThat(pem).startsWith("-----BEGIN RSA PUBLIC KEY-----");
        assertThat(KeyWrapping.rsaPublicKeyFromPem(pem)).isEqualTo(rsa.getPublic());
        assertThat(KeyWrapping.rsaPublicKeyFromPem(KeyWrapping.toPem(rsa.getPublic()))).isEqualTo(rsa.getPublic());

        Path clear = Files.write(dir.resolve("clear"), PASSWORD);
        Path wrapped = dir.resolve("wrapped");
        run(List.of("openssl", "pkeyutl", "-encrypt", "-pubin", "-inkey", pkcs1Pem.toString(),
                "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256",
                "-in", clear.toString(), "-out", wrapped.toString()));
        String hex = HexFormat.of().formatHex(Files.readAllBytes(wrapped));
        assertThat(wrapping.unwrapRsa(hex, rsa.getPrivate(), KeyWrapping.Scheme.RSA_OAEP_SHA256)).isEqualTo(PASSWORD);
    }

    @Test
    void theWrongRsaKeyOrSchemeGivesTheUniformError() {
        for (KeyWrapping.Scheme scheme : List.of(KeyWrapping.Scheme.RSA_PKCS1, KeyWrapping.Scheme.RSA_OAEP_SHA256,
                KeyWrapping.Scheme.RSA_OAEP_SHA1)) {
            String wrapped = wrapping.wrapRsa(PASSWORD, rsa.getPublic(), scheme);
            assertThatThrownBy(() -> wrapping.unwrapRsa(wrapped, otherRsa.getPrivate(), scheme)).hasMessage(UNIFORM);
        }
        // PKCS#1 v1.5 padding has no integrity check: now and then (~0.3%) an OAEP block happens to unpad
        // as one. Then it yields garbage, never the password; otherwise the uniform error.
        String oaep = wrapping.wrapRsa(PASSWORD, rsa.getPublic(), KeyWrapping.Scheme.RSA_OAEP_SHA256);
        try {
            assertThat(wrapping.unwrapRsa(oaep, rsa.getPrivate(), KeyWrapping.Scheme.RSA_PKCS1)).isNotEqualTo(PASSWORD);
        } catch (CryptoException e) {
            assertThat(e).hasMessage(UNIFORM);
        }
        assertThatThrownBy(() -> wrapping.unwrapRsa("zz", rsa.getPrivate(), KeyWrapping.Scheme.RSA_OAEP_SHA256))
                .hasMessage(UNIFORM);
    }

    @Test
    void namesAPemThatIsNotAnRsaKey() {
        assertThatThrownBy(() -> KeyWrapping.rsaPublicKeyFromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
                .isInstanceOf(CryptoException.class)
                .hasMessageStartingWith("not an RSA public key in PEM");
    }

    /** eccrypto's layout written with node's built-in crypto only: an independent implementation. */
    private static final String ECCRYPTO_JS = """
            const c = require('crypto');
            const [mode, keyHex, dataHex] = process.argv.slice(1);
            const keys = (priv, pub) => {
              const e = c.createECDH('secp256k1'); e.setPrivateKey(Buffer.from(priv.padStart(64, '0'), 'hex'));
              const h = c.createHash('sha512').update(e.computeSecret(pub)).digest();
              return [h.subarray(0, 32), h.subarray(32)];
            };
            const mac = (k, ...parts) => { const m = c.createHmac('sha256', k); parts.forEach(p => m.update(p)); return m.digest(); };
            if (mode === 'unwrap') {
              const b = Buffer.from(dataHex, 'hex');
              const iv = b.subarray(0, 16), eph = b.subarray(16, 81), ct = b.subarray(81, b.length - 32), tag = b.subarray(b.length - 32);
              const [enc, mk] = keys(keyHex, eph);
              if (!c.timingSafeEqual(tag, mac(mk, iv, eph, ct))) throw new Error('bad mac');
              const d = c.createDecipheriv('aes-256-cbc', enc, iv);
              process.stdout.write(Buffer.concat([d.update(ct), d.final()]).toString('hex'));
            } else {
              const eph = c.createECDH('secp256k1'); eph.generateKeys();
              const iv = c.randomBytes(16);
              const [enc, mk] = keys(eph.getPrivateKey('hex'), Buffer.from(keyHex, 'hex'));
              const ci = c.createCipheriv('aes-256-cbc', enc, iv);
              const ct = Buffer.concat([ci.update(Buffer.from(dataHex, 'hex')), ci.final()]);
              const pub = eph.getPublicKey();
              process.stdout.write(Buffer.concat([iv, pub, ct, mac(mk, iv, pub, ct)]).toString('hex'));
            }
            """;

    private static String node(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "-e", script));
        command.addAll(List.of(args));
        return run(command).strip();
    }

    private Path writePrivatePem(KeyPair pair) throws Exception {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return Files.writeString(dir.resolve("node.key.pem"), pem);
    }

    private byte[] opensslDecrypt(Path key, String wrappedHex, String... options) throws Exception {
        Path in = Files.write(dir.resolve("in.bin"), HexFormat.of().parseHex(wrappedHex));
        Path out = dir.resolve("out.bin");
        List<String> command = new ArrayList<>(List.of("openssl", "pkeyutl", "-decrypt", "-inkey", key.toString()));
        for (String option : options) {
            command.addAll(List.of("-pkeyopt", option));
        }
        command.addAll(List.of("-in", in.toString(), "-out", out.toString()));
        run(command);
        return Files.readAllBytes(out);
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(command.get(0) + " failed: " + output);
        }
        return output;
    }
}
