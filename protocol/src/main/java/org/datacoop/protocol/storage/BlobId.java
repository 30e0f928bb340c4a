package org.datacoop.protocol.storage;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** A blob's content address: the SHA-256 of its bytes, lowercase hex (the checksum registered on-chain). */
public record BlobId(String sha256) {
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

    public BlobId {
        if (sha256 == null || !HEX_SHA256.matcher(sha256.toLowerCase(Locale.ROOT)).matches()) {
            throw new StorageException(StorageException.Reason.MALFORMED_ID,
                    "not a blob id: '" + sha256 + "' (expected 64 hex digits of SHA-256)");
        }
        sha256 = sha256.toLowerCase(Locale.ROOT);
    }

    public static BlobId of(byte[] digest) {
        return new BlobId(HexFormat.of().formatHex(digest));
    }

    public byte[] bytes() {
        return HexFormat.of().parseHex(sha256);
    }

    @Override
    public String toString() {
        return sha256;
    }
}
