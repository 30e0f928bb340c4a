package org.datacoop.compute;

import java.nio.file.Path;
import java.util.List;
import org.datacoop.protocol.Hex;

/**
 * A finished run: its output and the hash the worker signs.
 *
 * @param algorithm the digest of what ran
 * @param output the directory it wrote
 * @param files the output's files, relative and {@code /}-separated, in the order {@link ResultHash} hashes them
 * @param resultHash the {@link ResultHash} of {@code output}, 32 bytes
 */
public record ComputeResult(AlgorithmDigest algorithm, Path output, List<String> files, byte[] resultHash) {
    public ComputeResult {
        files = List.copyOf(files);
        resultHash = resultHash.clone();
    }

    @Override
    public byte[] resultHash() {
        return resultHash.clone();
    }

    /** The result hash as {@code 0x} and 64 lowercase hex digits. */
    public String resultHashHex() {
        return Hex.prefixed(resultHash);
    }
}
