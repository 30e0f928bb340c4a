package org.datacoop.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
