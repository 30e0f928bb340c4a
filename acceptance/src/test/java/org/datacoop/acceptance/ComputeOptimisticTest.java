package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.TaskSpec;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.compute.builtin.Builtin;
import org.datacoop.compute.trace.Trace;
import org.datacoop.node.ValidatorService;
import org.datacoop.node.job.JobSettings;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.query.Refiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An honest optimistic (OP) task on a real devnet, through the chain alone: the worker trains, keeps
 * its trace and proposes the result with the trace's root and its bond; during the challenge window the
 * result is not verified and cannot be finalized; the worker is stopped, the window passes (blocks
 * mined), and the restarted worker finalizes it from its journal: verified, its bond returned, its fee
 * and the data price paid as a TEE proof's. The CLI submits one ({@code --mode op}) and shows its window.
 */
class ComputeOptimisticTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigInteger PRICE = BigInteger.TEN.pow(15);
    private static final long BPS = 10_000;
    private static final String SQL = "SELECT distance_km, steps FROM daily_steps";
    private static final String PARAMS = "{\"features\": [\"distance_km\"], \"label\": {\"column\": \"steps\", \"above\": 8000},"
            + " \"epochs\": 5, \"seed\": 7}";

    @TempDir
    static Path dir;

    private static Devnet net;
    /** The validator, started here so that the test can stop and restart it on the same data dir. */
    private static ValidatorService validator;
    private static Refiner refiner;
    private static Wallet builder;
    private static List<Long> permissions;

    @BeforeAll
    static void refineTwoContributorsFilesAndLetTheBuilderTrain() throws Exception {
        net = Devnet.startWithoutValidator(dir);
        validator = startValidator();
        ComputeTasks.Builder trainer = ComputeTasks.trainingBuilder(net, dir, PRICE);
        refiner = trainer.refiner();
        builder = trainer.wallet();
        permissions = trainer.permissions();
    }

    @AfterAll
    static void stopNetwork() {
        if (validator != null) {
            validator.close();
        }
        if (net != null) {
            net.close();
        }
    }

    private static ValidatorService startValidator() {
        return ValidatorService.start(net.deployment, net.nodeDir, JobSettings.DEFAULT, "127.0.0.1", 0,
                Optional.of(Anvil.DEV_ACCOUNT_KEY));
    }

    @Test
    void anHonestOpTrainingIsProposedThenFinalizedAfterItsWindowByTheRestartedWorker() throws Exception {
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            ComputeChain compute = new ComputeChain(connection, net.deployment);
            Address worker = validator.address();
            Address admin = net.admin.account();
            BigInteger workerBefore = compute.earnings(Address.ZERO, worker);
            BigInteger adminBefore = compute.earnings(Address.ZERO, admin);
            BigInteger bondsBefore = compute.disputeEarnings(worker); // other tests' bonds, returned
            ComputeChain.DisputeConfig game = compute.disputeConfig();

            String taskId = submit(compute, ComputeChain.Mode.OP).taskId();

            ComputeChain.Record proposed = ComputeTasks.await(compute, taskId);
            assertThat(proposed.status()).as(proposed.failureReason()).isEqualTo(ComputeChain.Status.PROPOSED);
            assertThat(compute.verifyResult(taskId)).as("not verified during its window").isFalse();
            ComputeChain.Proposal proposal = compute.proposal(taskId).orElseThrow();
            assertThat(proposal.worker()).isEqualTo(worker);
            assertThat(proposal.status()).isEqualTo(ComputeChain.ProposalStatus.OPEN);
            assertThat(proposal.bond()).isEqualTo(game.workerBond()).isPositive();
            assertThat(proposal.resultHash()).isEqualTo(proposed.resultHash());
            assertThat(proposal.traceLength()).as("the inputs, 5 epochs and the output: 6 steps").isEqualTo(6);
            assertThat(proposal.initialState()).isEqualTo(hex(compute.initialState(taskId, proposed.dataRoot())));

            // The trace the worker kept is the one it committed to.
            Trace kept = Trace.parse(Files.readString(traceFile(taskId)));
            assertThat(kept.rootHex()).isEqualTo(proposal.traceRoot());
            assertThat(kept.length()).isEqualTo(proposal.traceLength());
            assertThat(hex(kept.state(0))).isEqualTo(proposal.initialState());
            assertThat(hex(kept.state(6))).isEqualTo(proposed.resultHash());

            // Nothing is paid and nobody can finalize while the window runs.
            assertThat(compute.blockNumber()).isLessThanOrEqualTo(proposal.windowEnd());
            assertThatThrownBy(() -> compute.finalizeResult(taskId)).hasMessageContaining("DisputeGameWindowOpen");
            assertThat(compute.earnings(Address.ZERO, worker)).isEqualTo(workerBefore);
            assertThat(compute.disputeEarnings(worker)).isEqualTo(bondsBefore);

            validator.close();
            validator = null;
            ComputeTasks.mine(net, proposal.windowEnd() - compute.blockNumber() + 1);
            assertThat(compute.record(taskId).status()).as("no one finalized it yet").isEqualTo(ComputeChain.Status.PROPOSED);
            validator = startValidator();

            ComputeChain.Record verified = ComputeTasks.await(compute, taskId, ComputeChain.Status.PROPOSED);
            assertThat(verified.status()).as(verified.failureReason()).isEqualTo(ComputeChain.Status.VERIFIED);
            assertThat(verified.resultHash()).isEqualTo(proposed.resultHash());
            assertThat(compute.verifyResult(taskId)).isTrue();
            assertThat(compute.proposal(taskId).orElseThrow().status()).isEqualTo(ComputeChain.ProposalStatus.ACCEPTED);
            assertThat(compute.disputeEarnings(worker).subtract(bondsBefore)).as("the worker's bond, returned")
                    .isEqualTo(game.workerBond());
            // Paid as a TEE proof is: the worker's fee, the data price split at the QueryEngine's shares.
            QueryChain.Shares shares = new QueryChain(net.admin, net.deployment).shares(net.deployment.sampleDlpId());
            BigInteger contributorsCut = PRICE.subtract(PRICE.multiply(BigInteger.valueOf(shares.protocolBps())).divide(
                    BigInteger.valueOf(BPS))).subtract(PRICE.multiply(BigInteger.valueOf(shares.dataDaoBps())).divide(BigInteger.valueOf(BPS)));
            assertThat(compute.earnings(Address.ZERO, worker).subtract(workerBefore)).isEqualTo(ComputeTasks.FEE);
            assertThat(compute.earnings(Address.ZERO, admin).subtract(adminBefore))
                    .isEqualTo(PRICE.subtract(contributorsCut).multiply(BigInteger.TWO));
            assertThatThrownBy(() -> compute.finalizeResult(taskId)).as("once").hasMessageContaining("VerifierNotProposed");
        }
    }

    @Test
    void finalizingATaskNotProposedOrProposingOneNotOwnIsRefusedByName() throws Exception {
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            ComputeChain compute = new ComputeChain(connection, net.deployment);
            String unknown = "0x" + "ab".repeat(32);
            assertThatThrownBy(() -> compute.finalizeResult(unknown)).hasMessageContaining("VerifierUnknownTask");
            assertThatThrownBy(() -> compute.finalizeResult("0x1234")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("0x1234 is not 32 bytes");
            assertThat(compute.proposal(unknown)).isEmpty();

            String tee = submit(compute, ComputeChain.Mode.TEE).taskId();
            assertThat(ComputeTasks.await(compute, tee).status()).isEqualTo(ComputeChain.Status.VERIFIED);
            assertThatThrownBy(() -> compute.finalizeResult(tee)).as("a TEE task has no window")
                    .hasMessageContaining("VerifierNotProposed");
            assertThat(compute.proposal(tee)).isEmpty();
            ComputeChain.Proof proof = compute.proof(tee).orElseThrow();
            assertThatThrownBy(() -> compute.submitOptimisticResult(tee, compute.record(tee).resultHash(), proof.signature(),
                    proof.report(), "0x" + "01".repeat(32), 1, compute.disputeConfig().workerBond()))
                    .as("a builder replaying a worker's proof as an OP result").hasMessageContaining("VerifierNotSubmitted");

            assertThatThrownBy(() -> submit(compute, ComputeChain.Mode.TEE_ZK)).hasMessageContaining("TaskCoordinatorModeNotSupported");
        }
    }

    @Test
    void theCliSubmitsAnOpTaskAndShowsItsWindowUntilItIsFinalized() throws Exception {
        Path dataDir = Files.createDirectories(dir.resolve("cli"));
        net.deployment.writeTo(dataDir);

        CoopProcess.Result submitted = CoopProcess.run(CoopProcess.as(builder.privateKeyHex(), "task", "submit", "--dlp",
                Long.toString(net.deployment.sampleDlpId()), "--sql", SQL, "--algorithm", "logistic-regression", "--params",
                PARAMS, "--mode", "op", "--json", "--data-dir", dataDir.toString()));

        assertThat(submitted.exit()).as(submitted.err()).isZero();
        String taskId = JSON.readTree(submitted.out()).path("taskId").asText();
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            ComputeChain compute = new ComputeChain(connection, net.deployment);
            assertThat(ComputeTasks.await(compute, taskId).status()).isEqualTo(ComputeChain.Status.PROPOSED);
            long windowEnd = compute.proposal(taskId).orElseThrow().windowEnd();

            JsonNode shown = JSON.readTree(show(dataDir, taskId, "--json"));
            assertThat(shown.path("mode").asText()).isEqualTo("op");
            assertThat(shown.path("status").asText()).isEqualTo("proposed");
            assertThat(shown.path("window").path("status").asText()).isEqualTo("open");
            assertThat(shown.path("window").path("windowEnd").asLong()).isEqualTo(windowEnd);
            assertThat(shown.path("window").path("block").asLong()).isLessThanOrEqualTo(windowEnd);
            assertThat(shown.path("window").path("traceLength").asLong()).isEqualTo(6);
            assertThat(show(dataDir, taskId)).contains("mode        op", "window      open until block " + windowEnd);

            ComputeTasks.mine(net, windowEnd - compute.blockNumber() + 1);
            assertThat(ComputeTasks.await(compute, taskId, ComputeChain.Status.PROPOSED).status()).isEqualTo(ComputeChain.Status.VERIFIED);
            assertThat(show(dataDir, taskId)).contains("status      verified", "window      passed unchallenged");
        }
        CoopProcess.Result verified = CoopProcess.run(CoopProcess.coop("task", "verify", taskId, "--json", "--data-dir",
                dataDir.toString()));
        assertThat(verified.exit()).as(verified.err()).isZero();
        JsonNode checks = JSON.readTree(verified.out());
        assertThat(checks.path("verified").asBoolean()).isTrue();
        assertThat(checks.path("checks")).hasSizeGreaterThan(10)
                .allSatisfy(check -> assertThat(check.path("passed").asBoolean()).as(check.toString()).isTrue());
        CoopProcess.Result unknownMode = CoopProcess.run(CoopProcess.as(builder.privateKeyHex(), "task", "submit", "--dlp",
                Long.toString(net.deployment.sampleDlpId()), "--sql", SQL, "--algorithm", "logistic-regression", "--mode",
                "optimistic", "--json", "--data-dir", dataDir.toString()));
        assertThat(unknownMode.exit()).isEqualTo(1);
        assertThat(JSON.readTree(unknownMode.out()).path("error").asText())
                .contains("--mode optimistic is not supported; the verify modes are tee and op");
    }

    private static String show(Path dataDir, String taskId, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("task", "show", taskId, "--data-dir", dataDir.toString()));
        args.addAll(List.of(options));
        CoopProcess.Result shown = CoopProcess.run(CoopProcess.coop(args.toArray(String[]::new)));
        assertThat(shown.exit()).as(shown.err()).isZero();
        return shown.out();
    }

    private static ComputeChain.Submitted submit(ComputeChain compute, ComputeChain.Mode mode) {
        TaskSpec spec = new TaskSpec(net.deployment.sampleDlpId(), SQL, Builtin.LOGISTIC_REGRESSION.descriptor(), PARAMS,
                builder.publicKey(), Optional.empty());
        return ComputeTasks.submit(net, compute, builder, validator.address(), new ComputeTasks.Task(
                net.deployment.sampleDlpId(), refiner.id(), permissions, Builtin.LOGISTIC_REGRESSION.digest().toString(), spec),
                SQL, Instant.now().plus(java.time.Duration.ofHours(1)).getEpochSecond(), mode);
    }

    private static Path traceFile(String taskId) throws IOException {
        try (Stream<Path> files = Files.walk(net.nodeDir.resolve("tasks"))) {
            return files.filter(f -> f.getFileName().toString().equals(taskId + ".trace")).findFirst()
                    .orElseThrow(() -> new AssertionError("the worker kept no trace of task " + taskId));
        }
    }

    private static String hex(byte[] bytes) {
        return org.datacoop.protocol.Hex.prefixed(bytes);
    }
}
