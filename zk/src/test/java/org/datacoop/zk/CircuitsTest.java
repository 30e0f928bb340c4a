package org.datacoop.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The circuits through node, on the keys {@code circuits/build.js} made (the chain module's build runs it). */
class CircuitsTest {
    private static Circuits circuits;
    private static final BigInteger SALT = new BigInteger("123456789012345678901234567890");

    @BeforeAll
    static void builtCircuits() {
        circuits = Circuits.discover();
        assertThat(circuits.built()).as("circuits/build/ holds the keys: run node circuits/build.js").isTrue();
    }

    private static List<BigInteger> values(long... values) {
        return java.util.Arrays.stream(values).mapToObj(BigInteger::valueOf).toList();
    }

    @Test
    void proofAggregatesAsJavaDoesAndOpensTheCommitment() {
        List<BigInteger> rows = values(-5, 0, 6, 7, 7, 12, -1, 30, 2, -40, 7);
        AggregateProof proof = circuits.proveAggregate(rows, SALT, BigInteger.valueOf(7));

        assertThat(proof.circuitRows()).as("11 rows need the 32-row circuit").isEqualTo(32);
        assertThat(proof.count()).isEqualTo(11);
        assertThat(proof.sum()).isEqualTo(rows.stream().reduce(BigInteger.ZERO, BigInteger::add));
        List<BigInteger> atLeast = rows.stream().filter(v -> v.compareTo(BigInteger.valueOf(7)) >= 0).toList();
        assertThat(proof.countAtLeast()).isEqualTo(atLeast.size());
        assertThat(proof.sumAtLeast()).isEqualTo(atLeast.stream().reduce(BigInteger.ZERO, BigInteger::add));
        assertThat(proof.threshold()).isEqualTo(7);
        assertThat(proof.commitment()).isEqualTo(circuits.commitment(rows, SALT));
        assertThat(proof.proof()).hasSize(8).allMatch(x -> x.signum() > 0 && x.compareTo(Circuits.FIELD.shiftLeft(1)) < 0);
    }

    @Test
    void commitmentDependsOnEveryValueTheSaltAndTheCount() {
        List<BigInteger> rows = values(1, 2, 3);
        BigInteger commitment = circuits.commitment(rows, SALT);
        assertThat(commitment).isLessThan(Circuits.FIELD);
        assertThat(circuits.commitment(values(1, 2, 4), SALT)).isNotEqualTo(commitment);
        assertThat(circuits.commitment(rows, SALT.add(BigInteger.ONE))).isNotEqualTo(commitment);
        // Trailing zeros pad a chunk: only the committed count tells these apart.
        assertThat(circuits.commitment(values(1, 2, 3, 0), SALT)).isNotEqualTo(commitment);
        assertThat(circuits.commitment(rows, SALT)).as("deterministic").isEqualTo(commitment);
    }

    @Test
    void smallestCircuitThatHolds() {
        assertThat(Circuits.circuitFor(0)).isEqualTo(8);
        assertThat(Circuits.circuitFor(8)).isEqualTo(8);
        assertThat(Circuits.circuitFor(9)).isEqualTo(32);
        assertThat(Circuits.circuitFor(32)).isEqualTo(32);
        assertThatThrownBy(() -> Circuits.circuitFor(33)).isInstanceOf(ZkException.class)
                .hasMessage("33 rows do not fit an aggregate circuit: the largest holds 32");
        List<BigInteger> tooMany = IntStream.range(0, 33).mapToObj(BigInteger::valueOf).toList();
        assertThatThrownBy(() -> circuits.proveAggregate(tooMany, SALT, BigInteger.ONE))
                .hasMessageContaining("33 rows do not fit");
    }

    @Test
    void aValueOutsideTheCircuitsRangeCannotBeProved() {
        // The comparator's range check fails inside the witness: no proof, and the value is not echoed.
        List<BigInteger> rows = values(1, 1L << 40);
        assertThatThrownBy(() -> circuits.proveAggregate(rows, SALT, BigInteger.ONE))
                .isInstanceOf(ZkException.class)
                .hasMessageStartingWith("circuits/zk.js prove failed")
                .hasMessageNotContaining(String.valueOf(1L << 40));
    }

    @Test
    void saltsAreFieldElementsAndSignedElementsRoundTrip() {
        byte[] allOnes = new byte[32];
        java.util.Arrays.fill(allOnes, (byte) 0xff);
        assertThat(Circuits.salt(allOnes)).isLessThan(Circuits.FIELD).isPositive();
        assertThat(Circuits.signed(Circuits.FIELD.subtract(BigInteger.valueOf(5)))).isEqualTo(-5);
        assertThat(Circuits.signed(BigInteger.valueOf(5))).isEqualTo(5);
    }
}
