package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.DatChain;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.ReadsClaims;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.sdk.query.QueryClient;
import org.datacoop.storage.HttpBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coop dat}, {@code coop files} and {@code coop earnings} on a real devnet once files have
 * DATs: Alice and Dave are rewarded with their files' tokens, Alice sells hers to Bob with
 * {@code coop dat transfer}, and the next query's share for her file is Bob's to see and claim, not
 * Alice's. The tests run in order: the last moves the token the first ones read.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatCliTest {
    private static final BigInteger PRICE = BigInteger.TEN.pow(16);

    @TempDir
    static Path dir;

    private static Devnet net;
    private static CoopCli cli;
    private static Refiner refiner;
    private static Wallet alice;
    private static Wallet dave;
    private static long aliceFile;
    private static BigInteger aliceToken;

    @BeforeAll
    static void startNetworkAndContributeTwoFiles() throws Exception {
        net = Devnet.start(dir, settings -> settings);
        cli = CoopCli.on(net, dir);
        refiner = new QueryChain(net.admin, net.deployment).refinersOf(net.deployment.sampleDlpId()).get(0);
        alice = net.fundedWallet();
        dave = net.fundedWallet();
        net.contributeSteps(alice, 30, 0, dir);
        net.contributeSteps(dave, 20, 1, dir);
        aliceFile = net.chain.filesOf(alice.address()).stream().mapToLong(ContributedFile::id).findFirst().orElseThrow();
        aliceToken = new DatChain(net.admin, net.deployment).tokenIdOf(net.deployment.sampleDlpId(), aliceFile);
        net.awaitRefined(refiner.id(), 2);
    }

    @AfterAll
    static void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    @Order(1)
    void theContributorSeesItsTokenInDatListDatShowAndFiles() throws Exception {
        JsonNode listed = cli.ok(alice, "dat", "list", "--json");
        assertThat(listed.path("owner").asText()).isEqualTo(alice.address().value());
        assertThat(listed.path("tokens")).hasSize(1);
        JsonNode token = listed.path("tokens").get(0);
        assertThat(token.path("tokenId").asText()).isEqualTo(aliceToken.toString());
        assertThat(token.path("classId").asLong()).isEqualTo(net.deployment.sampleDlpId());
        assertThat(token.path("fileId").asLong()).isEqualTo(aliceFile);
        assertThat(token.path("holder").asText()).isEqualTo(alice.address().value());
        assertThat(token.path("shareRatio").asLong()).as("the proof's score in basis points").isPositive();
        assertThat(token.path("value").asText()).as("the sample DataDAO sets no quota").isEqualTo("0");
        assertThat(token.path("expireAt").asLong()).isZero();

        JsonNode daves = cli.ok(alice, "dat", "list", "--owner", dave.address().value(), "--json");
        assertThat(daves.path("tokens")).singleElement()
                .satisfies(t -> assertThat(t.path("fileId").asLong()).isNotEqualTo(aliceFile));

        JsonNode shown = cli.ok(alice, "dat", "show", "0x" + aliceToken.toString(16), "--json");
        assertThat(shown.path("tokenId").asText()).isEqualTo(aliceToken.toString());
        assertThat(shown.path("holder").asText()).isEqualTo(alice.address().value());
        assertThat(shown.path("pendingEarnings").asText()).as("no query yet").isEqualTo("0");

        JsonNode files = cli.ok(alice, "files", "--json");
        assertThat(files).singleElement().satisfies(file -> {
            assertThat(file.path("fileId").asLong()).isEqualTo(aliceFile);
            assertThat(file.path("dats")).singleElement().satisfies(dat -> {
                assertThat(dat.path("tokenId").asText()).isEqualTo(aliceToken.toString());
                assertThat(dat.path("dlpId").asLong()).isEqualTo(net.deployment.sampleDlpId());
                assertThat(dat.path("holder").asText()).isEqualTo(alice.address().value());
            });
        });
    }

    @Test
    @Order(2)
    void badTokenIdsAndTransfersByAnyoneButTheHolderAreRefusedByName() throws Exception {
        String id = aliceToken.toString();
        cli.refusedWithNothingSent(dave, "is held by " + alice.address().value(), "dat", "transfer", id, "--to",
                dave.address().value());
        cli.refusedWithNothingSent(alice, "not an address: 'bob'", "dat", "transfer", id, "--to", "bob");
        cli.refusedWithNothingSent(alice, "zero address", "dat", "transfer", id, "--to", Address.ZERO.value());
        cli.refusedWithNothingSent(alice, "token 12345 was never minted", "dat", "show", "12345");
        cli.refusedWithNothingSent(alice, "token 12345 was never minted", "dat", "transfer", "12345", "--to",
                dave.address().value());
        cli.refusedWithNothingSent(alice, "not a token id: 'abc'", "dat", "show", "abc");
        cli.refusedWithNothingSent(alice, "not a token id: -1", "dat", "show", "-1");
        assertThat(new DatChain(net.admin, net.deployment).holderOf(aliceToken)).contains(alice.address());
    }

    @Test
    @Order(3)
    void afterATransferTheNewHolderSeesAndClaimsTheNextQuerysShareAndTheSellerDoesNot() throws Exception {
        Wallet bob = net.fundedWallet();
        JsonNode transfer = cli.ok(alice, "dat", "transfer", aliceToken.toString(), "--to", bob.address().value(), "--json");
        assertThat(transfer.path("txHash").asText()).startsWith("0x");
        assertThat(cli.ok(bob, "dat", "list", "--json").path("tokens")).singleElement()
                .satisfies(t -> assertThat(t.path("tokenId").asText()).isEqualTo(aliceToken.toString()));
        assertThat(cli.ok(alice, "dat", "list", "--json").path("tokens")).isEmpty();

        BigInteger share = queryAndShareOf(aliceFile);
        assertThat(share).isPositive();

        JsonNode bobs = cli.ok(bob, "earnings", "--json");
        assertThat(bobs.path("claimable").asText()).isEqualTo(share.toString());
        assertThat(bobs.path("claimableFiles").asInt()).isEqualTo(1);
        JsonNode alices = cli.ok(alice, "earnings", "--json");
        assertThat(alices.path("claimable").asText()).as("Alice sold the file's DAT").isEqualTo("0");
        assertThat(alices.path("claimableFiles").asInt()).isZero();
        assertThat(cli.ok(dave, "earnings", "--json").path("claimableFiles").asInt()).as("Dave keeps his").isEqualTo(1);
        assertThat(cli.ok(bob, "dat", "show", aliceToken.toString(), "--json").path("pendingEarnings").asText())
                .isEqualTo(share.toString());

        BigInteger before = net.admin.balance(bob.address());
        JsonNode claimed = cli.ok(bob, "earnings", "--claim", "--json");
        assertThat(claimed.path("claimReadsTxs")).hasSize(1);
        BigInteger fees = net.feeOf(claimed.path("claimReadsTxs").get(0).asText()).add(net.feeOf(claimed.path("claimTx").asText()));
        assertThat(net.admin.balance(bob.address())).as("Bob was credited the share and paid it out")
                .isEqualTo(before.add(share).subtract(fees));
        assertThat(new QueryChain(net.admin, net.deployment).earnings(Address.ZERO, alice.address())).isZero();
        assertThat(cli.ok(bob, "earnings", "--json").path("claimable").asText()).isEqualTo("0");
    }

    @Test
    @Order(4)
    void classRevenueSettledByAnyoneIsSharedByShareRatioAndClaimedByEachHolder() throws Exception {
        long dlpId = net.deployment.sampleDlpId();
        Wallet payer = net.fundedWallet();
        DatChain dats = new DatChain(net.admin, net.deployment);
        long daveFile = net.chain.filesOf(dave.address()).stream().mapToLong(ContributedFile::id).findFirst().orElseThrow();
        BigInteger daveToken = dats.tokenIdOf(dlpId, daveFile);
        long aliceRatio = dats.token(aliceToken).orElseThrow().shareRatio();
        long daveRatio = dats.token(daveToken).orElseThrow().shareRatio();

        cli.refusedWithNothingSent(payer, "DataDAO 999's class has no live token to pay", "dat", "settle", "--class", "999",
                "--amount", "0.01");
        cli.refusedWithNothingSent(dave, "token " + daveToken + " has no class revenue to claim", "dat", "claim",
                daveToken.toString());
        JsonNode settled = cli.ok(payer, "dat", "settle", "--class", Long.toString(dlpId), "--amount", "0.012", "--json");
        BigInteger amount = new BigInteger("12000000000000000");
        assertThat(settled.path("totalShare").asLong()).isEqualTo(aliceRatio + daveRatio);
        // the contract's arithmetic: an accumulator per share scaled by 1e18, each token's part rounded down
        BigInteger scale = BigInteger.TEN.pow(18);
        BigInteger perShare = amount.multiply(scale).divide(BigInteger.valueOf(aliceRatio + daveRatio));
        BigInteger daveShare = perShare.multiply(BigInteger.valueOf(daveRatio)).divide(scale);
        BigInteger aliceShare = perShare.multiply(BigInteger.valueOf(aliceRatio)).divide(scale);
        assertThat(cli.ok(dave, "dat", "show", daveToken.toString(), "--json").path("pendingClassRevenue").asText())
                .isEqualTo(daveShare.toString());

        BigInteger before = net.admin.balance(dave.address());
        JsonNode claimed = cli.ok(dave, "dat", "claim", daveToken.toString(), "--json");
        assertThat(claimed.path("amount").asText()).isEqualTo(daveShare.toString());
        assertThat(net.admin.balance(dave.address())).as("exactly Dave's share, less the claim's gas")
                .isEqualTo(before.add(daveShare).subtract(net.feeOf(claimed.path("txHash").asText())));
        cli.refusedWithNothingSent(dave, "token " + daveToken + " has no class revenue to claim", "dat", "claim",
                daveToken.toString());
        cli.refusedWithNothingSent(alice, "is held by", "dat", "claim", aliceToken.toString());
        cli.refusedWithNothingSent(alice, "token " + daveToken + " never expires", "dat", "retire", daveToken.toString());
        assertThat(dats.pendingRevenue(aliceToken)).as("the token's holder, Bob, has its part to claim")
                .isEqualTo(aliceShare);
    }

    /** A builder's paid query over every row; returns the share it left for {@code file}'s rows. */
    private static BigInteger queryAndShareOf(long file) {
        Wallet builder = net.fundedWallet();
        new QueryChain(net.admin, net.deployment)
                .addPermission(builder.address(), refiner.id(), "daily_steps", "steps", PRICE, Address.ZERO);
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            QueryChain queries = new QueryChain(connection, net.deployment);
            queries.deposit(Address.ZERO, PRICE);
            DataCoopChain coop = new DataCoopChain(connection, net.deployment);
            String queryId = new QueryClient(coop, queries, builder)
                    .query("SELECT count(*) AS days FROM daily_steps", net.deployment.sampleDlpId(), Optional.empty()).queryId();
            return new ReadsClaims(coop, queries, new DatChain(connection, net.deployment), HttpBlobStore::fetchBytes)
                    .find(Set.of(file), Address.ZERO).pending().stream()
                    .filter(p -> p.commitment().queryId().equals(queryId))
                    .map(ReadsClaims.Pending::amount).reduce(BigInteger.ZERO, BigInteger::add);
        }
    }
}
