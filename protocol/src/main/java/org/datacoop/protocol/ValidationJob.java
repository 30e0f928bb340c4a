package org.datacoop.protocol;

import java.math.BigInteger;

/** A paid validation job for one file on behalf of one DataDAO. */
public record ValidationJob(
        long id,
        long fileId,
        long dlpId,
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
