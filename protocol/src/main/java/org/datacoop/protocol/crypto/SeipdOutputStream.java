package org.datacoop.protocol.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.Future;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes the body of a version 1 symmetrically encrypted integrity-protected data packet (RFC 4880
 * §5.13) after its version byte: AES-256 CFB with a zero IV over a random prefix (a block and its
 * last two bytes repeated), what is written, and on {@link #close()} the modification detection
 * code (0xD3 0x14 and the SHA-1 of everything before it). Closing does not close {@code out}.
 *
 * <p>Our own rather than Bouncy Castle's stream so that the cipher and the digest each see 64 KiB
 * at a time into reused buffers; CFB encryption chains block to block, so the JDK's CFB is the
 * floor here; the digest runs on another thread, over one buffer while the other is encrypted.
 */
final class SeipdOutputStream extends DoubleBufferedOutputStream {
    private static final byte[] MDC_HEADER = {(byte) 0xD3, 0x14};
    private static final int SHA1_LENGTH = 20;

    private final OutputStream out;
    private final Cipher cfb;
    private final MessageDigest sha1;
    private final SecondThread hasher = new SecondThread("openpgp-mdc");
    private final byte[] encrypted = new byte[CHUNK + MDC_HEADER.length + SHA1_LENGTH];
    private boolean closed;

    SeipdOutputStream(OutputStream out, byte[] key, SecureRandom random) {
        super(MDC_HEADER.length + SHA1_LENGTH); // room for the MDC after the last chunk
        this.out = out;
        try {
            cfb = Cipher.getInstance("AES/CFB/NoPadding");
            cfb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (GeneralSecurityException e) {
            hasher.close();
            throw new IllegalStateException("the JDK lacks AES/CFB or SHA-1", e);
        }
        int blockSize = cfb.getBlockSize();
        byte[] prefix = new byte[blockSize];
        random.nextBytes(prefix);
        System.arraycopy(prefix, 0, buffer, 0, blockSize);
        buffer[blockSize] = prefix[blockSize - 2];
        buffer[blockSize + 1] = prefix[blockSize - 1];
        buffered = blockSize + 2;
    }

    /** Hashes {@code full} on the second thread while encrypting it on this one. */
    @Override
    Future<?> process(byte[] full, int length) throws IOException {
        Future<?> hashing = hasher.submit(() -> sha1.update(full, 0, length));
        encrypt(full, length, false);
        return hashing;
    }

    /** Appends the MDC and writes the rest; {@code out} stays open. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            System.arraycopy(MDC_HEADER, 0, buffer, buffered, MDC_HEADER.length);
            buffered += MDC_HEADER.length;
            awaitBoth();
            sha1.update(buffer, 0, buffered);
            try {
                sha1.digest(buffer, buffered, SHA1_LENGTH);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA-1 refused its 20-byte output", e);
            }
            buffered += SHA1_LENGTH;
            encrypt(buffer, buffered, true);
        } finally {
            hasher.close();
        }
    }

    private void encrypt(byte[] plain, int length, boolean last) throws IOException {
        int n;
        try {
            n = last ? cfb.doFinal(plain, 0, length, encrypted, 0) : cfb.update(plain, 0, length, encrypted, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CFB refused its input", e);
        }
        out.write(encrypted, 0, n);
    }
}
