package org.datacoop.protocol;

import java.math.BigInteger;

/**
 * A paid validation job for one file on behalf of one DataDAO.
 *
 * @param programDigest SHA-256 ({@code 0x}-hex) of the program the DataDAO pinned when the job was
 *     requested: the one its proof must name, whatever the DataDAO pins later
 */
public record ValidationJob(
        long id,
        long fileId,
        long dlpId,
        String programDigest,
        BigInteger bidWei,
        Address validator,
        Address payer,
        long addedAtSeconds,
        Status status,
        String failureReason) {
    /** The job's states, in the contract's order. */
    public enum Status {
        NONE,
        SUBMITTED,
        COMPLETED,
        FAILED,
        CANCELED
    }
}
