package org.datacoop.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our OpenPGP files against GnuPG's, both ways, and every way a file can be refused. */
class PasswordEncryptionTest {
    /** A wallet-derived password has this shape: the 0x-hex of a 65-byte signature. */
    private static final String PASSWORD = "0x" + "5c".repeat(64) + "1b";

    @TempDir
    Path dir;

    private final PasswordEncryption pgp = new PasswordEncryption();
    private Gpg gpg;
    private Path plain;

    @BeforeEach
    void setUp() throws Exception {
        gpg = new Gpg(dir.resolve("gnupg"));
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        plain = Files.write(dir.resolve("steps.json"), data);
    }

    @Test
    void gpgOpensWhatWeEncrypt() throws Exception {
        pgp.encryptFile(plain, dir.resolve("ours.gpg"), PASSWORD.toCharArray());
        gpg.decrypt(dir.resolve("ours.gpg"), dir.resolve("by-gpg"), PASSWORD);
        assertThat(dir.resolve("by-gpg")).hasSameBinaryContentAs(plain);
    }

    @Test
    void weOpenWhatGpgEncryptsCompressedByDefault() throws Exception {
        gpg.encrypt(plain, dir.resolve("gpg.gpg"), PASSWORD);
        pgp.decryptFile(dir.resolve("gpg.gpg"), dir.resolve("by-us"), PASSWORD.toCharArray());
        assertThat(dir.resolve("by-us")).hasSameBinaryContentAs(plain);
    }

    @Test
    void weOpenWhatGpgEncryptsUncompressed() throws Exception {
        gpg.encrypt(plain, dir.resolve("gpg.gpg"), PASSWORD, "--compress-algo", "none");
        pgp.decryptFile(dir.resolve("gpg.gpg"), dir.resolve("by-us"), PASSWORD.toCharArray());
        assertThat(dir.resolve("by-us")).hasSameBinaryContentAs(plain);
    }

    @Test
    void weOpenWhatGpgEncryptsArmored() throws Exception {
        gpg.encrypt(plain, dir.resolve("gpg.asc"), PASSWORD, "--armor", "--compress-algo", "bzip2");
        assertThat(Files.readString(dir.resolve("gpg.asc"))).startsWith("-----BEGIN PGP MESSAGE-----");
        pgp.decryptFile(dir.resolve("gpg.asc"), dir.resolve("by-us"), PASSWORD.toCharArray());
        assertThat(dir.resolve("by-us")).hasSameBinaryContentAs(plain);
    }

    /** Sizes at and around the 64 KiB chunks our streams encrypt and decrypt in. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 17, 65_482, 65_536, 131_018, 131_072, 1_000_003})
    void gpgAndWeAgreeAtSizesAroundTheChunks(int size) throws Exception {
        Path in = Files.write(dir.resolve("in"), random(size));
        pgp.encryptFile(in, dir.resolve("ours.gpg"), PASSWORD.toCharArray());
        gpg.decrypt(dir.resolve("ours.gpg"), dir.resolve("by-gpg"), PASSWORD);
        assertThat(dir.resolve("by-gpg")).hasSameBinaryContentAs(in);
        pgp.decryptFile(dir.resolve("ours.gpg"), dir.resolve("by-us"), PASSWORD.toCharArray());
        assertThat(dir.resolve("by-us")).hasSameBinaryContentAs(in);
        assertWeOpenWhatGpgEncrypts(in, "--compress-algo", "none");
    }

    /**
     * gpg's ciphertext for a file named "in" is 54 bytes longer than the file (prefix, literal
     * header, MDC), so these end just before, on and just after a chunk of ciphertext.
     */
    @Test
    void weOpenGpgsFilesWhoseCiphertextEndsAroundAChunk() throws Exception {
        for (int size = 65_478; size <= 65_506; size++) {
            assertWeOpenWhatGpgEncrypts(Files.write(dir.resolve("in"), random(size)), "--compress-algo", "none");
        }
    }

    @Test
    void weOpenGpgsDefaultCipherAndAnEightByteBlockCipher() throws Exception {
        assertWeOpenWhatGpgEncrypts(plain, "--cipher-algo", "AES128");
        assertWeOpenWhatGpgEncrypts(plain, "--cipher-algo", "3DES");
    }

    @Test
    void aCipherTheJvmLacksIsNamed() throws Exception {
        gpg.encrypt(plain, dir.resolve("camellia.gpg"), PASSWORD, "--cipher-algo", "CAMELLIA256");
        assertRefused(dir.resolve("camellia.gpg"), PASSWORD, CryptoException.Reason.IO, dir.resolve("camellia.gpg")
                + " is encrypted with Camellia (OpenPGP symmetric algorithm 13), which this JVM does not provide");
    }

    /** v6 in 1 MiB chunks: empty, exactly one chunk, and past two. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1_048_576, 2_100_000})
    void v6RoundTripsAndIsAeadEncrypted(int size) throws Exception {
        Path in = Files.write(dir.resolve("in"), random(size));
        pgp.encryptFile(in, dir.resolve("v6.gpg"), PASSWORD.toCharArray(), PasswordEncryption.Format.V6);
        try (InputStream file = Files.newInputStream(dir.resolve("v6.gpg"))) {
            PGPEncryptedDataList list = (PGPEncryptedDataList) new JcaPGPObjectFactory(file).nextObject();
            assertThat(list.get(0).isAEAD()).isTrue();
            assertThat(list.get(0).getVersion()).isEqualTo(6);
        }
        pgp.decryptFile(dir.resolve("v6.gpg"), dir.resolve("by-us"), PASSWORD.toCharArray());
        assertThat(dir.resolve("by-us")).hasSameBinaryContentAs(in);
    }

    @Test
    void aWrongPasswordForV6IsNamed() {
        pgp.encryptFile(plain, dir.resolve("v6.gpg"), PASSWORD.toCharArray(), PasswordEncryption.Format.V6);
        assertRefused(dir.resolve("v6.gpg"), "0xnot-it", CryptoException.Reason.WRONG_PASSWORD,
                "wrong password for " + dir.resolve("v6.gpg"));
    }

    /** A bit in the middle, one in the last chunk's tag, and the last 30 bytes cut off. */
    @ParameterizedTest
    @ValueSource(strings = {"middle", "last", "cut"})
    void aTamperedV6FileLeavesNothing(String where) throws Exception {
        pgp.encryptFile(plain, dir.resolve("v6.gpg"), PASSWORD.toCharArray(), PasswordEncryption.Format.V6);
        byte[] bytes = Files.readAllBytes(dir.resolve("v6.gpg"));
        switch (where) {
            case "middle" -> bytes[bytes.length / 2] ^= 0x01;
            case "last" -> bytes[bytes.length - 1] ^= 0x01;
            default -> bytes = java.util.Arrays.copyOf(bytes, bytes.length - 30);
        }
        assertTampered(Files.write(dir.resolve("tampered.gpg"), bytes));
    }

    @Test
    void formatsAreNamedInEitherCaseAndAnUnknownOneIsNamed() {
        assertThat(PasswordEncryption.Format.named("v6")).isEqualTo(PasswordEncryption.Format.V6);
        assertThat(PasswordEncryption.Format.named("V4")).isEqualTo(PasswordEncryption.Format.V4);
        assertThatThrownBy(() -> PasswordEncryption.Format.named("v5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown OpenPGP format 'v5': v4 (the default) or v6");
    }

    @Test
    void roundTripsAnEmptyFile() throws Exception {
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        pgp.encryptFile(empty, dir.resolve("empty.gpg"), PASSWORD.toCharArray());
        pgp.decryptFile(dir.resolve("empty.gpg"), dir.resolve("empty.out"), PASSWORD.toCharArray());
        assertThat(dir.resolve("empty.out")).isEmptyFile();
    }

    @Test
    void aCompressedFileThatExpandsPastTheLimitIsRefusedAndLeavesNothing() throws Exception {
        Path zeros = Files.write(dir.resolve("zeros"), new byte[4_000_000]); // gpg compresses this to a few KiB
        gpg.encrypt(zeros, dir.resolve("bomb.gpg"), PASSWORD);
        assertThat(Files.size(dir.resolve("bomb.gpg"))).isLessThan(100_000);
        assertThatThrownBy(() -> pgp.decryptFile(dir.resolve("bomb.gpg"), dir.resolve("out"), PASSWORD.toCharArray(), 1_000_000))
                .isInstanceOf(CryptoException.class)
                .hasMessage(dir.resolve("bomb.gpg") + " decrypts to more than 1000000 bytes")
                .extracting(e -> ((CryptoException) e).reason())
                .isEqualTo(CryptoException.Reason.TOO_LARGE);
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(dir).isDirectoryNotContaining("glob:**.partial");
        pgp.decryptFile(dir.resolve("bomb.gpg"), dir.resolve("out"), PASSWORD.toCharArray(), 4_000_000);
        assertThat(dir.resolve("out")).hasSameBinaryContentAs(zeros);
    }

    @Test
    void aWrongPasswordLeavesNothing() {
        pgp.encryptFile(plain, dir.resolve("ours.gpg"), PASSWORD.toCharArray());
        assertThatThrownBy(() -> pgp.decryptFile(dir.resolve("ours.gpg"), dir.resolve("out"), "0xnot-it".toCharArray()))
                .isInstanceOf(CryptoException.class)
                .hasMessage("wrong password for " + dir.resolve("ours.gpg"))
                .extracting(e -> ((CryptoException) e).reason())
                .isEqualTo(CryptoException.Reason.WRONG_PASSWORD);
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(dir).isDirectoryNotContaining("glob:**.partial");
    }

    /** A small file decrypts in one piece; the wrong password must still be named, not called tampering. */
    @Test
    void aWrongPasswordOnASmallFileIsNamed() throws Exception {
        Path small = Files.writeString(dir.resolve("small.json"), "{\"steps\": 12}");
        pgp.encryptFile(small, dir.resolve("small.gpg"), PASSWORD.toCharArray());
        assertRefused(dir.resolve("small.gpg"), "0xnot-it", CryptoException.Reason.WRONG_PASSWORD,
                "wrong password for " + dir.resolve("small.gpg"));
    }

    /** Each of the last 22 bytes is the MDC packet: its tag, its length or the SHA-1 itself. */
    @ParameterizedTest
    @ValueSource(ints = {1, 10, 20, 21, 22})
    void aTamperedIntegrityCheckLeavesNothing(int fromEnd) throws Exception {
        pgp.encryptFile(plain, dir.resolve("ours.gpg"), PASSWORD.toCharArray());
        byte[] bytes = Files.readAllBytes(dir.resolve("ours.gpg"));
        bytes[bytes.length - fromEnd] ^= 0x40;
        assertTampered(Files.write(dir.resolve("tampered.gpg"), bytes));
    }

    /** Early in the first chunk: plaintext already passed on to the partial file must still never reach the target. */
    @Test
    void aCiphertextTamperedInItsFirstChunkLeavesNothing() throws Exception {
        pgp.encryptFile(plain, dir.resolve("ours.gpg"), PASSWORD.toCharArray());
        byte[] bytes = Files.readAllBytes(dir.resolve("ours.gpg"));
        bytes[200] ^= 0x01;
        assertTampered(Files.write(dir.resolve("tampered.gpg"), bytes));
    }

    @Test
    void aTamperedCiphertextLeavesNothing() throws Exception {
        pgp.encryptFile(plain, dir.resolve("ours.gpg"), PASSWORD.toCharArray());
        byte[] bytes = Files.readAllBytes(dir.resolve("ours.gpg"));
        bytes[bytes.length / 2] ^= 0x01; // one bit in the middle of the encrypted content
        Files.write(dir.resolve("tampered.gpg"), bytes);
        assertThatThrownBy(() -> pgp.decryptFile(dir.resolve("tampered.gpg"), dir.resolve("out"), PASSWORD.toCharArray()))
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining("integrity check failed")
                .extracting(e -> ((CryptoException) e).reason())
                .isEqualTo(CryptoException.Reason.TAMPERED);
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(dir).isDirectoryNotContaining("glob:**.partial");
    }

    @Test
    void aTruncatedCiphertextLeavesNothing() throws Exception {
        pgp.encryptFile(plain, dir.resolve("ours.gpg"), PASSWORD.toCharArray());
        byte[] bytes = Files.readAllBytes(dir.resolve("ours.gpg"));
        Files.write(dir.resolve("cut.gpg"), java.util.Arrays.copyOf(bytes, bytes.length - 30));
        assertThatThrownBy(() -> pgp.decryptFile(dir.resolve("cut.gpg"), dir.resolve("out"), PASSWORD.toCharArray()))
                .isInstanceOf(CryptoException.class)
                .extracting(e -> ((CryptoException) e).reason())
                .isEqualTo(CryptoException.Reason.TAMPERED);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void refusesGpgsUnprotectedFormat() throws Exception {
        gpg.encrypt(plain, dir.resolve("old.gpg"), PASSWORD, "--rfc2440");
        assertThatThrownBy(() -> pgp.decryptFile(dir.resolve("old.gpg"), dir.resolve("out"), PASSWORD.toCharArray()))
                .isInstanceOf(CryptoException.class)
                .extracting(e -> ((CryptoException) e).reason())
                .isEqualTo(CryptoException.Reason.NO_INTEGRITY_PROTECTION);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void anOutputThatCannotBeWrittenIsNamedNotCalledTampering() {
        pgp.encryptFile(plain, dir.resolve("ours.gpg"), PASSWORD.toCharArray());
        Path nowhere = dir.resolve("missing-dir").resolve("out");
        assertThatThrownBy(() -> pgp.decryptFile(dir.resolve("ours.gpg"), nowhere, PASSWORD.toCharArray()))
                .isInstanceOf(CryptoException.class)
                .hasMessageStartingWith("cannot write " + nowhere)
                .extracting(e -> ((CryptoException) e).reason())
                .isEqualTo(CryptoException.Reason.IO);
    }

    @Test
    void namesAFileThatIsNotOpenPgp() {
        assertThatThrownBy(() -> pgp.decryptFile(plain, dir.resolve("out"), PASSWORD.toCharArray()))
                .isInstanceOf(CryptoException.class)
                .hasMessage(plain + " is not an OpenPGP encrypted file");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void decryptedFilesAreTheOwnersOnly() throws Exception {
        pgp.encryptFile(plain, dir.resolve("ours.gpg"), PASSWORD.toCharArray());
        pgp.decryptFile(dir.resolve("ours.gpg"), dir.resolve("out"), PASSWORD.toCharArray());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("out")))).isEqualTo("rw-------");
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    /** gpg encrypts {@code in} with {@code options}; we decrypt it back. */
    private void assertWeOpenWhatGpgEncrypts(Path in, String... options) throws Exception {
        gpg.encrypt(in, dir.resolve("gpg.gpg"), PASSWORD, options);
        pgp.decryptFile(dir.resolve("gpg.gpg"), dir.resolve("from-gpg"), PASSWORD.toCharArray());
        assertThat(dir.resolve("from-gpg")).as("%s %s", in, String.join(" ", options)).hasSameBinaryContentAs(in);
    }

    private void assertTampered(Path file) {
        assertRefused(file, PASSWORD, CryptoException.Reason.TAMPERED,
                file + " is corrupted or was tampered with (integrity check failed)");
    }

    /** Decrypting {@code file} fails for {@code reason}, saying {@code message}, and leaves nothing behind. */
    private void assertRefused(Path file, String password, CryptoException.Reason reason, String message) {
        assertThatThrownBy(() -> pgp.decryptFile(file, dir.resolve("out"), password.toCharArray()))
                .isInstanceOf(CryptoException.class)
                .hasMessage(message)
                .extracting(e -> ((CryptoException) e).reason())
                .isEqualTo(reason);
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(dir).isDirectoryNotContaining("glob:**.partial");
    }
}
