package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.DataDao;
import org.datacoop.protocol.Sha256;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.sdk.contribute.Contribution;
import org.datacoop.sdk.contribute.Contributor;
import org.datacoop.sdk.contribute.Progress;
import org.datacoop.sdk.query.QueryClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The actions that existed only in the contracts, through {@code coop} as a user runs it, on a real
 * devnet: revoking and sharing a file's key (and {@code contribute} leaving a revoked key revoked),
 * updating a DataDAO, removing a refinement service, withdrawing a deposit, and the backfill of a
 * refiner added after files were proved. Each has its hostile case: another wallet is refused, and an
 * unknown id named, with nothing sent (the wallet's balance does not move by a wei of gas).
 */
class ContractActionsTest {
    @TempDir
    static Path dir;

    private static Devnet net;
    private static CoopCli cli;
    private static Wallet admin;
    private static QueryChain adminQueries;

    @BeforeAll
    static void startNetwork() throws IOException {
        net = Devnet.start(dir, settings -> settings);
        cli = CoopCli.on(net, dir);
        admin = Wallet.fromPrivateKey(Anvil.DEV_ACCOUNT_KEY);
        adminQueries = new QueryChain(net.admin, net.deployment);
    }

    @AfterAll
    static void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void aRevokedKeyStaysRevokedUntilTheOwnerSharesItAgain() throws Exception {
        Wallet alice = net.fundedWallet();
        Wallet mallory = net.fundedWallet();
        Path steps = Files.writeString(dir.resolve("alice.json"), ValidatorNodeTest.stepsExport(alice.address(), 10, 7));
        long fileId = contributeAndAwait(alice, steps, net.deployment.sampleDlpId());
        Address validator = net.validator.address();
        String file = Long.toString(fileId);

        cli.refusedWithNothingSent(mallory, "does not own file " + fileId, "file", "revoke", file, "--from", validator.value());
        cli.refusedWithNothingSent(mallory, "does not own file " + fileId, "file", "share", file, "--to", validator.value());
        cli.refusedWithNothingSent(alice, "there is no file 9999", "file", "revoke", "9999", "--from", validator.value());

        JsonNode revoked = cli.ok(alice, "file", "revoke", file, "--from", validator.value(), "--json");
        assertThat(revoked.path("fileId").asLong()).isEqualTo(fileId);
        assertThat(revoked.path("account").asText()).isEqualTo(validator.value());
        assertThat(revoked.path("txHash").asText()).startsWith("0x");
        assertThat(net.chain.filePermission(fileId, validator)).isEmpty();
        cli.refusedWithNothingSent(alice, "holds no key of file " + fileId, "file", "revoke", file, "--from", validator.value());

        JsonNode again = cli.ok(alice, "contribute", steps.toString(), "--dlp", Long.toString(net.deployment.sampleDlpId()), "--json");
        assertThat(again.path("alreadyRegistered").asBoolean()).isTrue();
        assertThat(again.path("transactions")).as("nothing shared, nothing paid").isEmpty();
        assertThat(again.path("keyWithheld").asText()).contains("revoked from validator " + validator);
        assertThat(net.chain.filePermission(fileId, validator)).as("still revoked").isEmpty();

        JsonNode shared = cli.ok(alice, "contribute", steps.toString(), "--dlp", Long.toString(net.deployment.sampleDlpId()),
                "--share", "--json");
        assertThat(shared.path("transactions")).hasSize(1);
        assertThat(shared.has("keyWithheld")).isFalse();
        assertThat(net.chain.filePermission(fileId, validator)).isNotEmpty();

        cli.refusedWithNothingSent(alice, "is not a registered validator", "file", "share", file, "--to", mallory.address().value());
        JsonNode reshared = cli.ok(alice, "file", "share", file, "--to", validator.value(), "--json");
        assertThat(reshared.path("txHash").asText()).startsWith("0x");
        byte[] wrapped = net.chain.filePermission(fileId, validator);
        assertThat(new String(org.datacoop.node.keys.NodeKeys.loadOrCreate(net.nodeDir).wallet()
                .unwrapEcies(java.util.HexFormat.of().formatHex(wrapped)), java.nio.charset.StandardCharsets.UTF_8))
                .as("the wallet's password, wrapped to the validator's key")
                .isEqualTo(alice.encryptionPassword(Wallet.DEFAULT_SEED));
    }

    @Test
    void aDataDaosOwnerUpdatesItsProgramRewardGroupSizeAndShare() throws Exception {
        long dlpId = net.dataDaoWithProgram(resource("sample-dlp-program.json"));
        Path program = Files.write(dir.resolve("program.json"),
                new String(resource("sample-dlp-program.json")).replace("{", "{ ").getBytes());
        Wallet mallory = net.fundedWallet();
        String id = Long.toString(dlpId);

        cli.refusedWithNothingSent(mallory, "does not own DataDAO " + dlpId, "dlp", "update", id, "--share", "10");
        cli.refusedWithNothingSent(admin, "there is no DataDAO with id 9999", "dlp", "update", "9999", "--min-group-size", "3");
        cli.refusedWithNothingSent(admin, "over the most a DataDAO may take, 80%", "dlp", "update", id, "--share", "90",
                "--min-group-size", "3");

        JsonNode updated = cli.ok(admin, "dlp", "update", id, "--program", program.toString(), "--reward-per-file", "150",
                "--min-group-size", "3", "--share", "25", "--json");
        String digest = "0x" + java.util.HexFormat.of().formatHex(Sha256.of(Files.readAllBytes(program)));
        assertThat(updated.path("program").path("digest").asText()).isEqualTo(digest);
        assertThat(updated.path("rewardPerFile").path("tokens").asText()).isEqualTo("150");
        assertThat(updated.path("rewardPerFile").has("effectiveAt")).as("a raise applies at once").isFalse();

        DataDao dao = net.chain.dataDao(dlpId);
        assertThat(dao.programDigest()).isEqualTo(digest);
        assertThat(dao.programUrl()).isEqualTo(updated.path("program").path("url").asText());
        assertThat(dao.rewardPerFile()).isEqualTo(BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(150)));
        assertThat(adminQueries.minGroupSize(dlpId)).isEqualTo(3);
        assertThat(adminQueries.shares(dlpId).dataDaoBps()).isEqualTo(2500);

        JsonNode shown = cli.ok(admin, "dlp", "show", id, "--json");
        assertThat(shown.path("minGroupSize").asLong()).isEqualTo(3);
        assertThat(shown.path("sharePercent").asText()).isEqualTo("25");
        assertThat(shown.path("rewardPerFile").asText()).isEqualTo("150");
        assertThat(shown.path("pendingRewardPerFile").isNull()).isTrue();

        // a cut waits its delay, so the owner cannot slip it in ahead of a contributor's request
        JsonNode cut = cli.ok(admin, "dlp", "update", id, "--reward-per-file", "40", "--json");
        Instant effectiveAt = Instant.parse(cut.path("rewardPerFile").path("effectiveAt").asText());
        assertThat(effectiveAt).isAfter(Instant.ofEpochSecond(net.chain.latestBlockSeconds()));
        JsonNode shownCut = cli.ok(admin, "dlp", "show", id, "--json");
        assertThat(shownCut.path("rewardPerFile").asText()).as("still the old reward").isEqualTo("150");
        assertThat(shownCut.path("pendingRewardPerFile").path("tokens").asText()).isEqualTo("40");
        assertThat(net.chain.dataDao(dlpId).rewardPerFile()).isEqualTo(BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(150)));
        assertThat(shown.path("programDigest").asText()).isEqualTo(digest);
    }

    @Test
    void onlyTheOwnerRemovesARefinementServiceAndOnlyOneThatServes() throws Exception {
        long dlpId = net.dataDaoWithProgram(resource("sample-dlp-program.json"));
        adminQueries.addRefinementService(dlpId, net.validator.address());
        Wallet mallory = net.fundedWallet();
        String service = net.validator.address().value();

        cli.refusedWithNothingSent(mallory, "does not own DataDAO " + dlpId, "refiner", "remove-service", "--dlp",
                Long.toString(dlpId), service);
        cli.refusedWithNothingSent(admin, "there is no DataDAO with id 9999", "refiner", "remove-service", "--dlp", "9999", service);

        JsonNode removed = cli.ok(admin, "refiner", "remove-service", "--dlp", Long.toString(dlpId), service, "--json");
        assertThat(removed.path("service").asText()).isEqualTo(service);
        assertThat(adminQueries.isRefinementService(dlpId, net.validator.address())).isFalse();
        cli.refusedWithNothingSent(admin, "is not a refinement service of DataDAO " + dlpId, "refiner", "remove-service", "--dlp",
                Long.toString(dlpId), service);
    }

    @Test
    void aBuilderWithdrawsWhatItDidNotSpendAndNeverMore() throws Exception {
        Wallet builder = net.fundedWallet();
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            new QueryChain(connection, net.deployment).deposit(Address.ZERO, BigInteger.TEN.pow(16).multiply(BigInteger.TWO));
        }
        cli.refusedWithNothingSent(builder, "less than the 1 asked for", "deposit", "withdraw", "--amount", "1");
        cli.refusedWithNothingSent(builder, "has no deposit of token", "deposit", "withdraw", "--all", "--token",
                net.deployment.address(org.datacoop.chain.Deployment.SAMPLE_TOKEN).value());

        JsonNode part = cli.ok(builder, "deposit", "withdraw", "--amount", "0.01", "--json");
        assertThat(part.path("withdrawn").asText()).isEqualTo("0.01");
        assertThat(part.path("left").asText()).isEqualTo("0.01");
        JsonNode rest = cli.ok(builder, "deposit", "withdraw", "--all", "--json");
        assertThat(rest.path("left").asText()).isEqualTo("0");
        assertThat(adminQueries.deposits(Address.ZERO, builder.address())).isZero();
        cli.refusedWithNothingSent(builder, "has no deposit ETH to withdraw", "deposit", "withdraw", "--all");
    }

    @Test
    void aFileProvedBeforeItsRefinerWasAddedIsRefinedAndQueryable() throws Exception {
        long dlpId = net.dataDaoWithProgram(resource("sample-dlp-program.json"));
        adminQueries.addRefinementService(dlpId, net.validator.address());
        Wallet bob = net.fundedWallet();
        long fileId = contributeAndAwait(bob, Files.writeString(dir.resolve("bob.json"),
                ValidatorNodeTest.stepsExport(bob.address(), 12, 3)), dlpId);
        assertThat(adminQueries.refinersOf(dlpId)).as("proved before any refiner").isEmpty();

        cli.refusedWithNothingSent(admin, "there is no DataDAO with id 9999", "refiner", "run", "--dlp", "9999");
        Path definition = Files.write(dir.resolve("refiner.json"), resource("sample-refiner.json"));
        cli.ok(admin, "refiner", "add", "--dlp", Long.toString(dlpId), "--name", "steps", "--definition", definition.toString(),
                "--json");
        Refiner refiner = adminQueries.refinersOf(dlpId).get(0);

        JsonNode run = cli.ok(admin, "refiner", "run", "--dlp", Long.toString(dlpId), "--file", Long.toString(fileId), "--wait",
                "--timeout", "60", "--json");
        assertThat(run.path("pending").asLong()).isZero();
        assertThat(run.path("files").get(0).path("refined").get(0).asLong()).isEqualTo(refiner.id());
        assertThat(adminQueries.refinement(fileId, refiner.id())).isPresent();

        Wallet builder = net.fundedWallet();
        BigInteger price = BigInteger.TEN.pow(16);
        adminQueries.addPermission(builder.address(), refiner.id(), "daily_steps", "steps", price, Address.ZERO);
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            QueryChain queries = new QueryChain(connection, net.deployment);
            queries.deposit(Address.ZERO, price);
            QueryClient.Answer answer = new QueryClient(new DataCoopChain(connection, net.deployment), queries, builder)
                    .query("SELECT count(*) AS days FROM daily_steps", dlpId, Optional.empty());
            assertThat(((Number) answer.rows().get(0).get(0)).longValue()).isEqualTo(12);
        }
    }

    private static long contributeAndAwait(Wallet owner, Path file, long dlpId) {
        try (Contributor contributor = Contributor.connect(net.deployment, owner, dir.resolve("tmp"))) {
            Contribution contribution = contributor.contribute(file, dlpId, Wallet.DEFAULT_SEED, Progress.SILENT);
            assertThat(net.awaitEnd(contribution.jobId()).status()).isEqualTo(ValidationJob.Status.COMPLETED);
            return contribution.fileId();
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DataCoopChain.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
