package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.TaskSpec;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.compute.builtin.Builtin;
import org.datacoop.node.ValidatorService;
import org.datacoop.node.job.JobSettings;
import org.datacoop.protocol.Address;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Optimistic (OP) disputes on a real devnet, played by validators alone: a worker, a challenger bonded
 * for the sample DataDAO, and two referees (the DisputeGame's quorum), all four refinement services of
 * it that share its refined data. A worker told to lie ({@code dishonestOpStep}) is challenged, bisected
 * down to one step, decided against by the referees and slashed, and its task refunded; a challenger
 * told to lie loses its bond and the honest result is verified; a worker that stops answering loses by
 * timeout. Every ether the game took in is accounted for: paid, burnt or still held.
 */
class ComputeDisputeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigInteger PRICE = BigInteger.TEN.pow(15);
    private static final long BPS = 10_000;
    /** The trace of 5 epochs has states 0 to 6; a liar's go wrong from state 3 on. */
    private static final int LIE_FROM = 3;

    @TempDir
    static Path dir;

    private static Devnet net;
    private static final int WORKER = 0;
    private static final int CHALLENGER = 1;
    private static final ValidatorService[] nodes = new ValidatorService[4];
    /** Each node's address, kept: a stopped node still has one. */
    private static final Address[] addresses = new Address[4];
    /** The builder (its wallet), its permissions and the refiner it reads. */
    private static ComputeTasks.Builder trainer;
    private static long dlpId;

    @BeforeAll
    static void fourValidatorsOneOfThemAChallengerAndTheBuilderWithData() throws Exception {
        net = Devnet.startWithoutValidator(dir);
        dlpId = net.deployment.sampleDlpId();
        // All four first: each refinement then shares its key with the other three.
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = start(i, JobSettings.DEFAULT);
            addresses[i] = nodes[i].address();
        }
        new ComputeChain(net.admin, net.deployment).admitChallenger(dlpId, addresses[CHALLENGER]);
        new ComputeChain(nodes[CHALLENGER].connection(), net.deployment).joinChallengers(dlpId);
        trainer = ComputeTasks.trainingBuilder(net, dir, PRICE);
    }

    @AfterAll
    static void stopNetwork() {
        for (ValidatorService node : nodes) {
            if (node != null) {
                node.close();
            }
        }
        if (net != null) {
            net.close();
        }
    }

    private static ValidatorService start(int i, JobSettings settings) {
        return ValidatorService.start(net.deployment, dir.resolve("node-" + i), settings, "127.0.0.1", 0,
                Optional.of(Anvil.DEV_ACCOUNT_KEY));
    }

    /** Starts node {@code i} anew (stopping it first if it runs) with {@code settings}. */
    private static void restart(int i, JobSettings settings) {
        if (nodes[i] != null) {
            nodes[i].close();
            nodes[i] = null;
        }
        nodes[i] = start(i, settings);
    }

    @Test
    void aWrongResultIsChallengedBisectedDecidedAgainstTheWorkerWhoIsSlashedAndTheTaskRefunded() throws Exception {
        restart(WORKER, JobSettings.DEFAULT.withDishonestOpStep(LIE_FROM));
        restart(CHALLENGER, JobSettings.DEFAULT);
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), trainer.wallet())) {
            ComputeChain compute = new ComputeChain(connection, net.deployment);
            ComputeChain.DisputeConfig game = compute.disputeConfig();
            Ledger before = Ledger.read(compute);
            ComputeChain.Challenger challengerBefore = compute.challenger(dlpId, addresses[CHALLENGER]);

            ComputeChain.Submitted submitted = submit(compute);
            String taskId = submitted.taskId();
            ComputeChain.Dispute ended = awaitDispute(compute, taskId, d -> d.phase().ended());

            assertThat(ended.phase()).isEqualTo(ComputeChain.DisputePhase.CHALLENGER_WON);
            assertThat(ended.challenger()).isEqualTo(addresses[CHALLENGER]);
            assertThat(ended.hi() - ended.lo()).as("bisected to one step").isEqualTo(1);
            assertThat(ended.lo()).as("the first state the liar changed is the step after the agreed one")
                    .isEqualTo(LIE_FROM - 1);
            assertThat(ended.moves()).as("at most ceil(log2 6) + 1 moves").isBetween(1L, 4L);
            assertThat(compute.verifyResult(taskId)).isFalse();

            // The worker's bond: a fifth burnt, a tenth to the two referees, the rest to the challenger.
            BigInteger bond = game.workerBond();
            BigInteger burnt = part(bond, game.burnBps());
            BigInteger each = part(bond, game.refereeBps()).divide(BigInteger.TWO);
            Ledger after = Ledger.read(compute);
            assertThat(after.burnt().subtract(before.burnt())).isEqualTo(burnt);
            assertThat(after.earnings(CHALLENGER).subtract(before.earnings(CHALLENGER)))
                    .isEqualTo(bond.subtract(burnt).subtract(each.multiply(BigInteger.TWO)));
            assertThat(after.earnings(2).subtract(before.earnings(2))).isEqualTo(each);
            assertThat(after.earnings(3).subtract(before.earnings(3))).isEqualTo(each);
            assertThat(after.earnings(WORKER)).as("nothing back for the liar").isEqualTo(before.earnings(WORKER));
            assertThat(after.inGame().subtract(before.inGame())).as("paid + burnt + held = deposited").isEqualTo(bond);
            assertThat(after.challengerBonds()).as("the challenger's bond unlocked, not slashed")
                    .isEqualTo(before.challengerBonds());
            ComputeChain.Challenger record = compute.challenger(dlpId, addresses[CHALLENGER]);
            assertThat(record.won()).isEqualTo(challengerBefore.won() + 1);
            assertThat(record.lockedIn()).isEqualTo(ZERO);

            String shown = cli(null, "task", "show", taskId).out();
            assertThat(shown).contains("dispute     by challenger " + addresses[CHALLENGER],
                    "the challenger won; the worker " + addresses[WORKER] + " was slashed at step " + (LIE_FROM - 1),
                    "move 1 by the worker: states 0 to 6 in dispute; its state at 3 is",
                    "move 4 by the challenger: states 2 to 3 in dispute");
            JsonNode dispute = JSON.readTree(cli(null, "task", "show", taskId, "--json").out()).path("dispute");
            assertThat(dispute.path("phase").asText()).isEqualTo("challenger_won");
            assertThat(dispute.path("moves")).hasSize((int) ended.moves());

            // The worker finalizes its rejected result: failed, and the builder is refunded in full.
            ComputeChain.Record failed = ComputeTasks.await(compute, taskId, ComputeChain.Status.PROPOSED);
            assertThat(failed.status()).isEqualTo(ComputeChain.Status.FAILED);
            assertThat(compute.verifyResult(taskId)).isFalse();
            BigInteger builderBefore = compute.earnings(Address.ZERO, trainer.wallet().address());
            compute.refund(taskId);
            assertThat(compute.record(taskId).status()).isEqualTo(ComputeChain.Status.REFUNDED);
            assertThat(compute.earnings(Address.ZERO, trainer.wallet().address()).subtract(builderBefore))
                    .isEqualTo(ComputeTasks.FEE.add(submitted.dataPrice()));
        }
    }

    @Test
    void aFalseChallengeLosesTheChallengersBondAndTheHonestResultIsVerified() throws Exception {
        restart(WORKER, JobSettings.DEFAULT);
        restart(CHALLENGER, JobSettings.DEFAULT.withDishonestOpStep(LIE_FROM));
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), trainer.wallet())) {
            ComputeChain compute = new ComputeChain(connection, net.deployment);
            ComputeChain.DisputeConfig game = compute.disputeConfig();
            BigInteger challengerBond = compute.challengerBond();
            Ledger before = Ledger.read(compute);

            String taskId = submit(compute).taskId();
            ComputeChain.Dispute ended = awaitDispute(compute, taskId, d -> d.phase().ended());

            assertThat(ended.phase()).isEqualTo(ComputeChain.DisputePhase.WORKER_WON);
            assertThat(ended.lo()).isEqualTo(LIE_FROM - 1);
            BigInteger burnt = part(challengerBond, game.burnBps());
            BigInteger each = part(challengerBond, game.refereeBps()).divide(BigInteger.TWO);
            Ledger after = Ledger.read(compute);
            assertThat(after.challengerBonds().subtract(before.challengerBonds())).as("the challenger's bond, slashed")
                    .isEqualTo(challengerBond.negate());
            assertThat(after.burnt().subtract(before.burnt())).isEqualTo(burnt);
            assertThat(after.earnings(WORKER).subtract(before.earnings(WORKER)))
                    .isEqualTo(challengerBond.subtract(burnt).subtract(each.multiply(BigInteger.TWO)));
            assertThat(after.earnings(2).subtract(before.earnings(2))).isEqualTo(each);
            assertThat(after.inGame().subtract(before.inGame())).as("the worker's bond held, the challenger's paid out")
                    .isEqualTo(game.workerBond().add(challengerBond));
            assertThat(compute.isChallenger(dlpId, addresses[CHALLENGER])).as("no bond left").isFalse();
            assertThat(compute.verifyResult(taskId)).as("back in its window").isFalse();

            ComputeChain.Proposal proposal = compute.proposal(taskId).orElseThrow();
            assertThat(proposal.status()).isEqualTo(ComputeChain.ProposalStatus.OPEN);
            ComputeTasks.mine(net, proposal.windowEnd() - compute.blockNumber() + 1);
            ComputeChain.Record verified = ComputeTasks.await(compute, taskId, ComputeChain.Status.PROPOSED);
            assertThat(verified.status()).as(verified.failureReason()).isEqualTo(ComputeChain.Status.VERIFIED);
            assertThat(compute.verifyResult(taskId)).isTrue();
            assertThat(Ledger.read(compute).earnings(WORKER).subtract(after.earnings(WORKER)))
                    .as("the worker's bond returned").isEqualTo(game.workerBond());
        } finally {
            // The other tests need a bonded, honest challenger.
            restart(CHALLENGER, JobSettings.DEFAULT);
            ComputeChain asChallenger = new ComputeChain(nodes[CHALLENGER].connection(), net.deployment);
            if (!asChallenger.isChallenger(dlpId, addresses[CHALLENGER])) {
                asChallenger.joinChallengers(dlpId);
            }
        }
    }

    @Test
    void aWorkerThatStopsAnsweringLosesByTimeout() throws Exception {
        restart(WORKER, JobSettings.DEFAULT.withDishonestOpStep(LIE_FROM));
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), trainer.wallet())) {
            ComputeChain compute = new ComputeChain(connection, net.deployment);
            ComputeChain.DisputeConfig game = compute.disputeConfig();
            Ledger before = Ledger.read(compute);

            String taskId = submit(compute).taskId();
            assertThat(ComputeTasks.await(compute, taskId).status()).isEqualTo(ComputeChain.Status.PROPOSED);
            nodes[WORKER].close(); // proposed, then gone: it never moves
            nodes[WORKER] = null;
            ComputeChain.Dispute opened = awaitDispute(compute, taskId, d -> true);
            assertThat(opened.phase()).isEqualTo(ComputeChain.DisputePhase.BISECTING);
            assertThat(opened.workerTurn()).isTrue();
            ComputeTasks.mine(net, opened.deadline() - compute.blockNumber() + 1);

            ComputeChain.Dispute ended = awaitDispute(compute, taskId, d -> d.phase().ended());
            assertThat(ended.phase()).isEqualTo(ComputeChain.DisputePhase.CHALLENGER_WON);
            assertThat(ended.moves()).isZero();
            BigInteger bond = game.workerBond();
            BigInteger burnt = part(bond, game.burnBps());
            Ledger after = Ledger.read(compute);
            assertThat(after.earnings(CHALLENGER).subtract(before.earnings(CHALLENGER)))
                    .as("no referees: the challenger keeps their part").isEqualTo(bond.subtract(burnt));
            assertThat(after.burnt().subtract(before.burnt())).isEqualTo(burnt);
            assertThat(after.inGame().subtract(before.inGame())).isEqualTo(bond);

            restart(WORKER, JobSettings.DEFAULT);
            assertThat(ComputeTasks.await(compute, taskId, ComputeChain.Status.PROPOSED).status())
                    .as("the restarted worker finalizes its rejected result").isEqualTo(ComputeChain.Status.FAILED);
        }
    }

    @Test
    void theCliAdmitsShowsAndLetsAValidatorLeaveAndJoinAgainAndRefusesOthersByName() throws Exception {
        String challengerKey = Files.readString(dir.resolve("node-" + CHALLENGER).resolve("signing.key")).strip();
        String dlp = Long.toString(dlpId);
        JsonNode shown = JSON.readTree(cli(null, "challenger", "show", "--dlp", dlp, addresses[CHALLENGER].value(), "--json")
                .out());
        assertThat(shown.path("admitted").asBoolean()).isTrue();
        assertThat(shown.path("bond").asText()).isEqualTo("0.1");

        JsonNode left = JSON.readTree(cli(challengerKey, "challenger", "leave", "--dlp", dlp, "--json").out());
        assertThat(left.path("bond").asText()).isEqualTo("0");
        assertThat(cli(null, "challenger", "show", "--dlp", dlp, addresses[CHALLENGER].value()).out())
                .contains("admitted    yes", "bond        0 ETH (not joined)", "disputing   none");
        JsonNode joined = JSON.readTree(cli(challengerKey, "challenger", "join", "--dlp", dlp, "--json").out());
        assertThat(joined.path("bond").asText()).isEqualTo("0.1");
        assertThat(joined.path("txHash").asText()).startsWith("0x");

        String builderKey = trainer.wallet().privateKeyHex();
        CoopProcess.Result stranger = CoopProcess.run(CoopProcess.as(builderKey, "challenger", "join", "--dlp",
                dlp, "--data-dir", cliDir().toString()));
        assertThat(stranger.exit()).isEqualTo(1);
        assertThat(stranger.out() + stranger.err())
                .contains("ChallengerRegistryNotAdmitted(" + dlp + ", " + trainer.wallet().address());
        CoopProcess.Result notOwner = CoopProcess.run(CoopProcess.as(builderKey, "challenger", "admit", "--dlp",
                dlp, addresses[2].value(), "--data-dir", cliDir().toString()));
        assertThat(notOwner.exit()).isEqualTo(1);
        assertThat(notOwner.out() + notOwner.err()).contains("ChallengerRegistryNotDataDaoOwner(" + dlp);
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), trainer.wallet())) {
            assertThat(new ComputeChain(connection, net.deployment).challenger(dlpId, addresses[2]).admitted())
                    .as("nothing changed").isFalse();
        }
    }

    /** Runs {@code coop ARGS} on the test's devnet, as {@code key} when given; fails unless it succeeds. */
    private static CoopProcess.Result cli(String key, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data-dir", cliDir().toString()));
        String[] line = all.toArray(String[]::new);
        CoopProcess.Result result = CoopProcess.run(key == null ? CoopProcess.coop(line) : CoopProcess.as(key, line));
        assertThat(result.exit()).as(result.err()).isZero();
        return result;
    }

    private static Path cliDir() throws IOException {
        Path cli = dir.resolve("cli");
        if (!Files.exists(cli)) {
            Files.createDirectories(cli);
            net.deployment.writeTo(cli);
        }
        return cli;
    }

    @Test
    void aResultProposedBeforeTheChallengerJoinedIsChallengedOnRequestAndOthersAreRefusedByName() throws Exception {
        restart(WORKER, JobSettings.DEFAULT.withDishonestOpStep(LIE_FROM));
        ComputeChain asChallenger = new ComputeChain(nodes[CHALLENGER].connection(), net.deployment);
        asChallenger.leaveChallengers(dlpId);
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), trainer.wallet())) {
            ComputeChain compute = new ComputeChain(connection, net.deployment);
            String taskId = submit(compute).taskId();
            assertThat(ComputeTasks.await(compute, taskId).status()).isEqualTo(ComputeChain.Status.PROPOSED);
            awaitScannedPast(compute.blockNumber()); // seen while it was no challenger: not taken

            String body = "{\"task_id\": \"" + taskId + "\"}";
            Answer notChallenger = post(nodes[CHALLENGER].url() + "/challenge", body);
            assertThat(notChallenger.status()).isEqualTo(403);
            assertThat(notChallenger.error()).contains("is not a challenger of a DataDAO task " + taskId + " reads");
            assertThat(post(nodes[WORKER].url() + "/challenge", body).error()).contains("proposed task " + taskId
                    + "'s result itself");
            assertThat(post(nodes[2].url() + "/challenge", "{\"task_id\": \"0x" + "cd".repeat(32) + "\"}").status())
                    .isEqualTo(404);
            assertThat(post(nodes[2].url() + "/challenge", "[1]").error()).contains("the body must be a JSON object");
            assertThat(compute.dispute(taskId)).as("nobody disputed it").isEmpty();

            asChallenger.joinChallengers(dlpId);
            JsonNode asked = JSON.readTree(cli(null, "task", "challenge", taskId, "--validator",
                    addresses[CHALLENGER].value(), "--json").out());
            assertThat(asked.path("state").asText()).isEqualTo("checking");
            ComputeChain.Dispute ended = awaitDispute(compute, taskId, d -> d.phase().ended());
            assertThat(ended.phase()).isEqualTo(ComputeChain.DisputePhase.CHALLENGER_WON);
            assertThat(ComputeTasks.await(compute, taskId, ComputeChain.Status.PROPOSED).status())
                    .isEqualTo(ComputeChain.Status.FAILED);
            assertThat(cli(null, "task", "challenge", taskId, "--validator", addresses[CHALLENGER].value()).out())
                    .contains("is disputed (won: the worker's result was wrong)");

            String tee = submit(compute, ComputeChain.Mode.TEE).taskId();
            assertThat(ComputeTasks.await(compute, tee).status()).isEqualTo(ComputeChain.Status.VERIFIED);
            Answer noResult = post(nodes[CHALLENGER].url() + "/challenge", "{\"task_id\": \"" + tee + "\"}");
            assertThat(noResult.status()).isEqualTo(409);
            assertThat(noResult.error()).contains("task " + tee + " has no OP result to challenge");
        } finally {
            if (!asChallenger.isChallenger(dlpId, addresses[CHALLENGER])) {
                asChallenger.joinChallengers(dlpId);
            }
        }
    }

    /** Waits until the challenger's scan of proposed results is past {@code block}. */
    private static void awaitScannedPast(long block) throws Exception {
        Instant deadline = Instant.now().plus(ComputeTasks.WAIT);
        while (true) {
            try (Stream<Path> files = Files.walk(dir.resolve("node-" + CHALLENGER).resolve("challenges"))) {
                Optional<Path> next = files.filter(f -> f.getFileName().toString().equals("next-block")).findFirst();
                if (next.isPresent() && Long.parseLong(Files.readString(next.get()).strip()) > block) {
                    return;
                }
            }
            assertThat(Instant.now()).as("the challenger scanned past block " + block + " in time").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void theRefereeEndpointRefusesWhatItCannotDecideByName() throws Exception {
        restart(WORKER, JobSettings.DEFAULT); // an honest result: nobody disputes it
        String url = nodes[2].url() + "/referee/step";
        assertThat(post(url, "{not json")).satisfies(r -> assertThat(r.status()).isEqualTo(400))
                .satisfies(r -> assertThat(r.error()).contains("the body is not JSON"));
        assertThat(post(url, "{\"task_id\": \"0x1234\"}").error()).contains("task_id must be a task id");
        assertThat(post(url, "{\"task_id\": \"0x" + "ab".repeat(32) + "\", \"step\": -1}").error())
                .contains("step must be a step number");
        Answer unknown = post(url, "{\"task_id\": \"0x" + "ab".repeat(32) + "\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).contains("there is no task 0x" + "ab".repeat(32));

        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), trainer.wallet())) {
            ComputeChain compute = new ComputeChain(connection, net.deployment);
            String taskId = submit(compute).taskId();
            assertThat(ComputeTasks.await(compute, taskId).status()).isEqualTo(ComputeChain.Status.PROPOSED);
            Answer outOfRange = post(url, "{\"task_id\": \"" + taskId + "\", \"step\": 6}");
            assertThat(outOfRange.status()).isEqualTo(400);
            assertThat(outOfRange.error()).contains("step 6 is out of range", "6 steps, 0 to 5");
            Answer undisputed = post(url, "{\"task_id\": \"" + taskId + "\", \"step\": 2}");
            assertThat(undisputed.status()).isEqualTo(409);
            assertThat(undisputed.error()).contains("is not deciding a step (it is not disputed)");
            assertThat(post(url, "{\"task_id\": \"" + taskId + "\"}", "GET").status()).isEqualTo(405);

            // Ended here, so its bond does not come back to the worker in another test's accounts.
            ComputeTasks.mine(net, compute.proposal(taskId).orElseThrow().windowEnd() - compute.blockNumber() + 1);
            assertThat(ComputeTasks.await(compute, taskId, ComputeChain.Status.PROPOSED).status())
                    .isEqualTo(ComputeChain.Status.VERIFIED);
        }
    }

    private record Answer(int status, String error) {}

    private static Answer post(String url, String body) throws Exception {
        return post(url, body, "POST");
    }

    private static Answer post(String url, String body, String method) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(response.body());
        return new Answer(response.statusCode(), answer.path("error").asText());
    }

    /**
     * The DisputeGame's and ChallengerRegistry's ether, in wei: workers' bonds held, earnings owed,
     * burnt, the challengers' bonds, and each validator's earnings.
     */
    private record Ledger(BigInteger held, BigInteger owed, BigInteger burnt, BigInteger challengerBonds,
            List<BigInteger> nodeEarnings) {
        static Ledger read(ComputeChain compute) {
            ComputeChain.Bonds bonds = compute.bonds();
            List<BigInteger> earnings = new ArrayList<>();
            for (Address node : addresses) {
                earnings.add(compute.disputeEarnings(node));
            }
            return new Ledger(bonds.held(), bonds.owed(), bonds.burnt(), bonds.challengerBonds(), earnings);
        }

        /** What the game holds in all: paid out (owed until claimed), burnt and held. */
        BigInteger inGame() {
            return held.add(owed).add(burnt);
        }

        BigInteger earnings(int node) {
            return nodeEarnings.get(node);
        }
    }

    private static final String ZERO = "0x" + "00".repeat(32);

    private static BigInteger part(BigInteger amount, int bps) {
        return amount.multiply(BigInteger.valueOf(bps)).divide(BigInteger.valueOf(BPS));
    }

    private static ComputeChain.Submitted submit(ComputeChain compute) {
        return submit(compute, ComputeChain.Mode.OP);
    }

    private static ComputeChain.Submitted submit(ComputeChain compute, ComputeChain.Mode mode) {
        TaskSpec spec = new TaskSpec(dlpId, ComputeTasks.TRAINING_SQL, Builtin.LOGISTIC_REGRESSION.descriptor(),
                ComputeTasks.TRAINING_PARAMS, trainer.wallet().publicKey(), Optional.empty());
        return ComputeTasks.submit(net, compute, trainer.wallet(), addresses[WORKER], new ComputeTasks.Task(dlpId,
                trainer.refiner().id(), trainer.permissions(), Builtin.LOGISTIC_REGRESSION.digest().toString(), spec), ComputeTasks.TRAINING_SQL,
                Instant.now().plus(java.time.Duration.ofHours(1)).getEpochSecond(), mode);
    }

    /** Task {@code taskId}'s dispute once it is opened and {@code until} holds for it. */
    private static ComputeChain.Dispute awaitDispute(ComputeChain compute, String taskId,
            Predicate<ComputeChain.Dispute> until) throws InterruptedException {
        Instant deadline = Instant.now().plus(ComputeTasks.WAIT.multipliedBy(2));
        while (true) {
            Optional<ComputeChain.Dispute> dispute = compute.dispute(taskId);
            if (dispute.isPresent() && until.test(dispute.get())) {
                return dispute.get();
            }
            assertThat(Instant.now()).as("task " + taskId + "'s dispute reached the expected phase in time, now "
                    + dispute.map(ComputeChain.Dispute::toString).orElse("none")).isBefore(deadline);
            Thread.sleep(250);
        }
    }
}
