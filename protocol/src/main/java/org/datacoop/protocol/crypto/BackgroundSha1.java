package org.datacoop.protocol.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * SHA-1 on a thread of its own, for the OpenPGP MDC: hashing one buffer overlaps the cipher's work
 * on the next, and the hash is about half of a core's time in either direction. Updates run in the
 * order given; a buffer must not change until the {@link Future} of its update is done.
 */
final class BackgroundSha1 implements AutoCloseable {
    private final MessageDigest sha1;
    private final ExecutorService thread =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("openpgp-mdc").factory());

    BackgroundSha1() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            thread.shutdown();
            throw new IllegalStateException("the JDK lacks SHA-1", e);
        }
    }

    /** Hashes {@code bytes[offset, offset + length)} after every earlier update. */
    Future<?> update(byte[] bytes, int offset, int length) {
        return thread.submit(() -> sha1.update(bytes, offset, length));
    }

    /** The digest of every update and then {@code bytes[offset, offset + length)}, once they are hashed. */
    byte[] digest(byte[] bytes, int offset, int length) {
        return await(thread.submit(() -> {
            sha1.update(bytes, offset, length);
            return sha1.digest();
        }));
    }

    /** Waits for an update; {@code null} (no update yet) returns at once. */
    static <T> T await(Future<T> update) {
        if (update == null) {
            return null;
        }
        try {
            return update.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CryptoException(CryptoException.Reason.IO, "interrupted while hashing for the integrity check", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("SHA-1 failed", e.getCause());
        }
    }

    /** Stops the thread and waits for it, so that no hashing outlives the stream. */
    @Override
    public void close() {
        thread.close();
    }
}
