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
 * at a time into reused buffers; the digest runs on another thread, over one buffer while the other
 * is encrypted. CFB encryption chains block to block, and the JDK's CFB runs a Java loop around one
 * AES block at a time, where its CBC encryption runs the whole buffer in one AES-NI loop (a JIT
 * intrinsic). So the CFB keystream comes from CBC: keystream block i is E(C<sub>i-1</sub>), with
 * C<sub>0</sub> the IV, and CBC with a zero IV over the blocks IV, P<sub>1</sub>, P<sub>2</sub>, ...
 * gives E(IV), then E(P<sub>1</sub> ^ E(IV)) = E(C<sub>1</sub>), then E(P<sub>2</sub> ^ E(C<sub>1</sub>)) = E(C<sub>2</sub>), and so on: the plaintext one
 * block late, with CBC's own chaining adding the keystream back. An XOR then gives the ciphertext.
 */
final class SeipdOutputStream extends DoubleBufferedOutputStream {
    private static final byte[] MDC_HEADER = {(byte) 0xD3, 0x14};
    private static final int SHA1_LENGTH = 20;

    private final OutputStream out;
    private static final int BLOCK = 16;

    /** AES-CBC with a zero IV: its output is the CFB keystream, see above. */
    private final Cipher keystreamCipher;
    private final MessageDigest sha1;
    private final SecondThread hasher = new SecondThread("openpgp-mdc");
    private final byte[] encrypted = new byte[CHUNK + MDC_HEADER.length + SHA1_LENGTH];
    private final byte[] keystream = new byte[CHUNK + MDC_HEADER.length + SHA1_LENGTH];
    /** The CBC input that comes before the next chunk: the CFB IV (zero), then the last plaintext block. */
    private final byte[] previousBlock = new byte[BLOCK];
    private boolean closed;

    SeipdOutputStream(OutputStream out, byte[] key, SecureRandom random) {
        super(MDC_HEADER.length + SHA1_LENGTH); // room for the MDC after the last chunk
        this.out = out;
        try {
            keystreamCipher = Cipher.getInstance("AES/CBC/NoPadding");
            keystreamCipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[BLOCK]));
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (GeneralSecurityException e) {
            hasher.close();
            throw new IllegalStateException("the JDK lacks AES/CBC or SHA-1", e);
        }
        byte[] prefix = new byte[BLOCK];
        random.nextBytes(prefix);
        System.arraycopy(prefix, 0, buffer, 0, BLOCK);
        buffer[BLOCK] = prefix[BLOCK - 2];
        buffer[BLOCK + 1] = prefix[BLOCK - 1];
        buffered = BLOCK + 2;
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

    /** Encrypts {@code length} bytes of {@code plain}: whole blocks, but for the {@code last} call. */
    private void encrypt(byte[] plain, int length, boolean last) throws IOException {
        if (length % BLOCK != 0 && !last) {
            throw new IllegalStateException("CFB was given " + length + " bytes before the end, not whole blocks");
        }
        int blocks = (length + BLOCK - 1) / BLOCK;
        if (blocks == 0) {
            return;
        }
        try {
            keystreamCipher.update(previousBlock, 0, BLOCK, keystream, 0);
            keystreamCipher.update(plain, 0, (blocks - 1) * BLOCK, keystream, BLOCK);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CBC refused its input", e);
        }
        for (int i = 0; i < length; i++) {
            encrypted[i] = (byte) (plain[i] ^ keystream[i]);
        }
        if (!last) {
            System.arraycopy(plain, length - BLOCK, previousBlock, 0, BLOCK);
        }
        out.write(encrypted, 0, length);
    }
}
