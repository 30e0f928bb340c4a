package org.datacoop.node.program;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.datacoop.protocol.Address;

/**
 * One run of a program on one job's data.
 *
 * @param jobId the TeePool job
 * @param fileId the file being judged
 * @param dlpId the DataDAO judging it
 * @param owner the file's on-chain owner (the contributor)
 * @param decryptedChecksum lowercase hex SHA-256 of the decrypted file, as the attestation names it
 * @param inputDir the decrypted file(s); zip archives already extracted
 * @param outputDir empty, writable; an external program writes {@code results.json} here
 * @param environment the request's env vars and opened secrets (values are secrets: never log them)
 * @param timeout how long the program may run
 * @param maxDocumentBytes the largest document the program may read into memory (the built-in one
 *     reads the whole document; an external program is bounded by its own address-space limit)
 */
public record ProgramRun(
        long jobId,
        long fileId,
        long dlpId,
        Address owner,
        String decryptedChecksum,
        Path inputDir,
        Path outputDir,
        Map<String, String> environment,
        Duration timeout,
        long maxDocumentBytes) {
    public ProgramRun {
        environment = Map.copyOf(environment);
        if (maxDocumentBytes < 1) {
            throw new IllegalArgumentException("the document limit must be at least 1 byte, not " + maxDocumentBytes);
        }
    }

    /** A run of an external program, which reads no document into the node's memory. */
    public ProgramRun(long jobId, long fileId, long dlpId, Address owner, String decryptedChecksum, Path inputDir,
            Path outputDir, Map<String, String> environment, Duration timeout) {
        this(jobId, fileId, dlpId, owner, decryptedChecksum, inputDir, outputDir, environment, timeout, Long.MAX_VALUE);
    }
}
