package org.datacoop.protocol;

import java.math.BigInteger;

/**
 * A proof of contribution as the DataRegistry recorded it.
 *
 * @param index its position among the file's proofs, from 1 (as Vana numbers them)
 * @param signature the validator's EIP-712 signature, 65 bytes
 */
public record FileProof(
        long fileId,
        long index,
        long jobId,
        Address validator,
        ProofData data,
        byte[] signature,
        long addedAtBlock) {
    public BigInteger score() {
        return data.score();
    }
}
