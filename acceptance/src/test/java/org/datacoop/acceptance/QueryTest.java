package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.DatChain;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.QueryRequestDigest;
import org.datacoop.chain.ReadsClaims;
import org.datacoop.chain.ReadsDocument;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.protocol.query.QueryPermission;
import org.datacoop.protocol.query.QueryRequest;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.sdk.query.QueryClient;
import org.datacoop.storage.HttpBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refinement and paid SQL on a real devnet: two contributors' validated files are refined by the
 * validator into the sample table; a builder is refused a column it holds no permission for (and
 * pays nothing), then pays for a query, and the payment is split on-chain exactly as the
 * QueryEngine's shares say, read back from balances. A query whose groups all fall below the
 * minimum group size is quoted as such and refused before payment.
 */
class QueryTest {
    private static final BigInteger PRICE = BigInteger.TEN.pow(16); // 0.01 ETH a query
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Devnet net;
    private static QueryChain adminQueries;
    private static Refiner refiner;
    private static Wallet alice;
    private static Wallet dave;

    @BeforeAll
    static void startNetworkAndRefineTwoFiles() throws Exception {
        net = Devnet.startCountingValidatorCalls(dir);
        adminQueries = new QueryChain(net.admin, net.deployment);
        refiner = adminQueries.refinersOf(net.deployment.sampleDlpId()).get(0);

        alice = net.fundedWallet();
        dave = net.fundedWallet();
        net.contributeSteps(alice, 30, 0, dir);
        net.contributeSteps(dave, 20, 1, dir);
        net.awaitRefined(refiner.id(), 2);
    }

    @AfterAll
    static void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void theValidatorIsTheSampleDataDaosRefinementServiceAndRefinedBothFilesWithTheirOwners() {
        assertThat(adminQueries.isRefinementService(net.deployment.sampleDlpId(), net.validator.address())).isTrue();
        List<Long> files = adminQueries.refinedFiles(refiner.id(), 0);
        assertThat(files).hasSize(2);
        for (long file : files) {
            assertThat(adminQueries.refinement(file, refiner.id())).isPresent();
            assertThat(adminQueries.refinementKey(file, refiner.id(), net.validator.address())).isNotEmpty();
        }
    }

    @Test
    void aColumnWithoutPermissionIsRefusedByNameAndNothingIsCharged() {
        Wallet builder = net.fundedWallet();
        grant(builder, "steps");
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            QueryChain queries = new QueryChain(connection, net.deployment);
            queries.deposit(Address.ZERO, PRICE.multiply(BigInteger.TWO));
            QueryClient client = new QueryClient(new DataCoopChain(connection, net.deployment), queries, builder);
            Address treasury = net.admin.account();
            BigInteger aliceBefore = queries.earnings(Address.ZERO, alice.address());
            BigInteger treasuryBefore = queries.earnings(Address.ZERO, treasury);

            assertThatThrownBy(() -> client.query("SELECT owner, sum(steps) FROM daily_steps GROUP BY owner",
                            net.deployment.sampleDlpId(), Optional.empty()))
                    .isInstanceOf(QueryClient.QueryRefused.class)
                    .hasMessageContaining("no permission for column daily_steps.owner")
                    .satisfies(e -> assertThat(((QueryClient.QueryRefused) e).status()).isEqualTo(403));
            assertThatThrownBy(() -> client.query("SELECT steps FROM daily_steps", net.deployment.sampleDlpId(), Optional.empty()))
                    .hasMessageContaining("releases only aggregates over at least 2 contributors");

            assertThat(queries.deposits(Address.ZERO, builder.address())).isEqualTo(PRICE.multiply(BigInteger.TWO));
            assertThat(queries.earnings(Address.ZERO, alice.address())).isEqualTo(aliceBefore);
            assertThat(queries.earnings(Address.ZERO, treasury)).isEqualTo(treasuryBefore);
        }
    }

    @Test
    void aPaidQueryIsSplitOnChainExactlyAsTheContractSays() {
        Wallet builder = net.fundedWallet();
        grant(builder, "steps");
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            QueryChain queries = new QueryChain(connection, net.deployment);
            queries.deposit(Address.ZERO, PRICE);
            QueryClient client = new QueryClient(new DataCoopChain(connection, net.deployment), queries, builder);
            Address treasury = net.admin.account(); // the devnet's protocol treasury and the DataDAO's owner
            BigInteger aliceBefore = queries.earnings(Address.ZERO, alice.address());
            BigInteger daveBefore = queries.earnings(Address.ZERO, dave.address());
            BigInteger treasuryBefore = queries.earnings(Address.ZERO, treasury);

            QueryClient.Answer answer = client.query("SELECT count(*) AS days, sum(steps) AS total FROM daily_steps",
                    net.deployment.sampleDlpId(), Optional.empty());

            assertThat(answer.columns()).containsExactly("days", "total");
            assertThat(((Number) answer.rows().get(0).get(0)).longValue()).isEqualTo(50);
            long expectedTotal = 30 * 7000 + 29 * 30 / 2 + 20 * 7000 + 19 * 20 / 2;
            assertThat(((Number) answer.rows().get(0).get(1)).longValue()).isEqualTo(expectedTotal);
            assertThat(answer.price()).isEqualTo(PRICE);
            assertThat(queries.deposits(Address.ZERO, builder.address())).isZero();

            // The protocol and the DataDAO are credited at once; the contributors' shares wait under
            // the root settled, found through the leaves the node published.
            Split split = split(queries, PRICE);
            assertThat(queries.earnings(Address.ZERO, treasury).subtract(treasuryBefore)).isEqualTo(split.shares());
            assertThat(queries.earnings(Address.ZERO, alice.address())).isEqualTo(aliceBefore);
            ReadsDocument leaves = ReadsDocument.parse(HttpBlobStore.fetchBytes(answer.leavesUrl()));
            assertThat(leaves.queryId()).isEqualTo(answer.queryId());
            assertThat(leaves.reads()).isEqualTo(answer.rowsRead());
            ReadsClaims claims = new ReadsClaims(new DataCoopChain(connection, net.deployment), queries, new DatChain(connection, net.deployment),
                    HttpBlobStore::fetchBytes);
            ReadsClaims.Pending alicePending = pendingOf(queries, answer.queryId(), alice);
            assertThat(alicePending.fileIds()).hasSize(1);
            assertThat(alicePending.amount()).isEqualTo(split.alice());

            // The builder claims Dave's share for him (anyone may): it is credited to Dave, not to the builder.
            claims.claim(List.of(pendingOf(queries, answer.queryId(), dave)));
            assertThat(queries.earnings(Address.ZERO, dave.address()).subtract(daveBefore)).isEqualTo(split.dave());
            assertThat(queries.earnings(Address.ZERO, builder.address())).isZero();
            assertThat(claims.find(dave.address(), Address.ZERO).pending())
                    .noneMatch(p -> p.commitment().queryId().equals(answer.queryId()));

            // Alice claims her leaf and then pays out: the engine pays exactly her share, and, her
            // claim being the last, the rounding dust goes to the DataDAO's owner.
            try (ChainConnection asAlice = ChainConnection.open(net.anvil.rpcUrl(), alice)) {
                QueryChain aliceQueries = new QueryChain(asAlice, net.deployment);
                new ReadsClaims(new DataCoopChain(asAlice, net.deployment), aliceQueries, new DatChain(asAlice, net.deployment),
                        HttpBlobStore::fetchBytes)
                        .claim(List.of(alicePending));
                BigInteger earned = aliceQueries.earnings(Address.ZERO, alice.address());
                assertThat(earned.subtract(aliceBefore)).isEqualTo(split.alice());
                assertThat(queries.earnings(Address.ZERO, treasury).subtract(treasuryBefore)).isEqualTo(split.treasury());
                BigInteger engineBefore = asAlice.balance(aliceQueries.queryEngine());
                assertThat(aliceQueries.claim(Address.ZERO).amount()).isEqualTo(earned);
                assertThat(asAlice.balance(aliceQueries.queryEngine())).isEqualTo(engineBefore.subtract(earned));
                assertThat(aliceQueries.earnings(Address.ZERO, alice.address())).isZero();
            }
        }
    }

    /**
     * Alice walked on October 1 to 30, Dave on 1 to 20, so grouping by day releases the 20 days both
     * walked and leaves out Alice's last 10; grouping by owner leaves out both groups. Under the
     * sample DataDAO's minimum group size of 2, a query that returns nothing is refused before
     * settleQuery, and none of the balances the settlement would move changes.
     */
    @Test
    void aQueryThatReturnsNothingIsRefusedBeforePaymentAndItsQuoteSaysWhy() {
        Wallet builder = net.fundedWallet();
        grant(builder, "steps");
        grant(builder, "owner");
        grant(builder, "day");
        BigInteger price = PRICE.multiply(BigInteger.TWO); // each query reads two of the three columns
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            QueryChain queries = new QueryChain(connection, net.deployment);
            queries.deposit(Address.ZERO, price);
            QueryClient client = new QueryClient(new DataCoopChain(connection, net.deployment), queries, builder);
            Address treasury = net.admin.account();
            BigInteger aliceBefore = queries.earnings(Address.ZERO, alice.address());
            BigInteger daveBefore = queries.earnings(Address.ZERO, dave.address());
            BigInteger treasuryBefore = queries.earnings(Address.ZERO, treasury);
            BigInteger engineBefore = connection.balance(queries.queryEngine());
            long dlp = net.deployment.sampleDlpId();
            String byOwner = "SELECT owner, avg(steps) FROM daily_steps GROUP BY owner";
            String reason = "all 2 groups of the query cover fewer than 2 contributors (the DataDAO's minimum group size)"
                    + " and are left out, so it returns nothing and is not charged";

            QueryClient.Quote quote = client.price(byOwner, dlp);
            assertThat(quote.price()).isEqualTo(price);
            assertThat(quote.expected()).isEqualTo(new QueryClient.Expected(0, 2, OptionalLong.of(2), Optional.of(reason)));
            assertThatThrownBy(() -> client.query(quote, byOwner, dlp, Optional.empty()))
                    .isInstanceOfSatisfying(QueryClient.QueryRefused.class, e -> assertThat(e.status()).isEqualTo(422))
                    .hasMessage(reason);

            // Alice alone after October 20: refused alike whether her days match or not, and uncounted
            String aliceOnly = "SELECT day, avg(steps) FROM daily_steps WHERE day > '2026-10-20' GROUP BY day";
            String nobody = aliceOnly.replace("2026-10-20", "2026-12-31");
            assertThat(client.price(aliceOnly, dlp).expected()).isEqualTo(client.price(nobody, dlp).expected());
            assertThat(client.price(aliceOnly, dlp).expected().suppressedGroups()).isEmpty();
            assertThatThrownBy(() -> client.query(aliceOnly, dlp, Optional.empty()))
                    .hasMessageStartingWith("no group of the query covers at least 2 contributors");

            assertThat(queries.deposits(Address.ZERO, builder.address())).isEqualTo(price);
            assertThat(connection.balance(queries.queryEngine())).isEqualTo(engineBefore);
            assertThat(queries.earnings(Address.ZERO, alice.address())).isEqualTo(aliceBefore);
            assertThat(queries.earnings(Address.ZERO, dave.address())).isEqualTo(daveBefore);
            assertThat(queries.earnings(Address.ZERO, treasury)).isEqualTo(treasuryBefore);

            // Grouped by day, the 20 shared days are returned and charged the full price, as before.
            String byDay = "SELECT day, avg(steps) FROM daily_steps GROUP BY day";
            QueryClient.Quote dayQuote = client.price(byDay, dlp);
            assertThat(dayQuote.expected()).isEqualTo(new QueryClient.Expected(20, 2, OptionalLong.empty(), Optional.empty()));
            QueryClient.Answer answer = client.query(dayQuote, byDay, dlp, Optional.empty());
            assertThat(answer.rows()).hasSize(20);
            assertThat(answer.price()).isEqualTo(price);
            assertThat(answer.suppressedGroups()).isEmpty();
            assertThat(queries.deposits(Address.ZERO, builder.address())).isZero();
            assertThat(connection.balance(queries.queryEngine())).isEqualTo(engineBefore);
            // under a minimum group size every row of both files counts as read; each permission is split alike
            // Permissions on one refiner pool their contributors' cuts under one root, claimed here by the builder.
            Split split = split(queries, PRICE.multiply(BigInteger.TWO));
            new ReadsClaims(new DataCoopChain(connection, net.deployment), queries, new DatChain(connection, net.deployment),
                    HttpBlobStore::fetchBytes)
                    .claim(List.of(pendingOf(queries, answer.queryId(), alice), pendingOf(queries, answer.queryId(), dave)));
            assertThat(queries.earnings(Address.ZERO, alice.address()).subtract(aliceBefore)).isEqualTo(split.alice());
            assertThat(queries.earnings(Address.ZERO, dave.address()).subtract(daveBefore)).isEqualTo(split.dave());
            assertThat(queries.earnings(Address.ZERO, treasury).subtract(treasuryBefore)).isEqualTo(split.treasury());
        }
    }

    @Test
    void aRevokedPermissionNoLongerAnswers() {
        Wallet builder = net.fundedWallet();
        QueryPermission permission = grant(builder, "steps");
        adminQueries.revokePermission(permission.id());
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            QueryChain queries = new QueryChain(connection, net.deployment);
            queries.deposit(Address.ZERO, PRICE);
            QueryClient client = new QueryClient(new DataCoopChain(connection, net.deployment), queries, builder);
            assertThatThrownBy(() -> client.query("SELECT sum(steps) FROM daily_steps", net.deployment.sampleDlpId(),
                    Optional.empty())).hasMessageContaining("no permission for column daily_steps.steps");
            assertThat(queries.deposits(Address.ZERO, builder.address())).isEqualTo(PRICE);
        }
    }

    /** The node keeps permissions from events: a revocation must still end them on the very next query after its block. */
    @Test
    void aPermissionRevokedAfterUseIsRefusedOnTheNextQuery() {
        Wallet builder = net.fundedWallet();
        QueryPermission permission = grant(builder, "steps");
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            QueryChain queries = new QueryChain(connection, net.deployment);
            queries.deposit(Address.ZERO, PRICE.multiply(BigInteger.TWO));
            QueryClient client = new QueryClient(new DataCoopChain(connection, net.deployment), queries, builder);
            String sql = "SELECT sum(steps) AS total FROM daily_steps";
            assertThat(client.query(sql, net.deployment.sampleDlpId(), Optional.empty()).rows()).hasSize(1);

            adminQueries.revokePermission(permission.id());
            assertThatThrownBy(() -> client.query(sql, net.deployment.sampleDlpId(), Optional.empty()))
                    .hasMessageContaining("no permission for column daily_steps.steps");
            assertThat(queries.deposits(Address.ZERO, builder.address())).isEqualTo(PRICE);
        }
    }

    /**
     * Anyone may file permission requests without limit; pending ones must cost the node nothing per
     * query. Counted as the node's calls naming the QueryEngine for one signed quote after one new
     * block, before and after 1,000 pending requests (the old node read each request, two calls each).
     */
    @Test
    void aThousandPendingPermissionRequestsDoNotChangeTheCallsPerQuery() throws Exception {
        Wallet builder = net.fundedWallet();
        grant(builder, "steps");
        Wallet spammer = net.fundedWallet();
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder);
                ChainConnection spam = ChainConnection.open(net.anvil.rpcUrl(), spammer)) {
            QueryClient client = new QueryClient(new DataCoopChain(connection, net.deployment),
                    new QueryChain(connection, net.deployment), builder);
            long before = engineCallsForOneQuote(client);
            assertThat(before).as("the calls are counted").isPositive();

            QueryChain spamQueries = new QueryChain(spam, net.deployment);
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
                List<java.util.concurrent.Future<QueryPermission>> requests = new java.util.ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    requests.add(pool.submit(() -> spamQueries.addPermission(spammer.address(), refiner.id(), "daily_steps",
                            "steps", BigInteger.ONE, Address.ZERO)));
                }
                for (var request : requests) {
                    assertThat(request.get().approved()).isFalse();
                }
            }
            assertThat(adminQueries.permissionsOf(refiner.id()).size()).isGreaterThan(1000);

            assertThat(engineCallsForOneQuote(client)).as("the query that reads the 1,000 requests' blocks")
                    .isEqualTo(before);
            assertThat(engineCallsForOneQuote(client)).as("a later query").isEqualTo(before);
        }
    }

    /** The validator's calls naming the QueryEngine while it answers one signed quote, made after a new block. */
    private static long engineCallsForOneQuote(QueryClient client) {
        net.admin.sendEther(net.fundedWallet().address(), java.math.BigDecimal.ONE); // a new block: nothing cached
        RpcCounter calls = net.validatorCalls.orElseThrow();
        String engine = adminQueries.queryEngine().value();
        long before = calls.callsNaming(engine);
        assertThat(client.price("SELECT sum(steps) AS total FROM daily_steps", net.deployment.sampleDlpId()).expected()
                .rows()).isEqualTo(1);
        return calls.callsNaming(engine) - before;
    }

    /**
     * Permissions and prices are public on-chain, so anyone may ask what a query costs a grantee; what
     * it would return is learnt by running it, so only the grantee's own signature is told that.
     * Without this, a stranger could test a filter against another's permissions for free.
     */
    @Test
    void aStrangerLearnsWhatAQueryCostsButNotWhatItWouldReturn() throws Exception {
        Wallet builder = net.fundedWallet();
        grant(builder, "steps");
        Wallet stranger = net.fundedWallet();
        long dlp = net.deployment.sampleDlpId();
        String sql = "SELECT count(*) AS days FROM daily_steps WHERE steps > 7010"; // Alice's and Dave's

        JsonNode unsigned = postQueryPrice(JSON.createObjectNode().put("sql", sql).put("dlp_id", dlp)
                .put("caller", builder.address().value()), 200);
        assertThat(unsigned.path("price").asText()).isEqualTo(PRICE.toString());
        assertThat(unsigned.has("rows") || unsigned.has("chargeable") || unsigned.has("suppressed_groups")).isFalse();

        // the stranger signs a request in the grantee's name: refused, naming the signer
        QueryRequest forged = new QueryRequest(builder.address(), net.validator.address(), QueryRequestDigest.sqlHash(dlp, sql),
                Address.ZERO, BigInteger.ZERO, BigInteger.ONE, net.chain.latestBlockSeconds() + 600);
        ObjectNode signedByStranger = JSON.createObjectNode().put("sql", sql).put("dlp_id", dlp);
        signedByStranger.set("request", JSON.valueToTree(Map.of("grantee", forged.grantee().value(),
                "service", forged.service().value(), "sql_hash", forged.sqlHash(), "token", forged.token().value(),
                "max_price", "0", "nonce", "1", "deadline", forged.deadline())));
        signedByStranger.put("signature", "0x" + HexFormat.of().formatHex(stranger.signDigest(adminQueries.queryDigest(forged))));
        JsonNode refused = postQueryPrice(signedByStranger, 403);
        assertThat(refused.path("error").asText()).contains("the signature is by " + stranger.address() + ", not by grantee");

        // the grantee's own signed quote tells it
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            QueryChain queries = new QueryChain(connection, net.deployment);
            QueryClient client = new QueryClient(new DataCoopChain(connection, net.deployment), queries, builder);
            assertThat(client.price(sql, dlp).expected().rows()).isEqualTo(1);
        }
    }

    /**
     * A wallet that cannot decrypt (a browser's) names a result key of its own, bound into the signed
     * sql_hash: the result opens with that key. A result key the signature does not cover (none signed,
     * or another one) is refused before any charge, and a malformed one is named.
     */
    @Test
    void aResultKeyCoveredByTheSignatureGetsTheResultAndAnyOtherIsRefusedBeforeCharging() throws Exception {
        Wallet builder = net.fundedWallet();
        grant(builder, "steps");
        long dlp = net.deployment.sampleDlpId();
        String sql = "SELECT count(*) AS days FROM daily_steps";
        BigInteger resultKey = new BigInteger(1, Hex.bytes(Wallet.create().privateKeyHex()));
        String resultPublic = Hex.prefixed(KeyWrapping.secp256k1PublicKey(resultKey));
        String strangerPublic = Hex.prefixed(Wallet.create().publicKey());
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            QueryChain queries = new QueryChain(connection, net.deployment);
            queries.deposit(Address.ZERO, PRICE);

            // signed without a result key, sent with one: a relay's attempt to have the result for itself
            ObjectNode unsigned = signedQuery(builder, sql, QueryRequestDigest.sqlHash(dlp, sql)).put("result_key", resultPublic);
            assertThat(post("/query", unsigned.toString(), 403).path("error").asText())
                    .contains("the signature does not cover this result_key");
            // signed for one result key, sent with another
            ObjectNode swapped = signedQuery(builder, sql, QueryRequestDigest.sqlHash(dlp, Hex.bytes(resultPublic), sql))
                    .put("result_key", strangerPublic);
            assertThat(post("/query", swapped.toString(), 403).path("error").asText())
                    .contains("the signature does not cover this result_key");
            assertThat(post("/query", swapped.put("result_key", "0x04" + "00".repeat(64)).toString(), 400).path("error").asText())
                    .isEqualTo("result_key is not a point of secp256k1; send the public key of the key pair to encrypt the result to");
            assertThat(post("/query", swapped.put("result_key", "0x1234").toString(), 400).path("error").asText())
                    .startsWith("result_key must be 0x and a secp256k1 public key");
            assertThat(queries.deposits(Address.ZERO, builder.address())).as("nothing charged").isEqualTo(PRICE);

            QueryClient.Answer answer = new QueryClient(new DataCoopChain(connection, net.deployment), queries, builder)
                    .withResultKey(resultKey).query(sql, dlp, Optional.empty());
            assertThat(answer.columns()).containsExactly("days");
            assertThat(((Number) answer.rows().get(0).get(0)).longValue()).isEqualTo(50);
            assertThat(queries.deposits(Address.ZERO, builder.address())).isZero();
        }
    }

    /** A {@code POST /query} body for {@code sql} on the sample DataDAO, its request (for {@code sqlHash}, at most PRICE) signed by {@code builder}. */
    private static ObjectNode signedQuery(Wallet builder, String sql, String sqlHash) {
        QueryRequest request = new QueryRequest(builder.address(), net.validator.address(), sqlHash, Address.ZERO, PRICE,
                BigInteger.TWO, net.chain.latestBlockSeconds() + 600);
        ObjectNode body = JSON.createObjectNode().put("sql", sql).put("dlp_id", net.deployment.sampleDlpId());
        body.set("request", JSON.valueToTree(Map.of("grantee", request.grantee().value(), "service", request.service().value(),
                "sql_hash", request.sqlHash(), "token", request.token().value(), "max_price", request.maxPrice().toString(),
                "nonce", request.nonce().toString(), "deadline", request.deadline())));
        return body.put("signature", "0x" + HexFormat.of().formatHex(builder.signDigest(adminQueries.queryDigest(request))));
    }

    @Test
    void aTasksRowSelectionIsPricedWhereAQueryOfItIsRefusedAndItsBadRequestsAreNamed() throws Exception {
        Wallet builder = net.fundedWallet();
        QueryPermission steps = grant(builder, "steps");
        long dlp = net.deployment.sampleDlpId();
        ObjectNode body = JSON.createObjectNode().put("sql", "SELECT steps FROM daily_steps").put("dlp_id", dlp)
                .put("caller", builder.address().value());
        // a query may release only aggregates here (minimum group 2); a task's rows stay in the enclave
        assertThat(post("/query/price", body.toString(), 403).path("error").asText()).contains("aggregates");
        JsonNode priced = post("/task/price", body.toString(), 200);
        assertThat(priced.path("price").asText()).isEqualTo(PRICE.toString());
        assertThat(priced.path("permissions").get(0).path("id").asLong()).isEqualTo(steps.id());
        assertThat(priced.path("tables").get(0).path("refiner_id").asLong()).isEqualTo(refiner.id());

        assertThat(post("/task/price", body.put("sql", "SELECT steps, owner FROM daily_steps").toString(), 403)
                .path("error").asText()).contains("no permission for column daily_steps.owner");
        assertThat(post("/task/price", "{\"dlp_id\": 1, \"caller\": \"" + builder.address() + "\"}", 400)
                .path("error").asText()).contains("sql");
        assertThat(post("/task/price", "not json", 400).path("error").asText()).contains("JSON");
        assertThat(post("/task/price", body.put("sql", "SELECT steps FROM daily_steps").put("scope", "admin").toString(), 400)
                .path("error").asText()).contains("scope must be compute or training, not admin");
        body.remove("scope");
        assertThat(post("/task/price", body.put("sql", "SELECT steps FROM daily_steps").put("dlp_id", 999).toString(), 400)
                .path("error").asText()).contains("no DataDAO with id 999");
    }

    private static JsonNode postQueryPrice(JsonNode body, int status) throws Exception {
        return post("/query/price", body.toString(), status);
    }

    private static JsonNode post(String path, String body, int status) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(net.validator.url() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    /** One permission's price as the QueryEngine splits it when all of Alice's 30 rows and Dave's 20 are read. */
    /** {@code shares}: the protocol's and the DataDAO's, credited at settlement; {@code treasury}: those and the dust. */
    private record Split(BigInteger alice, BigInteger dave, BigInteger shares, BigInteger treasury) {}

    /** The one pending leaf of {@code owner}'s file in query {@code queryId}. */
    private static ReadsClaims.Pending pendingOf(QueryChain queries, String queryId, Wallet owner) {
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), owner)) {
            ReadsClaims.Found found = new ReadsClaims(new DataCoopChain(connection, net.deployment), queries,
                    new DatChain(connection, net.deployment), HttpBlobStore::fetchBytes).find(owner.address(), Address.ZERO);
            assertThat(found.problems()).isEmpty();
            List<ReadsClaims.Pending> pending = found.pending().stream()
                    .filter(p -> p.commitment().queryId().equals(queryId)).toList();
            assertThat(pending).hasSize(1);
            return pending.get(0);
        }
    }

    /** The devnet's protocol treasury is also the DataDAO's owner, and takes the rounding dust. */
    private static Split split(QueryChain queries, BigInteger price) {
        QueryChain.Shares shares = queries.shares(net.deployment.sampleDlpId());
        BigInteger protocolCut = price.multiply(BigInteger.valueOf(shares.protocolBps())).divide(BigInteger.valueOf(10_000));
        BigInteger daoCut = price.multiply(BigInteger.valueOf(shares.dataDaoBps())).divide(BigInteger.valueOf(10_000));
        BigInteger contributorsCut = price.subtract(protocolCut).subtract(daoCut);
        BigInteger aliceShare = contributorsCut.multiply(BigInteger.valueOf(30)).divide(BigInteger.valueOf(50));
        BigInteger daveShare = contributorsCut.multiply(BigInteger.valueOf(20)).divide(BigInteger.valueOf(50));
        BigInteger dust = contributorsCut.subtract(aliceShare).subtract(daveShare);
        return new Split(aliceShare, daveShare, protocolCut.add(daoCut), protocolCut.add(daoCut).add(dust));
    }

    private static QueryPermission grant(Wallet builder, String column) {
        return adminQueries.addPermission(builder.address(), refiner.id(), "daily_steps", column, PRICE, Address.ZERO);
    }
}
