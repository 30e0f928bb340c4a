package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.CommitmentsChain;
import org.datacoop.chain.CommitmentsChain.Aggregate;
import org.datacoop.chain.CommitmentsChain.Recorded;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.OwnershipChain;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.Wallet;
import org.datacoop.node.keys.NodeKeys;
import org.datacoop.node.refine.ColumnCommitter;
import org.datacoop.sdk.claim.ClaimClient;
import org.datacoop.zk.AggregateProof;
import org.datacoop.zk.Circuits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commitments to refined data on a real devnet: the validator, refining Alice's and Dave's steps
 * exports, commits in its enclave to each numeric column it can (steps; not distance_km, which these
 * exports leave NULL); an aggregate proof made with the enclave's salt over Alice's rows verifies on-chain
 * against her file's commitment and says what plain Java computes, and every altered proof, row, count or
 * file is refused by name. The salt is read here from the validator's key file: only its enclave holds it.
 * Then dataset claims: Alice has the validator prove and record "at least 30 days of 7000 steps or more"
 * about her file, through the SDK and the CLI; a claim that does not hold, one asked by someone else than
 * the owner, and one about an uncommitted column are refused by name, and nothing is recorded for them;
 * once Alice transfers her data in the ownership registry, claims are its new owner's to ask for.
 */
class CommitmentsTest {
    private static final String STEPS = "daily_steps.steps";

    @TempDir
    static Path dir;

    private static Devnet net;
    private static CommitmentsChain commitments;
    private static Circuits circuits;
    private static NodeKeys validatorKeys;
    private static long refinerId;
    private static Wallet alice;
    private static Wallet dave;
    private static CoopCli cli;
    private static long aliceFile;
    private static long daveFile;

    @BeforeAll
    static void contributeAndRefineTwoFiles() throws Exception {
        net = Devnet.start(dir, settings -> settings);
        cli = CoopCli.on(net, dir);
        commitments = CommitmentsChain.required(net.admin, net.deployment);
        circuits = Circuits.discover();
        validatorKeys = NodeKeys.loadOrCreate(net.nodeDir);
        refinerId = new QueryChain(net.admin, net.deployment).refinersOf(net.deployment.sampleDlpId()).get(0).id();
        alice = net.fundedWallet();
        dave = net.fundedWallet();
        aliceFile = net.contributeSteps(alice, dir, 30, 0);
        daveFile = net.contributeSteps(dave, dir, 20, 1);
        Instant deadline = Instant.now().plus(Devnet.WAIT);
        while (!commitments.isCommitted(aliceFile, refinerId) || !commitments.isCommitted(daveFile, refinerId)) {
            assertThat(Instant.now()).as("both files committed within %s", Devnet.WAIT).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    /** The steps of ValidatorNodeTest.stepsExport: 7000 + day, in the file's order. */
    private static List<BigInteger> steps(int days) {
        return LongStream.range(0, days).mapToObj(day -> BigInteger.valueOf(7000 + day)).toList();
    }

    private static BigInteger salt(long fileId) {
        return Circuits.salt(validatorKeys.secret(ColumnCommitter.saltPurpose(fileId, refinerId, STEPS)));
    }

    @Test
    void theValidatorCommitsToTheRefinedRowsOfEachNumericColumn() {
        List<Recorded> alice = commitments.commitmentsOf(aliceFile, refinerId);
        assertThat(alice).extracting(r -> r.column().name()).as("distance_km holds NULLs: not committed")
                .containsExactly(STEPS);
        Recorded steps = alice.get(0);
        assertThat(steps.column().rows()).isEqualTo(30);
        assertThat(steps.column().scale()).isZero();
        assertThat(steps.service()).isEqualTo(validatorKeys.wallet().address());
        assertThat(steps.column().commitment()).as("the rows as refined, in order, under the enclave's salt")
                .isEqualTo(circuits.commitment(steps(30), salt(aliceFile)));
        assertThat(commitments.commitmentOf(daveFile, refinerId, STEPS).column().commitment())
                .isEqualTo(circuits.commitment(steps(20), salt(daveFile)));
        assertThat(salt(aliceFile)).as("a salt per file").isNotEqualTo(salt(daveFile));
    }

    @Test
    void anAggregateProofVerifiesAgainstTheFilesCommitmentAndAgreesWithJava() {
        BigInteger threshold = BigInteger.valueOf(7015);
        AggregateProof proof = circuits.proveAggregate(steps(30), salt(aliceFile), threshold);

        Aggregate proved = commitments.verifyAggregate(aliceFile, refinerId, STEPS, proof.proof(), proof.publicSignals());

        List<BigInteger> atLeast = steps(30).stream().filter(v -> v.compareTo(threshold) >= 0).toList();
        assertThat(proved.count()).isEqualTo(30);
        assertThat(proved.sum()).isEqualTo(steps(30).stream().reduce(BigInteger.ZERO, BigInteger::add));
        assertThat(proved.countAtLeast()).isEqualTo(atLeast.size());
        assertThat(proved.sumAtLeast()).isEqualTo(atLeast.stream().reduce(BigInteger.ZERO, BigInteger::add));
        assertThat(proved.threshold()).isEqualTo(threshold);
        assertThat(proved.scale()).isZero();
    }

    @Test
    void everyAlteredProofIsRefusedByName() {
        AggregateProof proof = circuits.proveAggregate(steps(30), salt(aliceFile), BigInteger.valueOf(7015));

        List<BigInteger> biggerSum = new ArrayList<>(proof.publicSignals());
        biggerSum.set(1, biggerSum.get(1).add(BigInteger.ONE));
        assertThatThrownBy(() -> commitments.verifyAggregate(aliceFile, refinerId, STEPS, proof.proof(), biggerSum))
                .isInstanceOf(ChainException.class).hasMessageContaining("DataCommitmentsInvalidProof");

        List<BigInteger> moreRows = new ArrayList<>(proof.publicSignals());
        moreRows.set(0, BigInteger.valueOf(31));
        assertThatThrownBy(() -> commitments.verifyAggregate(aliceFile, refinerId, STEPS, proof.proof(), moreRows))
                .hasMessageContaining("DataCommitmentsSignalMismatch");

        assertThatThrownBy(() -> commitments.verifyAggregate(daveFile, refinerId, STEPS, proof.proof(),
                proof.publicSignals())).as("Alice's proof against Dave's file")
                .hasMessageContaining("DataCommitmentsSignalMismatch");

        // Rows that are not the refined ones make a valid proof of another commitment, which the chain refuses.
        List<BigInteger> doctored = new ArrayList<>(steps(30));
        doctored.set(0, BigInteger.valueOf(9000));
        AggregateProof ofOtherRows = circuits.proveAggregate(doctored, salt(aliceFile), BigInteger.valueOf(7015));
        assertThatThrownBy(() -> commitments.verifyAggregate(aliceFile, refinerId, STEPS, ofOtherRows.proof(),
                ofOtherRows.publicSignals())).hasMessageContaining("DataCommitmentsSignalMismatch");

        assertThatThrownBy(() -> commitments.verifyAggregate(aliceFile, refinerId, "daily_steps.distance_km",
                proof.proof(), proof.publicSignals())).hasMessageContaining("DataCommitmentsUnknown");
    }

    @Test
    void nobodyButTheRefinementServiceCommitsAndNothingIsCommittedTwice() {
        Wallet stranger = net.fundedWallet();
        var forged = List.of(new CommitmentsChain.Column(STEPS, BigInteger.ONE, 30, 0));
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), stranger)) {
            CommitmentsChain asStranger = CommitmentsChain.required(connection, net.deployment);
            assertThatThrownBy(() -> asStranger.commit(aliceFile, refinerId, forged))
                    .hasMessageContaining("DataCommitmentsNotService");
        }
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), validatorKeys.wallet())) {
            CommitmentsChain asValidator = CommitmentsChain.required(connection, net.deployment);
            assertThatThrownBy(() -> asValidator.commit(aliceFile, refinerId, forged))
                    .hasMessageContaining("DataCommitmentsRefinementCommitted");
        }
        assertThat(commitments.commitmentOf(aliceFile, refinerId, STEPS).column().commitment())
                .isEqualTo(circuits.commitment(steps(30), salt(aliceFile)));
        assertThatThrownBy(() -> commitments.commitmentOf(aliceFile, refinerId, "daily_steps.distance_km"))
                .hasMessageEndingWith("DataCommitmentsUnknown(" + aliceFile + ", " + refinerId
                        + ", daily_steps.distance_km)");
    }

    private static ClaimClient claimsAs(Wallet wallet, ChainConnection connection) {
        return new ClaimClient(new DataCoopChain(connection, net.deployment), CommitmentsChain.required(connection,
                net.deployment), wallet);
    }

    @Test
    void theOwnerHasAClaimProvedAndRecordedAndNoFalseOrForeignClaimIsProved() throws Exception {
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), alice)) {
            ClaimClient claims = claimsAs(alice, connection);
            ClaimClient.Claim made = claims.prove(aliceFile, refinerId, STEPS, new BigDecimal("7015"), 15);
            assertThat(made.txHash()).startsWith("0x");
            assertThat(made.prover()).isEqualTo(validatorKeys.wallet().address());

            assertThatThrownBy(() -> claims.prove(aliceFile, refinerId, STEPS, new BigDecimal("7015"), 16))
                    .isInstanceOfSatisfying(ClaimClient.ClaimRefused.class, e -> assertThat(e.status()).isEqualTo(422))
                    .hasMessage("the claim does not hold for file " + aliceFile + "'s " + STEPS
                            + ": fewer than 16 rows are at least the threshold");
            assertThatThrownBy(() -> claims.prove(aliceFile, refinerId, "daily_steps.distance_km", BigDecimal.ONE, 1))
                    .hasMessageContaining("DataCommitmentsUnknown");
            assertThatThrownBy(() -> claims.prove(aliceFile, refinerId, STEPS, new BigDecimal("7000.5"), 1))
                    .isInstanceOfSatisfying(ClaimClient.ClaimRefused.class, e -> assertThat(e.status()).isEqualTo(400))
                    .hasMessageContaining("at_least");
        }
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), dave)) {
            assertThatThrownBy(() -> claimsAs(dave, connection).prove(aliceFile, refinerId, STEPS, BigDecimal.ONE, 1))
                    .isInstanceOfSatisfying(ClaimClient.ClaimRefused.class, e -> assertThat(e.status()).isEqualTo(403))
                    .hasMessage("the claim is signed by " + dave.address() + ", not by file " + aliceFile + "'s owner "
                            + alice.address());
        }

        JsonNode proved = cli.ok(alice, "claim", "prove", "--file", Long.toString(aliceFile), "--refiner",
                Long.toString(refinerId), "--column", STEPS, "--at-least", "7000", "--rows", "30", "--json");
        assertThat(proved.path("txHash").asText()).startsWith("0x");
        cli.refusedWithNothingSent(alice, "fewer than 31 rows", "claim", "prove", "--file", Long.toString(aliceFile),
                "--refiner", Long.toString(refinerId), "--column", STEPS, "--at-least", "7000", "--rows", "31");

        JsonNode shown = cli.ok(dave, "claim", "show", "--file", Long.toString(aliceFile), "--refiner",
                Long.toString(refinerId), "--json");
        assertThat(shown.path("committedColumns")).singleElement()
                .satisfies(c -> assertThat(c.asText()).isEqualTo(STEPS + " (30 rows, scale 0)"));
        assertThat(shown.path("claims")).hasSize(2);
        assertThat(shown.path("claims").get(0).path("atLeast").asText()).isEqualTo("7015");
        assertThat(shown.path("claims").get(0).path("rows").asLong()).isEqualTo(15);
        assertThat(shown.path("claims").get(1).path("atLeast").asText()).isEqualTo("7000");
        assertThat(shown.path("claims").get(1).path("rows").asLong()).isEqualTo(30);
        assertThat(shown.path("claims").get(1).path("prover").asText()).isEqualTo(validatorKeys.wallet().address().value());
        assertThat(commitments.claimsOf(daveFile, refinerId)).as("nothing recorded about Dave's file").isEmpty();

        // Once Alice sells her data in the ownership registry, its claims are Dave's to ask for, not hers.
        try (ChainConnection asAlice = ChainConnection.open(net.anvil.rpcUrl(), alice)) {
            OwnershipChain ownership = new DataCoopChain(asAlice, net.deployment).ownership();
            String hash = ownership.hashOfFile(aliceFile).orElseThrow(() -> new AssertionError("file not bound"));
            ownership.transfer(hash, dave.address());
            assertThatThrownBy(() -> claimsAs(alice, asAlice).prove(aliceFile, refinerId, STEPS, BigDecimal.ONE, 1))
                    .hasMessage("the claim is signed by " + alice.address() + ", not by file " + aliceFile + "'s owner "
                            + dave.address());
        }
        try (ChainConnection asDave = ChainConnection.open(net.anvil.rpcUrl(), dave)) {
            claimsAs(dave, asDave).prove(aliceFile, refinerId, STEPS, new BigDecimal("7029"), 1);
        }
        assertThat(commitments.claimsOf(aliceFile, refinerId)).hasSize(3);
    }
}
