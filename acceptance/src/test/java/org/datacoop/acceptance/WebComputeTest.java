package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.Wallet;
import org.datacoop.compute.builtin.Builtin;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.Sha256;
import org.datacoop.sdk.compute.ComputeClient;
import org.datacoop.storage.HttpBlobStore;
import org.datacoop.web.WebApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

/**
 * The web app's compute page in a real browser (Debian's Chromium, driven by playwright-core from
 * acceptance/src/test/js/web-compute.mjs) on a devnet where two contributions to the sample DataDAO
 * were refined, the DataDAO allows logistic regression, and its owner granted a builder the two
 * columns it trains on. From the page the builder is refused, before anything is stored or sent, an
 * algorithm not allowed, params that are not JSON, a column it may not read and a price above its
 * maximum; it trains a logistic regression, which the worker proves, and reads the metrics the page
 * decrypted with the result key it made; a task the worker fails is refunded from the page; an
 * optimistic task is shown proposed until its challenge window's end block, then verified. Read back
 * here: the SDK's {@code task result}, given the page's result key, opens the same output; the
 * builder's balance dropped by exactly the two verified tasks' price and the gas of its five transactions.
 */
class WebComputeTest {
    private static final BigInteger PRICE = BigInteger.TEN.pow(15);
    /** The page's default worker fee, 0.001 ETH. */
    private static final BigInteger FEE = BigInteger.TEN.pow(15);
    private static final BigInteger DATA_PRICE = PRICE.multiply(BigInteger.TWO);

    @TempDir
    Path dir;

    @Test
    void aBuilderTrainsAModelFromThePageReadsItsMetricsDecryptedAndIsRefundedAFailedTask() throws Exception {
        try (WebApp web = WebApp.bind("127.0.0.1", 0);
                Devnet net = Devnet.startForWebApp(dir, web.url())) {
            web.serve(net.deployment);
            long dlpId = net.deployment.sampleDlpId();
            Wallet builder = ComputeTasks.trainingBuilder(net, dir, PRICE).wallet();
            BigInteger before = net.admin.balance(builder.address());

            JsonNode seen = PeerScript.run(dir, "web-compute.mjs", List.of(), Map.ofEntries(
                    Map.entry("WEB_URL", web.url()),
                    Map.entry("RPC_URL", net.anvil.rpcUrl()),
                    Map.entry("CHAIN_ID", Long.toString(net.deployment.chainId())),
                    Map.entry("PRIVATE_KEY", builder.privateKeyHex()),
                    Map.entry("DLP_ID", Long.toString(dlpId)),
                    Map.entry("ALLOWED_DIGEST", Builtin.LOGISTIC_REGRESSION.digest().toString()),
                    Map.entry("SQL", ComputeTasks.TRAINING_SQL),
                    Map.entry("PARAMS", ComputeTasks.TRAINING_PARAMS),
                    // Only the first contributor walked more than 8 km a day; the sample DataDAO's minimum group is 2.
                    Map.entry("LONELY_SQL", ComputeTasks.TRAINING_SQL + " WHERE distance_km > 8"),
                    Map.entry("DATA_PRICE", PeerScript.ether(DATA_PRICE)),
                    Map.entry("TOTAL", PeerScript.ether(DATA_PRICE.add(FEE))),
                    Map.entry("SCREENSHOT", PeerScript.screenshot("web-compute.png").toString())));

            String taskId = seen.get("taskId").asText();
            String failedId = seen.get("failedTaskId").asText();
            assertThat(seen.get("failure").asText()).contains("come from 1 contributor(s)", "at least 2");
            try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
                ComputeChain compute = new ComputeChain(connection, net.deployment);
                assertThat(compute.record(taskId).status()).isEqualTo(ComputeChain.Status.VERIFIED);
                assertThat(compute.record(failedId).status()).isEqualTo(ComputeChain.Status.REFUNDED);
                assertThat(compute.task(taskId).orElseThrow().workerFee()).isEqualTo(FEE);
                String optimistic = seen.get("optimisticTaskId").asText();
                assertThat(compute.task(optimistic).orElseThrow().mode()).isEqualTo(ComputeChain.Mode.OP);
                assertThat(compute.record(optimistic).status()).isEqualTo(ComputeChain.Status.VERIFIED);
                assertThat(compute.proposal(optimistic).orElseThrow().windowEnd()).isEqualTo(seen.get("windowEnd").asLong());

                ComputeClient sdk = new ComputeClient(new DataCoopChain(connection, net.deployment),
                        new QueryChain(connection, net.deployment), compute, builder,
                        new HttpBlobStore(net.deployment.service(Deployment.STORAGE_URL)), HttpBlobStore::fetchBytes)
                        .withResultKey(new BigInteger(1, Hex.bytes(seen.get("resultKey").asText())));
                Path output = dir.resolve("output");
                sdk.result(taskId, output);
                JsonNode metrics = new ObjectMapper().readTree(output.resolve("metrics.json").toFile());
                assertThat(metrics.properties()).isNotEmpty();
                for (Map.Entry<String, JsonNode> metric : metrics.properties()) {
                    String shown = seen.get("metrics").path(metric.getKey()).asText();
                    if (metric.getValue().isNumber()) { // compared as numbers: JavaScript writes 1.0 as "1"
                        assertThat(Double.parseDouble(shown)).as(metric.getKey()).isEqualTo(metric.getValue().asDouble());
                    } else {
                        assertThat(shown).as(metric.getKey()).isEqualTo(metric.getValue().asText());
                    }
                }
                assertThat(seen.get("metrics").size()).isEqualTo(metrics.size());
                assertThat(seen.get("modelSha256").asText()).isEqualTo(Hex.prefixed(Sha256.of(Files.readAllBytes(output.resolve("model.json")))));
            }

            // submitTask, submitTask, refund, claim, submitTask: nothing else was sent, and the refused tasks cost nothing.
            assertThat(seen.get("hashes")).hasSize(5);
            BigInteger gas = BigInteger.ZERO;
            for (JsonNode hash : seen.get("hashes")) {
                gas = gas.add(net.feeOf(hash.asText()));
            }
            Web3j web3j = Web3j.build(new HttpService(net.anvil.rpcUrl()));
            try {
                assertThat(web3j.ethGetTransactionCount(builder.address().value(), DefaultBlockParameterName.LATEST).send()
                        .getTransactionCount()).isEqualTo(BigInteger.valueOf(5));
            } finally {
                web3j.shutdown();
            }
            assertThat(before.subtract(net.admin.balance(builder.address())))
                    .as("two verified tasks' fee and data price, the failed one refunded whole, and the gas")
                    .isEqualTo(FEE.add(DATA_PRICE).multiply(BigInteger.TWO).add(gas));
        }
    }
}
