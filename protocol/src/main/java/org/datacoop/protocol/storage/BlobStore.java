package org.datacoop.protocol.storage;

import java.io.InputStream;

/**
 * Content-addressed blob storage: a blob's id is the SHA-256 of its bytes, so whoever reads it can
 * tell whether it is the blob that was registered. Adapters: a local directory (default), its HTTP
 * gateway, and later IPFS and S3.
 */
public interface BlobStore {
    /** Stores {@code content} (read to its end) and returns its id; storing the same bytes twice keeps one copy. */
    BlobId put(InputStream content);

    /**
     * Opens blob {@code id} for reading. The stream checks the hash as it goes and fails with
     * {@link StorageException.Reason#CORRUPTED} at the end if the bytes are not the blob's.
     */
    InputStream open(BlobId id);

    boolean contains(BlobId id);
}
