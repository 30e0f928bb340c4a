package org.datacoop.protocol;

import java.math.BigInteger;

/**
 * A paid validation job for one file on behalf of one DataDAO.
 *
 * @param programDigest SHA-256 ({@code 0x}-hex) of the program the DataDAO pinned when the job was
 *     requested: the one its proof must name, whatever the DataDAO pins later
 * @param rewardPerFile tokens (smallest unit) for a file scored 1, as the DataDAO paid when the job
 *     was requested: the rate its proof is paid at, whatever the DataDAO sets later
 */
public record ValidationJob(
        long id,
        long fileId,
        long dlpId,
        String programDigest,
        BigInteger rewardPerFile,
        BigInteger bidWei,
        Address validator,
        Address payer,
        long addedAtSeconds,
        Status status,
        String failureReason) {
    /** What a proof of this job scoring {@code score} (18 decimals, 1e18 a perfect score) is paid: the pool's own formula. */
    public BigInteger rewardFor(BigInteger score) {
        return rewardPerFile.multiply(score).divide(BigInteger.TEN.pow(18));
    }

    /** The job's states, in the contract's order. */
    public enum Status {
        NONE,
        SUBMITTED,
        COMPLETED,
        FAILED,
        CANCELED
    }
}
