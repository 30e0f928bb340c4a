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
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.AEADAlgorithmTags;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.PacketTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
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
 * LazAI's clients write and GnuPG reads; RFC 9580's v6 on request ({@link Format}). Streams in
 * constant memory.
 *
 * <p>Bouncy Castle parses and writes the packets and derives the keys; the v4 bulk data goes
 * through {@link SeipdOutputStream} and {@link SeipdInputStream}, 64 KiB at a time on the JDK's
 * AES and SHA-1 (which use the CPU's instructions), with the hash and the file writes on second
 * threads.
 *
 * <p>Decryption never releases plaintext that has not passed the integrity check: it writes to a
 * temporary file beside the target and moves it into place only after the MDC verifies. Data
 * without integrity protection (the old, malleable format) is refused.
 */
public final class PasswordEncryption {
    private static final int BUFFER = 1 << 16;
    /** S2K iteration count byte 0x60 = 65,536 bytes hashed: gpg's minimum default; the password is a 65-byte signature. */
    private static final int S2K_COUNT = 0x60;
    /** RFC 9580's chunk size octet: 2^(14+6) bytes = 1 MiB, where the JDK's GCM runs at full speed. */
    private static final int V6_CHUNK_SIZE = 14;

    private final SecureRandom random;

    public PasswordEncryption(SecureRandom random) {
        this.random = random;
    }

    public PasswordEncryption() {
        this(new SecureRandom());
    }

    /**
     * The OpenPGP generation {@code encrypt} writes. {@link #V4} (RFC 4880: AES-256 CFB with an MDC)
     * is what gpg 2.2, openpgp.js and Sequoia read, and the default. {@link #V6} (RFC 9580: SEIPD
     * version 2, AES-256-GCM in 1 MiB chunks) is faster but gpg 2.2 cannot read it; {@code
     * decryptFile} reads both.
     */
    public enum Format {
        V4,
        V6;

        /** The format named {@code v4} or {@code v6}, in either case. */
        public static Format named(String name) {
            for (Format format : values()) {
                if (format.name().equalsIgnoreCase(name)) {
                    return format;
                }
            }
            throw new IllegalArgumentException("unknown OpenPGP format '" + name + "': v4 (the default) or v6");
        }
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
        encrypt(plaintext, ciphertext, password, fileName, modified, Format.V4);
    }

    /** As {@link #encrypt(InputStream, OutputStream, char[], String, Date)}, in {@code format}. */
    public void encrypt(InputStream plaintext, OutputStream ciphertext, char[] password, String fileName, Date modified,
            Format format) {
        try {
            PBEKeyEncryptionMethodGenerator method = new JcePBEKeyEncryptionMethodGenerator(
                            password,
                            new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA256),
                            S2K_COUNT)
                    .setSecureRandom(random);
            switch (format) {
                case V4 -> encryptV4(plaintext, ciphertext, method, fileName, modified);
                case V6 -> encryptV6(plaintext, ciphertext, method, fileName, modified);
            }
        } catch (PGPException e) {
            throw new CryptoException(CryptoException.Reason.IO, "OpenPGP encryption failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CryptoException(CryptoException.Reason.IO, "encryption failed: " + e.getMessage(), e);
        }
    }

    private void encryptV4(InputStream plaintext, OutputStream ciphertext, PBEKeyEncryptionMethodGenerator method,
            String fileName, Date modified) throws PGPException, IOException {
        // The S2K output is the session key itself (no encrypted session key), as gpg writes it.
        byte[] key = method.getKey(SymmetricKeyAlgorithmTags.AES_256);
        new BCPGOutputStream(ciphertext, true).writePacket(
                method.generate(new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256), null));
        BCPGOutputStream packet = new BCPGOutputStream(ciphertext, PacketTags.SYM_ENC_INTEGRITY_PRO, new byte[BUFFER]);
        packet.write(1); // SEIPD version 1: CFB with an MDC
        try (OutputStream encrypted = new SeipdOutputStream(packet, key, random)) {
            writeLiteral(plaintext, encrypted, fileName, modified);
        }
        packet.finish();
        packet.flush();
    }

    private void encryptV6(InputStream plaintext, OutputStream ciphertext, PBEKeyEncryptionMethodGenerator method,
            String fileName, Date modified) throws PGPException, IOException {
        PGPEncryptedDataGenerator encryptor = new PGPEncryptedDataGenerator(
                new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                        .setWithAEAD(AEADAlgorithmTags.GCM, V6_CHUNK_SIZE)
                        .setUseV6AEAD()
                        .setSecureRandom(random));
        // The password packet's GCM key wrapping passes parameters the JDK's provider refuses;
        // Bouncy Castle's takes them. The data itself runs on the JDK's GCM.
        encryptor.addMethod(((JcePBEKeyEncryptionMethodGenerator) method).setProvider(BouncyCastle.PROVIDER));
        try (OutputStream encrypted = encryptor.open(ciphertext, new byte[BUFFER])) {
            writeLiteral(plaintext, encrypted, fileName, modified);
        }
    }

    private static void writeLiteral(InputStream plaintext, OutputStream encrypted, String fileName, Date modified)
            throws IOException {
        try (OutputStream literal = new PGPLiteralDataGenerator()
                .open(encrypted, PGPLiteralData.BINARY, fileName, modified, new byte[BUFFER])) {
            plaintext.transferTo(literal);
        }
    }

    /** Encrypts the file {@code source} to {@code target}, which appears only once complete. */
    public void encryptFile(Path source, Path target, char[] password) {
        encryptFile(source, target, password, Format.V4);
    }

    /** As {@link #encryptFile(Path, Path, char[])}, in {@code format}. */
    public void encryptFile(Path source, Path target, char[] password, Format format) {
        Path partial = partialOf(target);
        try (InputStream in = Files.newInputStream(source);
                OutputStream out = new WriteBehindOutputStream(Files.newOutputStream(partial))) {
            encrypt(in, out, password, source.getFileName().toString(), new Date(), format);
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
     * checks the MDC when read to its end; the AEAD formats ({@link Format#V6}) through Bouncy
     * Castle, which checks each chunk's tag as it reads and the last one at the end.
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

    /** Bouncy Castle's provider, made once and only when a v6 file is written. */
    private static final class BouncyCastle {
        static final Provider PROVIDER = new BouncyCastleProvider();
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
