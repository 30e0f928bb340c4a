package org.datacoop.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import org.datacoop.protocol.Sha256;
import org.datacoop.protocol.storage.BlobId;
import org.datacoop.protocol.storage.BlobStore;
import org.datacoop.protocol.storage.StorageException;

/**
 * Blobs as files under a directory, {@code ab/cdef…} by id. A write goes to a temporary file that
 * is moved into place only once complete and hashed, so a crash leaves no half blob. A read
 * checks the hash as it streams and fails at the end if a file was damaged on disk; a reader
 * across the gateway runs the same check itself ({@link HttpBlobStore#fetch}), since bytes
 * already sent cannot be called back.
 */
public final class LocalBlobStore implements BlobStore {
    private static final int BUFFER = 1 << 16;

    private final Path root;
    private final long maxBlobBytes;

    public LocalBlobStore(Path root, long maxBlobBytes) {
        this.root = root;
        this.maxBlobBytes = maxBlobBytes;
        try {
            Files.createDirectories(root.resolve("tmp"));
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "cannot create the blob store at " + root, e);
        }
    }

    @Override
    public BlobId put(InputStream content) {
        Path partial;
        try {
            partial = Files.createTempFile(root.resolve("tmp"), "put-", ".partial");
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "cannot write to " + root, e);
        }
        try {
            MessageDigest sha256 = Sha256.digest();
            long size = 0;
            try (OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = content.read(buffer)) > 0) {
                    size += n;
                    if (size > maxBlobBytes) {
                        throw new StorageException(StorageException.Reason.TOO_LARGE,
                                "blob is larger than the limit of " + maxBlobBytes + " bytes");
                    }
                    sha256.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            BlobId id = BlobId.of(sha256.digest());
            Path target = pathOf(id);
            Files.createDirectories(target.getParent());
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException alreadyStored) {
                Files.deleteIfExists(partial);
            }
            return id;
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "cannot store a blob in " + root + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
    }

    @Override
    public InputStream open(BlobId id) {
        try {
            return new VerifyingInputStream(Files.newInputStream(pathOf(id)), id);
        } catch (NoSuchFileException e) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "no blob " + id + " in this store");
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "cannot read blob " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean contains(BlobId id) {
        return Files.isRegularFile(pathOf(id));
    }

    /** The size of blob {@code id} in bytes. */
    public long size(BlobId id) {
        try {
            return Files.size(pathOf(id));
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "no blob " + id + " in this store");
        }
    }

    public long maxBlobBytes() {
        return maxBlobBytes;
    }

    Path pathOf(BlobId id) {
        return root.resolve(id.sha256().substring(0, 2)).resolve(id.sha256().substring(2));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temporary file holds no blob anyone can name
        }
    }
}
