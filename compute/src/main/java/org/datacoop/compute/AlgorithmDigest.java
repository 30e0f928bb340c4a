package org.datacoop.compute;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.Sha256;

/**
 * What a DataDAO allowlists on-chain: the SHA-256 of an external algorithm's bytes (its executable
 * or image tarball), or of a built-in's canonical descriptor ({@code builtin:logistic-regression/v1}).
 *
 * @param hex the digest as 64 lowercase hex digits, without {@code 0x}
 */
public record AlgorithmDigest(String hex) {
    public AlgorithmDigest {
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("an algorithm digest is 64 lowercase hex digits (a SHA-256), not '" + hex + "'");
        }
    }

    public static AlgorithmDigest of(byte[] sha256) {
        if (sha256.length != 32) {
            throw new IllegalArgumentException("an algorithm digest is 32 bytes, not " + sha256.length);
        }
        return new AlgorithmDigest(HexFormat.of().formatHex(sha256));
    }

    /** A digest as users write it: 64 hex digits, with or without {@code 0x}, in either case. */
    public static AlgorithmDigest parse(String text) {
        String hex = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        return new AlgorithmDigest(hex.toLowerCase(Locale.ROOT));
    }

    /** The digest of a built-in's descriptor: SHA-256 of its UTF-8 bytes. */
    public static AlgorithmDigest ofDescriptor(String descriptor) {
        return of(Sha256.of(descriptor.getBytes(StandardCharsets.UTF_8)));
    }

    /** The 32 bytes, as a contract's {@code bytes32} takes them. */
    public byte[] bytes() {
        return Hex.bytes(hex);
    }

    @Override
    public String toString() {
        return "0x" + hex;
    }
}
