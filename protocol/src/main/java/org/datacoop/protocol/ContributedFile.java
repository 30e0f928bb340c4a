package org.datacoop.protocol;

/**
 * A registered file: its owner, where its encrypted bytes are, and their SHA-256 ({@code checksum},
 * hex; all zeros for a file registered through Vana's calls, which carry none).
 */
public record ContributedFile(long id, Address owner, String url, String checksum, long addedAtBlock) {
    /** The checksum of a file registered without one. */
    public static final String NO_CHECKSUM = "0".repeat(64);

    /** Whether the registry holds the file's checksum, so what is downloaded can be checked against it. */
    public boolean hasChecksum() {
        return !NO_CHECKSUM.equals(checksum);
    }
}
