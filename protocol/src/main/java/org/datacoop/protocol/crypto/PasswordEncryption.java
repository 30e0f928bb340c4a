package org.datacoop.protocol.crypto;

import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.PacketTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPBEEncryptedData;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.PBEDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.PBEKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEDataDecryptorFactoryBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;

/**
 * OpenPGP password-based encryption (RFC 4880: an SKESK packet with iterated and salted S2K, then
 * a symmetrically encrypted, integrity-protected data packet, AES-256), the format Vana's and
 * LazAI's clients write and GnuPG reads. Streams in constant memory.
 *
 * <p>The JCA operators run on the JDK's own providers, whose AES and SHA-1 use the CPU's
 * instructions: about three times faster than Bouncy Castle's pure-Java engines (PROTOCOL.md §9).
 *
 * <p>Decryption never releases plaintext that has not passed the integrity check: it writes to a
 * temporary file beside the target and moves it into place only after the MDC verifies. Data
 * without integrity protection (the old, malleable format) is refused.
 */
public final class PasswordEncryption {
    private static final int BUFFER = 1 << 16;
    /** S2K iteration count byte 0x60 = 65,536 bytes hashed: gpg's minimum default; the password is a 65-byte signature. */
    private static final int S2K_COUNT = 0x60;

    private final SecureRandom random;

    public PasswordEncryption(SecureRandom random) {
        this.random = random;
    }

    public PasswordEncryption() {
        this(new SecureRandom());
    }

    /** Encrypts {@code plaintext} to {@code ciphertext} (binary OpenPGP, no compression), dated now. */
    public void encrypt(InputStream plaintext, OutputStream ciphertext, char[] password, String fileName) {
        encrypt(plaintext, ciphertext, password, fileName, new Date());
    }

    /**
     * Encrypts with the literal packet dated {@code modified}; with a deterministic {@link SecureRandom}
     * and a fixed date, the same input gives the same bytes.
     */
    public void encrypt(InputStream plaintext, OutputStream ciphertext, char[] password, String fileName, Date modified) {
        try {
            PBEKeyEncryptionMethodGenerator method = new JcePBEKeyEncryptionMethodGenerator(
                            password,
                            new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA256),
                            S2K_COUNT)
                    .setSecureRandom(random);
            // The S2K output is the session key itself (no encrypted session key), as gpg writes it.
            byte[] key = method.getKey(SymmetricKeyAlgorithmTags.AES_256);
            new BCPGOutputStream(ciphertext, true).writePacket(
                    method.generate(new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256), null));
            BCPGOutputStream packet = new BCPGOutputStream(ciphertext, PacketTags.SYM_ENC_INTEGRITY_PRO, new byte[BUFFER]);
            packet.write(1); // SEIPD version 1: CFB with an MDC
            try (OutputStream encrypted = new SeipdOutputStream(packet, key, random);
                    OutputStream literal = new PGPLiteralDataGenerator()
                            .open(encrypted, PGPLiteralData.BINARY, fileName, modified, new byte[BUFFER])) {
                plaintext.transferTo(literal);
            }
            packet.finish();
            packet.flush();
        } catch (PGPException e) {
            throw new CryptoException(CryptoException.Reason.IO, "OpenPGP encryption failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CryptoException(CryptoException.Reason.IO, "encryption failed: " + e.getMessage(), e);
        }
    }

    /** Encrypts the file {@code source} to {@code target}, which appears only once complete. */
    public void encryptFile(Path source, Path target, char[] password) {
        Path partial = partialOf(target);
        try (InputStream in = Files.newInputStream(source);
                OutputStream out = new WriteBehindOutputStream(Files.newOutputStream(partial))) {
            encrypt(in, out, password, source.getFileName().toString());
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new CryptoException(CryptoException.Reason.IO, "cannot encrypt " + source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
        moveIntoPlace(partial, target);
    }

    /**
     * Decrypts {@code source} (binary or ASCII-armored, compressed or not) to {@code target}. On any
     * failure nothing is left at {@code target}.
     *
     * @throws CryptoException naming what is wrong: not OpenPGP, wrong password, tampered, unprotected
     */
    public void decryptFile(Path source, Path target, char[] password) {
        decryptFile(source, target, password, Long.MAX_VALUE);
    }

    /**
     * As {@link #decryptFile(Path, Path, char[])}, refusing content over {@code maxBytes}: OpenPGP
     * data may be compressed, so a small file can expand without bound.
     *
     * @throws CryptoException {@link CryptoException.Reason#TOO_LARGE} past the limit
     */
    public void decryptFile(Path source, Path target, char[] password, long maxBytes) {
        Path partial = partialOf(target);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(source), BUFFER)) {
            PGPPBEEncryptedData encrypted = passwordEncryptedData(in, source);
            if (!encrypted.isIntegrityProtected()) {
                throw new CryptoException(CryptoException.Reason.NO_INTEGRITY_PROTECTION, source
                        + " has no integrity protection (old OpenPGP format); refusing to decrypt it");
            }
            try (InputStream clear = open(encrypted, password, source);
                    OutputStream out = new WriteBehindOutputStream(writing(partial, target))) {
                copyAtMost(literalContent(clear, source), out, maxBytes, source);
                // Whatever follows the literal data, then the integrity check at the end.
                clear.transferTo(OutputStream.nullOutputStream());
            }
            if (encrypted.isAEAD() && !encrypted.verify()) {
                throw tampered(source, null);
            }
        } catch (PGPException | IOException e) {
            deleteQuietly(partial);
            if (Files.isRegularFile(source)) {
                throw tampered(source, e);
            }
            throw new CryptoException(CryptoException.Reason.IO, "cannot read " + source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
        moveIntoPlace(partial, target);
    }

    private static void copyAtMost(InputStream in, OutputStream out, long maxBytes, Path source) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > maxBytes) {
                throw new CryptoException(CryptoException.Reason.TOO_LARGE,
                        source + " decrypts to more than " + maxBytes + " bytes");
            }
            out.write(buffer, 0, n);
        }
    }

    /**
     * Opens the encrypted data. A wrong password shows here, before any content is read: as a
     * failed quick check, or as a session-key packet that decrypts to nonsense. Version 1 data
     * (CFB with an MDC, all that gpg 2.2 writes) goes through {@link SeipdInputStream}, which
     * checks the MDC when read to its end; the AEAD formats through Bouncy Castle, checked by
     * {@link PGPEncryptedData#verify()}.
     */
    private static InputStream open(PGPPBEEncryptedData encrypted, char[] password, Path source) throws IOException {
        PGPSessionKey sessionKey;
        try {
            PBEDataDecryptorFactory keys = new JcePBEDataDecryptorFactoryBuilder(new JcaPGPDigestCalculatorProviderBuilder().build())
                    .build(password);
            if (encrypted.isAEAD()) {
                return encrypted.getDataStream(keys);
            }
            sessionKey = encrypted.getSessionKey(keys);
        } catch (PGPException | RuntimeException e) {
            throw new CryptoException(CryptoException.Reason.WRONG_PASSWORD, "wrong password for " + source, e);
        }
        return new SeipdInputStream(encrypted.getInputStream(), sessionKey, source);
    }

    private static PGPPBEEncryptedData passwordEncryptedData(InputStream in, Path source) throws IOException {
        Object first;
        try {
            first = new JcaPGPObjectFactory(PGPUtil.getDecoderStream(in)).nextObject();
        } catch (IOException | RuntimeException e) {
            throw notOpenPgp(source, e);
        }
        if (!(first instanceof PGPEncryptedDataList list)) {
            throw notOpenPgp(source, null);
        }
        for (PGPEncryptedData data : list) {
            if (data instanceof PGPPBEEncryptedData pbe) {
                return pbe;
            }
        }
        throw new CryptoException(CryptoException.Reason.NOT_PASSWORD_ENCRYPTED,
                source + " is encrypted to a public key, not with a password");
    }

    /** The literal data inside the decrypted stream, decompressing when the sender compressed. */
    private static InputStream literalContent(InputStream clear, Path source) throws IOException, PGPException {
        Object next = new JcaPGPObjectFactory(clear).nextObject();
        if (next instanceof PGPCompressedData compressed) {
            next = new JcaPGPObjectFactory(compressed.getDataStream()).nextObject();
        }
        if (next instanceof PGPLiteralData literal) {
            return literal.getInputStream();
        }
        throw tampered(source, null);
    }

    private static CryptoException notOpenPgp(Path source, Exception cause) {
        return new CryptoException(CryptoException.Reason.NOT_OPENPGP,
                source + " is not an OpenPGP encrypted file", cause);
    }

    private static CryptoException tampered(Path source, Exception cause) {
        return new CryptoException(CryptoException.Reason.TAMPERED,
                source + " is corrupted or was tampered with (integrity check failed)", cause);
    }

    /**
     * The owner-only file plaintext goes to before its check. Its failures are the target's
     * ("cannot write"), so a full disk or a missing directory is never mistaken for tampering.
     */
    private static OutputStream writing(Path partial, Path target) {
        OutputStream file;
        try {
            file = Files.newOutputStream(ownerOnly(partial));
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
        return new FilterOutputStream(file) {
            @Override
            public void write(byte[] bytes, int offset, int length) {
                try {
                    out.write(bytes, offset, length);
                } catch (IOException e) {
                    throw cannotWrite(target, e);
                }
            }

            @Override
            public void close() {
                try {
                    out.close();
                } catch (IOException e) {
                    throw cannotWrite(target, e);
                }
            }
        };
    }

    private static CryptoException cannotWrite(Path target, IOException e) {
        return new CryptoException(CryptoException.Reason.IO, "cannot write " + target + ": " + e.getMessage(), e);
    }

    /** Creates {@code file} readable by its owner only where the file system has POSIX modes. */
    private static Path ownerOnly(Path file) throws IOException {
        Files.deleteIfExists(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createFile(file);
    }

    private static Path partialOf(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".partial");
    }

    private static void moveIntoPlace(Path partial, Path target) {
        try {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw cannotWrite(target, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: the partial file holds nothing that passed the integrity check
        }
    }
}
