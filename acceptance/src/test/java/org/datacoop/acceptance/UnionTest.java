package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.UnionChain;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Sha256;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ownership Labs' DataToken lifecycle ({@code tests/test.py}) on a real devnet, through {@code coop}: three
 * owners; the "add" template {arg1, arg2}; Alice's DataDAO table DT1 permits it with {arg1: 1, arg2: free},
 * Bob's DT2 with {arg1: free, arg2: 2}; Carol's union CDT3 binds DT1 {1, 3} and DT2 {free, 2}, is active once
 * both consented; her algorithm assets CDT4 and CDT5 fill DT2's arg1 with 1 and 4. Then what DataToken cannot
 * refuse: unfulfilled terms, activation without consent, and a revoked consent deactivating CDT3, CDT4 and
 * CDT5, which the trace of DT1 shows. The tests run in order: each takes the chain where the one before left it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnionTest {
    private static final String ADD_DIGEST = "0x" + "ad".repeat(32);

    @TempDir
    static Path dir;

    private static Devnet net;
    private static CoopCli cli;
    private static UnionChain unions;
    private static Wallet alice;
    private static Wallet bob;
    private static Wallet carol;
    private static Wallet mallory;
    private static long aliceRefiner;
    private static long bobRefiner;
    private static String template;
    private static String dt1;
    private static String dt2;
    private static String cdt3;
    private static String cdt4;
    private static String cdt5;

    @BeforeAll
    static void startNetworkWithTwoDataDaos() throws Exception {
        net = Devnet.startWithoutValidator(dir);
        cli = CoopCli.on(net, dir);
        unions = net.chain.unions();
        alice = net.fundedWallet();
        bob = net.fundedWallet();
        carol = net.fundedWallet();
        mallory = net.fundedWallet();
        aliceRefiner = dataDaoWithTable(alice, "Alice's steps");
        bobRefiner = dataDaoWithTable(bob, "Bob's steps");
    }

    @AfterAll
    static void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    /** A DataDAO of {@code owner}'s with a refiner of the sample schema: its table is the leaf. */
    private static long dataDaoWithTable(Wallet owner, String name) {
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), owner)) {
            long dlpId = new DataCoopChain(connection, net.deployment).createDataDao(name, name + " Token", "STP",
                    BigInteger.TEN.pow(24), BigInteger.TEN.pow(18), Sha256.of(name.getBytes()), "https://program.example")
                    .id();
            return new QueryChain(connection, net.deployment).addRefiner(dlpId, name, 1, "https://refiner.example",
                    Sha256.of(name.getBytes()));
        }
    }

    @Test
    @Order(1)
    void aTemplateAndTwoLeavesWithTheirTerms() throws Exception {
        template = cli.ok(carol, "template", "register", "--name", "add", "--digest", ADD_DIGEST, "--param", "arg1",
                "--param", "arg2", "--json").path("templateId").asText();
        JsonNode shown = cli.ok(mallory, "template", "show", template, "--json");
        assertThat(shown.path("params").toString()).isEqualTo("[\"arg1\",\"arg2\"]");
        assertThat(shown.path("codeDigest").asText()).isEqualTo(ADD_DIGEST);

        cli.refusedWithNothingSent(mallory, "DataUnionsNotAssetOwner(0, " + mallory.address().value(), "union", "leaf",
                "--refiner", Long.toString(aliceRefiner), "--table", "daily_steps");
        dt1 = cli.ok(alice, "union", "leaf", "--refiner", Long.toString(aliceRefiner), "--table", "daily_steps", "--json")
                .path("assetId").asText();
        dt2 = cli.ok(bob, "union", "leaf", "--refiner", Long.toString(bobRefiner), "--table", "daily_steps", "--json")
                .path("assetId").asText();

        cli.refusedWithNothingSent(mallory, "does not act for asset " + dt1, "terms", "set", "--asset", dt1,
                "--template", template, "--param", "arg1=1", "--param", "arg2=free");
        cli.refusedWithNothingSent(alice, "leave out [arg2]", "terms", "set", "--asset", dt1, "--template", template,
                "--param", "arg1=1");
        cli.ok(alice, "terms", "set", "--asset", dt1, "--template", template, "--param", "arg1=1", "--param", "arg2=free",
                "--price", "0.001", "--json");
        cli.ok(bob, "terms", "set", "--asset", dt2, "--template", template, "--param", "arg1=free", "--param", "arg2=2",
                "--price", "0.002", "--json");
        JsonNode terms = cli.ok(mallory, "terms", "show", dt1, "--json").path("terms").get(0);
        assertThat(terms.path("constraints").path("arg1").path("text").asText()).isEqualTo("1");
        assertThat(terms.path("constraints").path("arg2").path("kind").asText()).isEqualTo("free");
        assertThat(terms.path("price").asText()).isEqualTo("1000000000000000");
    }

    @Test
    @Order(2)
    void aUnionWhoseTermsDoNotFulfilAChildsIsRefused() throws Exception {
        cli.refusedWithNothingSent(carol, "DataUnionsTermsNotFulfilled(" + dt1 + ", 0, 0)", "union", "create",
                "--template", template, "--child", dt1, "--child", dt2, "--slot", "arg1=2 arg2=3", "--slot",
                "arg1=free arg2=2");
        cli.refusedWithNothingSent(carol, "DataUnionsTermsNotFulfilled(" + dt2 + ", 0, 1)", "union", "create",
                "--template", template, "--child", dt1, "--child", dt2, "--slot", "arg1=1 arg2=3", "--slot",
                "arg1=free arg2=free");
        assertThat(unions.assetsCount()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void theUnionIsActiveOnlyOnceEveryOwnerConsented() throws Exception {
        cdt3 = cli.ok(carol, "union", "create", "--template", template, "--child", dt1, "--child", dt2, "--slot",
                "arg1=1 arg2=3", "--slot", "arg1=free arg2=2", "--price", "0.0005", "--json").path("assetId").asText();
        cli.refusedWithNothingSent(carol, "DataUnionsMissingConsent(" + cdt3 + ", 0)", "union", "activate", cdt3);
        cli.refusedWithNothingSent(bob, "does not act for asset " + dt1, "union", "consent", cdt3, "--child", dt1);
        cli.ok(alice, "union", "consent", cdt3, "--child", dt1, "--json");
        cli.refusedWithNothingSent(carol, "DataUnionsMissingConsent(" + cdt3 + ", 1)", "union", "activate", cdt3);
        cli.ok(bob, "union", "consent", cdt3, "--child", dt2, "--json");
        cli.refusedWithNothingSent(alice, "did not create union " + cdt3, "union", "activate", cdt3);
        cli.ok(carol, "union", "activate", cdt3, "--json");

        JsonNode shown = cli.ok(mallory, "union", "show", cdt3, "--json");
        assertThat(shown.path("active").asBoolean()).isTrue();
        assertThat(shown.path("owner").asText()).isEqualTo(carol.address().value());
        assertThat(shown.path("slots").get(1).path("arg1").path("kind").asText()).isEqualTo("free");
        assertThat(shown.path("consents")).allSatisfy(c -> assertThat(c.path("standing").asBoolean()).isTrue());
    }

    @Test
    @Order(4)
    void twoAlgorithmAssetsFillTheFreeParameterDifferently() throws Exception {
        cli.refusedWithNothingSent(carol, "an algorithm asset fixes every value", "union", "create", "--algorithm",
                "--template", template, "--child", cdt3, "--slot", "arg1=1 arg2=3", "--slot", "arg1=free arg2=2");
        cdt4 = algorithm(1);
        cdt5 = algorithm(4);
        assertThat(unions.authorize(Long.parseLong(cdt4), Long.parseLong(template), values(1, 3, 1, 2)).price())
                .isEqualTo(new BigInteger("3500000000000000"));
        assertThat(unions.authorize(Long.parseLong(cdt5), Long.parseLong(template), values(1, 3, 4, 2)).termsHash())
                .isEqualTo(unions.asset(Long.parseLong(cdt5)).termsHash());
        assertThatThrownBy(() -> unions.authorize(Long.parseLong(cdt4), Long.parseLong(template), values(1, 3, 4, 2)))
                .isInstanceOf(ChainException.class).hasMessageContaining("DataUnionsValueRefused(2, 4)");
    }

    private static String algorithm(int arg1) throws Exception {
        String id = cli.ok(carol, "union", "create", "--algorithm", "--template", template, "--child", cdt3, "--slot",
                "arg1=1 arg2=3", "--slot", "arg1=" + arg1 + " arg2=2", "--json").path("assetId").asText();
        cli.ok(carol, "union", "consent", id, "--child", cdt3, "--json");
        cli.ok(carol, "union", "activate", id, "--json");
        assertThat(cli.ok(mallory, "union", "show", id, "--json").path("active").asBoolean()).isTrue();
        return id;
    }

    @Test
    @Order(5)
    void aRevokedConsentDeactivatesTheUnionAndBothAlgorithmAssets() throws Exception {
        cli.refusedWithNothingSent(mallory, "does not act for asset " + dt1, "union", "revoke", cdt3, "--child", dt1);
        cli.ok(alice, "union", "revoke", cdt3, "--child", dt1, "--json");
        for (String id : List.of(cdt3, cdt4, cdt5)) {
            assertThat(cli.ok(mallory, "union", "show", id, "--json").path("active").asBoolean()).as(id).isFalse();
        }
        assertThatThrownBy(() -> unions.authorize(Long.parseLong(cdt4), Long.parseLong(template), values(1, 3, 1, 2)))
                .isInstanceOf(ChainException.class).hasMessageContaining("DataUnionsNotActive(" + cdt4 + ")");
    }

    @Test
    @Order(6)
    void theTraceOfDt1NamesTheUnionAndBothAlgorithmAssetsAsInactive() throws Exception {
        JsonNode up = cli.ok(mallory, "trace", dt1, "--json").path("up").get(0);
        assertThat(up.path("assetId").asText()).isEqualTo(dt1);
        List<String> above = new ArrayList<>();
        collect(up.path("next"), above);
        assertThat(above).containsExactly(cdt3 + " inactive", cdt4 + " inactive", cdt5 + " inactive");

        JsonNode down = cli.ok(mallory, "trace", cdt4, "--json").path("down").get(0);
        List<String> below = new ArrayList<>();
        collect(down.path("next"), below);
        assertThat(below).containsExactly(cdt3 + " inactive", dt1 + " active", dt2 + " active");

        JsonNode carols = cli.ok(mallory, "trace", carol.address().value(), "--json");
        assertThat(carols.path("up").findValuesAsText("assetId")).contains(cdt3, cdt4, cdt5);

        cli.ok(alice, "union", "consent", cdt3, "--child", dt1, "--json");
        List<String> again = new ArrayList<>();
        collect(cli.ok(mallory, "trace", dt1, "--json").path("up").get(0).path("next"), again);
        assertThat(again).containsExactly(cdt3 + " active", cdt4 + " active", cdt5 + " active");
    }

    private static void collect(JsonNode nodes, List<String> into) {
        for (JsonNode node : nodes) {
            into.add(node.path("assetId").asText() + (node.path("active").asBoolean() ? " active" : " inactive"));
            collect(node.path("next"), into);
        }
    }

    private static List<BigInteger> values(long... values) {
        return java.util.Arrays.stream(values).mapToObj(BigInteger::valueOf).toList();
    }
}
