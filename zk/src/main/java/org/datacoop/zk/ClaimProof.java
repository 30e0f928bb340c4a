package org.datacoop.zk;

import java.math.BigInteger;
import java.util.List;

/**
 * A Groth16 proof of the claim circuit, as DataCommitments.recordClaim takes it.
 *
 * @param proof a, b and c flattened (8 field elements)
 * @param publicSignals commitment, threshold (negative as the field's p - |k|), minRows
 */
public record ClaimProof(List<BigInteger> proof, List<BigInteger> publicSignals) {
    public ClaimProof {
        proof = List.copyOf(proof);
        publicSignals = List.copyOf(publicSignals);
        if (proof.size() != 8 || publicSignals.size() != 3) {
            throw new ZkException("a claim proof has 8 field elements and 3 public signals, got " + proof.size()
                    + " and " + publicSignals.size());
        }
    }
}
