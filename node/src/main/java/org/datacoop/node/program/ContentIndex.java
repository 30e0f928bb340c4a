package org.datacoop.node.program;

/**
 * Which file of a DataDAO first showed each decrypted content hash, kept across restarts, so the
 * declarative program can mark duplicates.
 */
public interface ContentIndex {
    /**
     * Records that {@code fileId} of DataDAO {@code dlpId} has content {@code contentHash} unless
     * another file showed it first; returns the file that showed it first ({@code fileId} itself
     * when it is the first, or when it was recorded before, as after a restart).
     */
    long claim(long dlpId, String contentHash, long fileId);
}
