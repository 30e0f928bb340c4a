package org.datacoop.zk;

import java.math.BigInteger;
import java.util.List;

/**
 * A Groth16 proof of an aggregate circuit, as the on-chain verifier takes it.
 *
 * @param circuitRows the rows the circuit holds (8 or 32): which verifier checks it
 * @param proof a, b and c flattened (8 field elements), in the order of snarkjs's Solidity calldata
 * @param publicSignals count, sum, countAtLeast, sumAtLeast, commitment, threshold (negative values as
 *     the field's p - |x|)
 */
public record AggregateProof(int circuitRows, List<BigInteger> proof, List<BigInteger> publicSignals) {
    public AggregateProof {
        proof = List.copyOf(proof);
        publicSignals = List.copyOf(publicSignals);
        if (proof.size() != 8) {
            throw new ZkException("a Groth16 proof has 8 field elements, got " + proof.size());
        }
        if (publicSignals.size() != 6) {
            throw new ZkException("the aggregate circuits have 6 public signals, got " + publicSignals.size());
        }
    }

    public BigInteger count() {
        return publicSignals.get(0);
    }

    public BigInteger sum() {
        return Circuits.signed(publicSignals.get(1));
    }

    public BigInteger countAtLeast() {
        return publicSignals.get(2);
    }

    public BigInteger sumAtLeast() {
        return Circuits.signed(publicSignals.get(3));
    }

    public BigInteger commitment() {
        return publicSignals.get(4);
    }

    public BigInteger threshold() {
        return Circuits.signed(publicSignals.get(5));
    }
}
