package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.OwnershipChain.Scope;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.TaskSpec;
import org.datacoop.chain.Wallet;
import org.datacoop.compute.builtin.Builtin;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.Sha256;
import org.datacoop.sdk.query.QueryClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Licenses gate queries of data whose owner set terms, on a real devnet: two contributors' files are
 * refined; Alice sets terms on hers with {@code coop own terms}; a builder holding the DataDAO's column
 * permission but no license is refused by name, its deposit untouched; once Alice licenses it (scope
 * query) the same query runs and is charged; once she revokes the license it is refused again, and a
 * compute task reading her file without a compute license is failed naming it. The
 * tests run in order: each takes the data where the one before left it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LicensedQueryTest {
    private static final BigInteger PRICE = BigInteger.TEN.pow(15);
    private static final String SQL = "SELECT count(*) AS days FROM daily_steps";

    @TempDir
    static Path dir;

    private static Devnet net;
    private static CoopCli cli;
    private static Wallet alice;
    private static Wallet builder;
    private static long aliceFile;
    private static long licenseId;
    private static long refinerId;
    private static List<Long> permissions;

    @BeforeAll
    static void startNetworkAndRefineTwoFiles() throws Exception {
        net = Devnet.start(dir, settings -> settings);
        cli = CoopCli.on(net, dir);
        alice = net.fundedWallet();
        Devnet.SampleData data = net.refinedSteps(dir, alice);
        aliceFile = data.firstFile();
        net.awaitBound(aliceFile);
        builder = net.fundedWallet();
        refinerId = data.refiner().id();
        QueryChain adminQueries = new QueryChain(net.admin, net.deployment);
        permissions = List.of(
                adminQueries.addPermission(builder.address(), refinerId, "daily_steps", "steps", PRICE, Address.ZERO).id(),
                adminQueries.addPermission(builder.address(), refinerId, "daily_steps", "distance_km", PRICE, Address.ZERO)
                        .id());
        new ComputeChain(net.admin, net.deployment).allowAlgorithm(net.deployment.sampleDlpId(),
                Builtin.LOGISTIC_REGRESSION.digest().toString());
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            // Four of the queries below are charged.
            new QueryChain(connection, net.deployment).deposit(Address.ZERO, PRICE.multiply(BigInteger.valueOf(4)));
        }
    }

    @AfterAll
    static void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    @Order(1)
    void withoutTermsTheDataDaosPermissionSuffices() {
        assertThat(query().rows()).hasSize(1);
    }

    @Test
    @Order(2)
    void theOwnerSetsTermsAndAnUnlicensedBuilderIsRefusedByNameWithNothingCharged() throws Exception {
        String file = Long.toString(aliceFile);
        Path terms = Files.writeString(dir.resolve("terms.txt"), "research use only");
        cli.refusedWithNothingSent(builder, "is neither the owner of file " + file + "'s data", "own", "terms",
                "--file", file, "--terms-url", "https://terms.example/alice", "--terms", terms.toString());
        cli.refusedWithNothingSent(alice, "give the terms' hash with --terms-hash", "own", "terms", "--file", file,
                "--terms-url", "https://terms.example/alice");
        cli.refusedWithNothingSent(alice, "has no terms to clear", "own", "terms", "--file", file, "--clear");
        cli.ok(alice, "own", "terms", "--file", file, "--terms-url", "https://terms.example/alice", "--terms",
                terms.toString(), "--json");
        JsonNode shown = cli.ok(builder, "own", "show", "--file", file, "--json").path("terms");
        assertThat(shown.path("termsUrl").asText()).isEqualTo("https://terms.example/alice");
        assertThat(shown.path("termsHash").asText()).isEqualTo(Hex.prefixed(Sha256.of(terms)));
        assertThat(shown.path("setBy").asText()).isEqualTo(alice.address().value());

        assertRefusedWithNothingCharged();
    }

    @Test
    @Order(3)
    void aLicensedBuilderQueriesAndIsCharged() throws Exception {
        licenseId = cli.ok(alice, "own", "license", "--file", Long.toString(aliceFile), "--grantee",
                builder.address().value(), "--scope", "query", "--terms-url", "https://terms.example/alice", "--json")
                .path("licenseId").asLong();
        BigInteger before = deposit();
        QueryClient.Answer answer = query();
        assertThat(answer.rows()).hasSize(1);
        assertThat(deposit()).isEqualTo(before.subtract(PRICE));
    }

    @Test
    @Order(4)
    void onceTheLicenseIsRevokedTheBuilderIsRefusedAgain() throws Exception {
        cli.ok(alice, "own", "revoke", Long.toString(licenseId), "--json");
        assertRefusedWithNothingCharged();
    }

    @Test
    @Order(5)
    void aPricedLicenseGrantsOnlyOncePaidAndItsPriceReachesTheOwner() throws Exception {
        String file = Long.toString(aliceFile);
        String offer = Long.toString(cli.ok(alice, "own", "license", "--file", file, "--grantee", builder.address().value(),
                "--scope", "query", "--terms-url", "https://terms.example/alice", "--price", "0.002", "--json")
                .path("licenseId").asLong());
        BigInteger price = BigInteger.TEN.pow(15).multiply(BigInteger.TWO);
        BigInteger deposit = deposit();
        assertThatThrownBy(LicensedQueryTest::query).hasMessageContaining(
                "license " + offer + " is offered but unpaid: `coop own pay " + offer + "`");
        assertThat(deposit()).as("an unpaid offer grants nothing, and nothing is charged").isEqualTo(deposit);
        cli.refusedWithNothingSent(alice, alice.address().value() + " has no license earnings to withdraw", "own",
                "withdraw");

        JsonNode paid = cli.ok(builder, "own", "pay", offer, "--json");
        assertThat(paid.path("price").asText()).isEqualTo(price.toString());
        assertThat(paid.path("payee").asText()).isEqualTo(alice.address().value());
        assertThat(query().rows()).hasSize(1);
        assertThat(deposit()).isEqualTo(deposit.subtract(PRICE));
        JsonNode license = cli.ok(builder, "own", "show", "--file", file, "--json").path("licenses").get(1);
        assertThat(license.path("paid").asBoolean()).isTrue();
        assertThat(license.path("active").asBoolean()).isTrue();

        cli.refusedWithNothingSent(builder, "license " + offer + " is already paid for", "own", "pay", offer);
        cli.refusedWithNothingSent(alice, "license " + offer + " was bought", "own", "revoke", offer);
        cli.refusedWithNothingSent(builder, "license " + licenseId + " is free: there is nothing to pay", "own", "pay",
                Long.toString(licenseId));
        cli.refusedWithNothingSent(builder, "there is no license 99", "own", "pay", "99");

        BigInteger before = net.admin.balance(alice.address());
        JsonNode withdrawn = cli.ok(alice, "own", "withdraw", "--json");
        assertThat(withdrawn.path("amount").asText()).isEqualTo(price.toString());
        assertThat(net.admin.balance(alice.address()))
                .as("exactly the price reached Alice, less the withdrawal's gas")
                .isEqualTo(before.add(price).subtract(net.feeOf(withdrawn.path("txHash").asText())));
    }

    @Test
    @Order(6)
    void aTrainingTaskWithoutATrainingLicenseIsFailedWithTheReason() throws Exception {
        TaskSpec spec = new TaskSpec(net.deployment.sampleDlpId(), ComputeTasks.TRAINING_SQL,
                Builtin.LOGISTIC_REGRESSION.descriptor(), ComputeTasks.TRAINING_PARAMS, builder.publicKey(), Optional.empty());
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            // the quote checks the scope the algorithm needs, as the worker will
            QueryClient quotes = new QueryClient(new DataCoopChain(connection, net.deployment),
                    new QueryChain(connection, net.deployment), builder);
            assertThatThrownBy(() -> quotes.priceSelection(ComputeTasks.TRAINING_SQL, net.deployment.sampleDlpId(),
                    Scope.TRAINING)).hasMessageContaining("holds no active training license");
            assertThatThrownBy(() -> quotes.priceSelection(ComputeTasks.TRAINING_SQL, net.deployment.sampleDlpId(),
                    Scope.COMPUTE)).hasMessageContaining("holds no active compute license");
            ComputeChain compute = new ComputeChain(connection, net.deployment);
            ComputeChain.Record record = ComputeTasks.await(compute, ComputeTasks.submit(net, compute, builder,
                    net.validator.address(), new ComputeTasks.Task(net.deployment.sampleDlpId(), refinerId, permissions,
                            Builtin.LOGISTIC_REGRESSION.digest().toString(), spec), ComputeTasks.TRAINING_SQL).taskId());
            assertThat(record.status()).isEqualTo(ComputeChain.Status.FAILED);
            assertThat(record.failureReason()).contains("file " + aliceFile + "'s owner set terms",
                    builder.address().value() + " holds no active training license");
        }
    }

    @Test
    @Order(7)
    void onceTheTermsAreClearedTheDataDaosPermissionSufficesAgain() throws Exception {
        cli.ok(alice, "own", "terms", "--file", Long.toString(aliceFile), "--clear", "--json");
        assertThat(cli.ok(builder, "own", "show", "--file", Long.toString(aliceFile), "--json").path("terms").isNull())
                .isTrue();
        assertThat(query().rows()).hasSize(1);
    }

    private static void assertRefusedWithNothingCharged() {
        BigInteger before = deposit();
        assertThatThrownBy(LicensedQueryTest::query).hasMessageContaining("file " + aliceFile
                + "'s owner set terms (https://terms.example/alice): " + builder.address().value()
                + " holds no active query license");
        assertThat(deposit()).isEqualTo(before);
    }

    private static QueryClient.Answer query() {
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            return new QueryClient(new DataCoopChain(connection, net.deployment), new QueryChain(connection, net.deployment),
                    builder).query(SQL, net.deployment.sampleDlpId(), Optional.empty());
        }
    }

    private static BigInteger deposit() {
        return new QueryChain(net.admin, net.deployment).deposits(Address.ZERO, builder.address());
    }
}
