package org.datacoop.protocol.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.Future;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.PGPUtil;

/**
 * The plaintext of a version 1 symmetrically encrypted integrity-protected data packet (RFC 4880
 * §5.13): CFB with a zero IV over a random prefix (a block and its last two bytes repeated), the
 * packets, and the modification detection code (0xD3 0x14 and the SHA-1 of everything before it).
 * The MDC is held back from readers; reaching the end checks it and throws
 * {@link CryptoException.Reason#TAMPERED} on a mismatch, so callers must read to the end before
 * trusting what they read.
 *
 * <p>Our own rather than Bouncy Castle's stream because that one yields about 512 bytes per read
 * through the JDK's CFB, which decrypts one block at a time (about a fifth of gpg's speed). CFB
 * decryption does not chain: each plaintext block is the previous ciphertext block encrypted,
 * XOR this one. So each 64 KiB of ciphertext takes one AES/ECB call over the ciphertext shifted
 * by a block, which the JDK runs many blocks at a time on the CPU's AES instructions, while the
 * previous 64 KiB is hashed on another thread.
 */
final class SeipdInputStream extends InputStream {
    private static final int CHUNK = 1 << 16;
    /** The MDC packet: tag 0xD3, length 0x14, a SHA-1 digest. */
    private static final int MDC_LENGTH = 22;
    /**
     * Where each chunk starts in all three buffers: the previous ciphertext block and the bytes
     * held back fit before it, and the XOR indexes all three alike, which the JIT vectorises.
     */
    private static final int START = 64;

    private final InputStream in;
    private final Path source;
    private final Cipher keystream;
    private final int blockSize;
    /** The previous ciphertext block (the zero IV at first) before {@link #START}, then up to a chunk of new ciphertext. */
    private final byte[] ciphertext = new byte[START + CHUNK];
    /** The keystream: each ciphertext block's predecessor, encrypted. */
    private final byte[] pad = new byte[START + CHUNK];
    private final MessageDigest sha1;
    private final SecondThread hasher = new SecondThread("openpgp-mdc");
    /** Two plaintext buffers, one read while the other is hashed; each with its pending hash. */
    private final byte[][] buffers = {new byte[START + CHUNK], new byte[START + CHUNK]};
    private final Future<?>[] hashing = new Future<?>[2];
    private int current;
    /** Decrypted bytes: [next, released) are readable, [released, filled) held back as a possible MDC. */
    private byte[] plain = buffers[0];
    private int next;
    private int released;
    private int filled;
    private boolean ended;
    private boolean checked;

    /**
     * Starts decrypting {@code in}, the packet's body after its version byte.
     *
     * @throws CryptoException {@link CryptoException.Reason#WRONG_PASSWORD} when the prefix's
     *     quick check fails, the sign of a wrong key
     */
    SeipdInputStream(InputStream in, PGPSessionKey key, Path source) throws IOException {
        this.in = in;
        this.source = source;
        try {
            String algorithm = PGPUtil.getSymmetricCipherName(key.getAlgorithm());
            keystream = Cipher.getInstance(algorithm + "/ECB/NoPadding");
            keystream.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.getKey(), algorithm));
            blockSize = keystream.getBlockSize();
            sha1 = MessageDigest.getInstance("SHA-1");
            readPrefix();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            hasher.close();
            throw new CryptoException(CryptoException.Reason.IO, source + " is encrypted with "
                    + PGPUtil.getSymmetricCipherName(key.getAlgorithm()) + " (OpenPGP symmetric algorithm "
                    + key.getAlgorithm() + "), which this JVM does not provide", e);
        } catch (IOException | RuntimeException e) {
            hasher.close();
            throw e;
        }
    }

    private void readPrefix() throws IOException {
        refill();
        int prefix = START + blockSize + 2;
        if (filled < prefix) {
            throw tampered();
        }
        // Checked before the MDC, so that a wrong password on a small file is named as such.
        int repeat = START + blockSize;
        if (plain[repeat - 2] != plain[repeat] || plain[repeat - 1] != plain[repeat + 1]) {
            throw new CryptoException(CryptoException.Reason.WRONG_PASSWORD, "wrong password for " + source);
        }
        if (released < prefix) {
            throw tampered();
        }
        next = prefix;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (next == released) {
            if (ended) {
                checkMdc();
                return -1;
            }
            refill();
        }
        int n = Math.min(length, released - next);
        System.arraycopy(plain, next, bytes, offset, n);
        next += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        hasher.close();
        in.close();
    }

    /** Decrypts the next chunk into the other buffer, after the bytes held back from this one. */
    private void refill() throws IOException {
        byte[] previous = plain;
        current ^= 1;
        SecondThread.await(hashing[current]);
        plain = buffers[current];
        int held = filled - released;
        next = START - held;
        System.arraycopy(previous, released, plain, next, held);
        filled = START;
        int n = in.readNBytes(ciphertext, START, CHUNK);
        ended = n < CHUNK;
        if (n > 0) {
            try {
                keystream.update(ciphertext, START - blockSize, roundUp(n), pad, START);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("ECB refused whole blocks", e);
            }
            for (int i = START; i < START + n; i++) {
                plain[i] = (byte) (ciphertext[i] ^ pad[i]);
            }
            filled += n;
            // Only a full chunk is followed by more, and it ends on a block boundary.
            System.arraycopy(ciphertext, filled - blockSize, ciphertext, START - blockSize, blockSize);
        }
        released = Math.max(filled - MDC_LENGTH, next);
        byte[] hashed = plain;
        int from = next;
        int to = released;
        hashing[current] = hasher.submit(() -> sha1.update(hashed, from, to - from));
    }

    private int roundUp(int n) {
        return (n + blockSize - 1) / blockSize * blockSize;
    }

    private void checkMdc() throws IOException {
        if (checked) {
            return;
        }
        if (filled - released != MDC_LENGTH || plain[released] != (byte) 0xD3 || plain[released + 1] != 0x14) {
            throw tampered();
        }
        SecondThread.await(hashing[0]);
        SecondThread.await(hashing[1]);
        sha1.update(plain, released, 2);
        if (!MessageDigest.isEqual(sha1.digest(), Arrays.copyOfRange(plain, released + 2, filled))) {
            throw tampered();
        }
        checked = true;
    }

    private CryptoException tampered() {
        return new CryptoException(CryptoException.Reason.TAMPERED,
                source + " is corrupted or was tampered with (integrity check failed)");
    }
}
