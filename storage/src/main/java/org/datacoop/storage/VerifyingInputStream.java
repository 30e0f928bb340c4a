package org.datacoop.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import org.datacoop.protocol.Sha256;
import org.datacoop.protocol.storage.BlobId;
import org.datacoop.protocol.storage.StorageException;

/** Hashes what passes through and, at the end, fails unless it was blob {@code expected}. */
final class VerifyingInputStream extends FilterInputStream {
    private final BlobId expected;
    private final MessageDigest sha256;
    private boolean checked;

    VerifyingInputStream(InputStream in, BlobId expected) {
        super(in);
        this.expected = expected;
        this.sha256 = Sha256.digest();
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            check();
        } else {
            sha256.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            check();
        } else {
            sha256.update(buffer, offset, n);
        }
        return n;
    }

    /** Reads and hashes what is skipped: a skip past the file system would leave bytes unchecked. */
    @Override
    public long skip(long n) throws IOException {
        byte[] discard = new byte[8192];
        long left = n;
        while (left > 0) {
            int read = read(discard, 0, (int) Math.min(discard.length, left));
            if (read < 0) {
                break;
            }
            left -= read;
        }
        return n - left;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void check() {
        if (checked) {
            return;
        }
        checked = true;
        BlobId actual = BlobId.of(sha256.digest());
        if (!actual.equals(expected)) {
            throw new StorageException(StorageException.Reason.CORRUPTED,
                    "blob " + expected + " is corrupted: its content hashes to " + actual);
        }
    }
}
