package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.datacoop.acceptance.CoopProcess.as;
import static org.datacoop.acceptance.CoopProcess.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.contracts.Settlement;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.sdk.compute.ComputeClient;
import org.datacoop.sdk.query.QueryClient;
import org.datacoop.storage.HttpBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * The builder's side of compute tasks on a real devnet, through {@link ComputeClient} and the CLI: a
 * logistic regression trained on the sample DataDAO's refined steps, then an inference with that
 * model, each proved by the validator's worker, re-checked offline, decrypted by its requester only
 * and paid exactly as the Settlement splits; and the refusals that must come before any payment.
 */
class ComputeTaskTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final BigInteger PRICE = BigInteger.TEN.pow(15);
    private static final BigInteger FEE = BigInteger.TEN.pow(14);
    private static final long BPS = 10_000;
    private static final String SQL = "SELECT distance_km, steps FROM daily_steps";
    private static final String PARAMS = "{\"features\": [\"distance_km\"], \"label\": {\"column\": \"steps\", \"above\": 8000},"
            + " \"epochs\": 5, \"seed\": 7}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Devnet net;
    private static long dlpId;
    private static Refiner refiner;
    private static Wallet builder;
    private static Web3j web3j;

    @BeforeAll
    static void refineTwoContributorsFilesAndLetABuilderReadTwoColumns() throws Exception {
        net = Devnet.start(dir, s -> s);
        dlpId = net.deployment.sampleDlpId();
        QueryChain adminQueries = new QueryChain(net.admin, net.deployment);
        refiner = adminQueries.refinersOf(dlpId).get(0);
        ComputeTasks.contribute(net, dir, net.fundedWallet(), 30, 0);
        ComputeTasks.contribute(net, dir, net.fundedWallet(), 20, 1);
        Instant deadline = Instant.now().plus(WAIT);
        while (adminQueries.refinedFilesCount(refiner.id()) < 2) {
            assertThat(Instant.now()).as("both files refined in time").isBefore(deadline);
            Thread.sleep(100);
        }
        builder = net.fundedWallet();
        for (String column : List.of("distance_km", "steps")) {
            adminQueries.addPermission(builder.address(), refiner.id(), "daily_steps", column, PRICE, Address.ZERO);
        }
        ComputeClient owner = client(net.admin, Wallet.fromPrivateKey(Anvil.DEV_ACCOUNT_KEY));
        owner.allowAlgorithm(dlpId, "logistic-regression");
        owner.allowAlgorithm(dlpId, "predict");
        web3j = Web3j.build(new HttpService(net.anvil.rpcUrl()));
    }

    @AfterAll
    static void stopNetwork() {
        if (web3j != null) {
            web3j.shutdown();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void theOwnerManagesTheAllowlistByNameAndOthersAreRefused() {
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            assertThat(client(connection, builder).algorithms(dlpId)).extracting(ComputeClient.AlgorithmRef::label)
                    .containsExactly("builtin:logistic-regression/v1", "builtin:predict/v1");
            assertThatThrownBy(() -> client(connection, builder).allowAlgorithm(dlpId, "evaluate"))
                    .as("only the DataDAO's owner allows").hasMessageContaining("only DataDAO " + dlpId + "'s owner");
            assertThatThrownBy(() -> client(connection, builder).allowAlgorithm(dlpId, "copy-the-rows"))
                    .hasMessageContaining("unknown algorithm 'copy-the-rows'");
        }
        ComputeClient owner = client(net.admin, Wallet.fromPrivateKey(Anvil.DEV_ACCOUNT_KEY));
        owner.allowAlgorithm(dlpId, "evaluate");
        owner.disallowAlgorithm(dlpId, "evaluate");
        assertThat(owner.algorithms(dlpId)).extracting(ComputeClient.AlgorithmRef::label)
                .containsExactly("builtin:logistic-regression/v1", "builtin:predict/v1");
        assertThatThrownBy(() -> owner.disallowAlgorithm(dlpId, "evaluate"))
                .hasMessageContaining("DataDAO " + dlpId + " does not allow builtin:evaluate/v1");
        assertThatThrownBy(() -> owner.allowAlgorithm(dlpId, "predict"))
                .hasMessageContaining("DataDAO " + dlpId + " already allows builtin:predict/v1");
    }

    @Test
    void aTrainingThenAnInferenceWithItsModelAreProvedPaidAsSplitAndOpenForTheRequesterOnly() throws Exception {
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            ComputeClient client = client(connection, builder);
            ComputeChain compute = new ComputeChain(connection, net.deployment);
            Address admin = net.admin.account();
            BigInteger workerBefore = compute.earnings(Address.ZERO, net.validator.address());
            BigInteger adminBefore = compute.earnings(Address.ZERO, admin);

            ComputeClient.Submitted training = client.submit(request("logistic-regression", SQL, PARAMS, Optional.empty()));
            assertThat(training.paid()).isEqualTo(FEE.add(PRICE.multiply(BigInteger.TWO)));
            assertThat(client.waitFor(training.taskId(), WAIT, line -> {}).status()).isEqualTo(ComputeChain.Status.VERIFIED);
            assertThat(compute.verifyResult(training.taskId())).isTrue();
            assertThat(client.verify(training.taskId())).allSatisfy(check -> assertThat(check.passed()).as(check.toString()).isTrue());

            Path trained = dir.resolve("trained");
            assertThat(client.result(training.taskId(), trained)).extracting(p -> p.getFileName().toString())
                    .containsExactly("metrics.json", "model.json");
            assertThat(JSON.readTree(trained.resolve("metrics.json").toFile()).path("rows").asLong()).isEqualTo(50);

            // The split, exactly as the Settlement's contract says, at the QueryEngine's shares.
            QueryChain.Shares shares = new QueryChain(net.admin, net.deployment).shares(dlpId);
            BigInteger protocolCut = PRICE.multiply(BigInteger.valueOf(shares.protocolBps())).divide(BigInteger.valueOf(BPS));
            BigInteger contributorsCut = PRICE.subtract(protocolCut)
                    .subtract(PRICE.multiply(BigInteger.valueOf(shares.dataDaoBps())).divide(BigInteger.valueOf(BPS)));
            assertThat(shares.treasury()).as("the devnet's treasury is the DataDAO's owner").isEqualTo(admin);
            assertThat(compute.earnings(Address.ZERO, net.validator.address()).subtract(workerBefore)).isEqualTo(FEE);
            assertThat(compute.earnings(Address.ZERO, admin).subtract(adminBefore))
                    .isEqualTo(PRICE.subtract(contributorsCut).multiply(BigInteger.TWO));
            Settlement.Committed committed = Settlement.load(compute.settlement().value(), web3j,
                    new ReadonlyTransactionManager(web3j, admin.value()), new DefaultGasProvider())
                    .committedReads(Numeric.hexStringToByteArray(training.taskId()), BigInteger.valueOf(refiner.id())).send();
            assertThat(committed.contributorsCut).isEqualTo(contributorsCut.multiply(BigInteger.TWO));
            assertThat(committed.totalRows).isEqualTo(BigInteger.valueOf(50));
            ComputeClient asOwner = client(net.admin, Wallet.fromPrivateKey(Anvil.DEV_ACCOUNT_KEY));
            BigInteger owed = asOwner.earnings(admin);
            BigInteger ownerBalance = net.admin.balance(admin);
            assertThat(asOwner.claim()).as("the owner's Settlement earnings are paid out").isPresent();
            assertThat(asOwner.earnings(admin)).isZero();
            assertThat(net.admin.balance(admin)).as("paid out, less the claim's gas").isGreaterThan(ownerBalance)
                    .isLessThanOrEqualTo(ownerBalance.add(owed));
            assertThat(asOwner.claim()).as("nothing left to claim").isEmpty();

            Wallet stranger = net.fundedWallet();
            try (ChainConnection asStranger = ChainConnection.open(net.anvil.rpcUrl(), stranger)) {
                assertThatThrownBy(() -> client(asStranger, stranger).result(training.taskId(), dir.resolve("stolen")))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requested by " + builder.address());
            }
            assertThat(dir.resolve("stolen")).doesNotExist();
            assertThatThrownBy(() -> client.refund(training.taskId())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is verified: only a failed task, or one unproved past its deadline, is refunded");
            assertThatThrownBy(() -> client.show("0x" + "cd".repeat(32))).hasMessageContaining("unknown task 0x" + "cd".repeat(32));
            assertThatThrownBy(() -> client.verify("0x12")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a task id is 0x and 64 hex digits, not '0x12'");

            ComputeClient.Submitted inference = client.submit(request("predict", SQL, "{}", Optional.of(training.taskId())));
            assertThat(client.waitFor(inference.taskId(), WAIT, line -> {}).status()).isEqualTo(ComputeChain.Status.VERIFIED);
            assertThat(compute.task(inference.taskId()).orElseThrow().modelId()).isEqualTo(training.taskId());
            assertThat(client.verify(inference.taskId())).allSatisfy(check -> assertThat(check.passed()).as(check.toString()).isTrue());
            Path predicted = dir.resolve("predicted");
            client.result(inference.taskId(), predicted);
            assertThat(Files.readAllLines(predicted.resolve("predictions.csv"))).hasSize(51);

            // The model given as the directory of the training's output is the same model.
            ComputeClient.Submitted again = client.submit(request("predict", SQL, "{}", Optional.of(trained.toString())));
            assertThat(compute.task(again.taskId()).orElseThrow().modelId()).isEqualTo(training.taskId());
        }
    }

    @Test
    void aTaskSubmittedWithAResultKeyOpensWithThatKeyOnly() throws Exception {
        BigInteger resultKey = new BigInteger(1, Hex.bytes(Wallet.create().privateKeyHex()));
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            ComputeClient keyed = client(connection, builder).withResultKey(resultKey);
            String taskId = keyed.submit(request("logistic-regression", SQL, PARAMS, Optional.empty())).taskId();
            assertThat(keyed.waitFor(taskId, WAIT, line -> {}).status()).isEqualTo(ComputeChain.Status.VERIFIED);
            assertThat(keyed.result(taskId, dir.resolve("keyed"))).extracting(p -> p.getFileName().toString())
                    .containsExactly("metrics.json", "model.json");
            assertThatThrownBy(() -> client(connection, builder).result(taskId, dir.resolve("unkeyed")))
                    .hasMessageContaining("does not open with this wallet's key");
            assertThatThrownBy(() -> client(connection, builder).withResultKey(resultKey.add(BigInteger.ONE))
                    .result(taskId, dir.resolve("wrong-key"))).hasMessageContaining("does not open with the result key");
        }
    }

    @Test
    void aNonAllowedAlgorithmAMissingColumnAndAnUnknownModelAreRefusedBeforePayment() {
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            ComputeClient client = client(connection, builder);
            ComputeChain compute = new ComputeChain(connection, net.deployment);
            BigInteger balance = connection.balance(builder.address());
            int tasks = compute.tasksRequestedBy(builder.address()).size();

            assertThatThrownBy(() -> client.submit(request("linear-regression", SQL,
                    "{\"features\": [\"distance_km\"], \"label\": \"steps\"}", Optional.empty())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("DataDAO " + dlpId + " does not allow algorithm builtin:linear-regression/v1");
            assertThatThrownBy(() -> client.submit(request("logistic-regression", "SELECT day, steps FROM daily_steps",
                    "{\"features\": [\"day\"], \"label\": {\"column\": \"steps\", \"above\": 8000}}", Optional.empty())))
                    .isInstanceOf(QueryClient.QueryRefused.class).hasMessageContaining("no permission for column daily_steps.day");
            String unknown = "0x" + "ab".repeat(32);
            assertThatThrownBy(() -> client.submit(request("predict", SQL, "{}", Optional.of(unknown))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown model " + unknown);
            assertThatThrownBy(() -> client.submit(request("logistic-regression", SQL,
                    "{\"features\": [], \"label\": \"steps\"}", Optional.empty())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("features must name at least one column");

            assertThat(connection.balance(builder.address())).as("nothing paid, not even gas").isEqualTo(balance);
            assertThat(compute.tasksRequestedBy(builder.address())).as("no TaskSubmitted").hasSize(tasks);
        }
    }

    @Test
    void theCliSubmitsWaitsAndVerifiesATask() throws Exception {
        Path dataDir = Files.createDirectories(dir.resolve("cli"));
        net.deployment.writeTo(dataDir);
        Wallet requester = net.fundedWallet();
        new QueryChain(net.admin, net.deployment).addPermission(requester.address(), refiner.id(), "daily_steps", "steps",
                PRICE, Address.ZERO);
        new QueryChain(net.admin, net.deployment).addPermission(requester.address(), refiner.id(), "daily_steps",
                "distance_km", PRICE, Address.ZERO);

        CoopProcess.Result submitted = run(as(requester.privateKeyHex(), "task", "submit", "--dlp", Long.toString(dlpId),
                "--sql", SQL, "--algorithm", "logistic-regression", "--params", PARAMS, "--wait", "--json",
                "--data-dir", dataDir.toString()));
        assertThat(submitted.exit()).as(submitted.err()).isZero();
        JsonNode task = JSON.readTree(submitted.out());
        assertThat(task.path("status").asText()).isEqualTo("verified");
        assertThat(submitted.err()).contains("is verified");

        CoopProcess.Result verified = run(CoopProcess.coop("task", "verify", task.path("taskId").asText(), "--json",
                "--data-dir", dataDir.toString()));
        assertThat(verified.exit()).as(verified.err()).isZero();
        JsonNode checks = JSON.readTree(verified.out());
        assertThat(checks.path("verified").asBoolean()).isTrue();
        assertThat(checks.path("checks")).hasSizeGreaterThan(10)
                .allSatisfy(check -> assertThat(check.path("passed").asBoolean()).as(check.toString()).isTrue());

        CoopProcess.Result malformed = run(CoopProcess.coop("task", "show", "0x12", "--json", "--data-dir", dataDir.toString()));
        assertThat(malformed.exit()).isEqualTo(1);
        assertThat(JSON.readTree(malformed.out()).path("code").asText()).isEqualTo("bad_input");
        CoopProcess.Result zk = run(as(requester.privateKeyHex(), "task", "submit", "--dlp", Long.toString(dlpId), "--sql", SQL,
                "--algorithm", "logistic-regression", "--mode", "zk", "--json", "--data-dir", dataDir.toString()));
        assertThat(JSON.readTree(zk.out()).path("error").asText()).contains("--mode zk is not supported");

        CoopProcess.Result refused = run(as(requester.privateKeyHex(), "task", "submit", "--dlp", Long.toString(dlpId),
                "--sql", SQL, "--algorithm", "evaluate", "--model", task.path("taskId").asText(), "--json",
                "--data-dir", dataDir.toString()));
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(JSON.readTree(refused.out()).path("code").asText()).isEqualTo("bad_input");
        assertThat(JSON.readTree(refused.out()).path("error").asText()).contains("does not allow algorithm builtin:evaluate/v1");
    }

    private static ComputeClient.Request request(String algorithm, String sql, String params, Optional<String> model) {
        return new ComputeClient.Request(dlpId, sql, algorithm, params, model, FEE, Optional.empty(), Duration.ofMinutes(30),
                ComputeChain.Mode.TEE);
    }

    private static ComputeClient client(ChainConnection connection, Wallet wallet) {
        return new ComputeClient(new DataCoopChain(connection, net.deployment), new QueryChain(connection, net.deployment),
                new ComputeChain(connection, net.deployment), wallet,
                new HttpBlobStore(net.deployment.service(Deployment.STORAGE_URL)), HttpBlobStore::fetchBytes);
    }
}
