package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.query.QueryPermission;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.sdk.query.QueryClient;
import org.datacoop.web.WebApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web app's builder page in a real browser (Debian's Chromium, driven by playwright-core from
 * acceptance/src/test/js/web-builder.mjs) on a devnet where two contributions to the sample DataDAO
 * were validated and refined, and the DataDAO's owner granted a builder {@code daily_steps.steps}.
 * From the page the builder is refused a query beyond its empty deposit, tops the deposit up, pays
 * for an aggregate whose table the page decrypts with a key it made, is refused by name a query of
 * {@code daily_steps.owner}, and asks for that column. The chain, read back here, agrees: the
 * deposit dropped by exactly the price once, the request waits for the owner, and the SDK gets the
 * same table for the same SQL.
 */
class WebBuilderTest {
    private static final BigInteger PRICE = BigInteger.TEN.pow(15);
    private static final BigInteger TOP_UP = BigInteger.valueOf(5).multiply(PRICE);
    private static final String SQL = "SELECT count(steps) AS days, sum(steps) AS total, avg(steps) AS mean FROM daily_steps";

    @TempDir
    Path dir;

    @Test
    void aBuilderPaysForAQueryFromThePageReadsItDecryptedAndIsRefusedAColumnByName() throws Exception {
        try (WebApp web = WebApp.bind("127.0.0.1", 0);
                // The validator's node admits the page's queries by its origin, as under `coop up`.
                Devnet net = Devnet.startForWebApp(dir, web.url())) {
            web.serve(net.deployment);
            long dlpId = net.deployment.sampleDlpId();
            QueryChain owner = new QueryChain(net.admin, net.deployment);
            Refiner refiner = net.refinedSteps(dir, net.fundedWallet()).refiner();
            Wallet builder = net.fundedWallet();
            owner.addPermission(builder.address(), refiner.id(), "daily_steps", "steps", PRICE, Address.ZERO);

            JsonNode seen = PeerScript.run(dir, "web-builder.mjs", List.of(), Map.ofEntries(
                    Map.entry("WEB_URL", web.url()),
                    Map.entry("RPC_URL", net.anvil.rpcUrl()),
                    Map.entry("CHAIN_ID", Long.toString(net.deployment.chainId())),
                    Map.entry("PRIVATE_KEY", builder.privateKeyHex()),
                    Map.entry("DLP_ID", Long.toString(dlpId)),
                    Map.entry("REFINER_ID", Long.toString(refiner.id())),
                    Map.entry("SQL", SQL),
                    Map.entry("REFUSED_SQL", "SELECT owner, sum(steps) AS total FROM daily_steps GROUP BY owner"),
                    Map.entry("PRICE", PeerScript.ether(PRICE)),
                    Map.entry("TOP_UP", PeerScript.ether(TOP_UP)),
                    Map.entry("LEFT", PeerScript.ether(TOP_UP.subtract(PRICE))),
                    Map.entry("SCREENSHOT", PeerScript.screenshot("web-builder.png").toString())));

            assertThat(owner.deposits(Address.ZERO, builder.address()))
                    .as("charged the price once: not for the query beyond the deposit, nor for the refused one")
                    .isEqualTo(TOP_UP.subtract(PRICE));
            assertThat(seen.get("hashes")).hasSize(3); // deposit, settleQuery (by the node), addPermission
            assertThat(seen.get("refused").asText()).contains("no permission for column daily_steps.owner");
            QueryPermission asked = owner.permission(seen.get("askedId").asLong());
            assertThat(asked.grantee()).isEqualTo(builder.address());
            assertThat(asked.column()).isEqualTo("owner");
            assertThat(asked.approved()).as("waits for the DataDAO's owner").isFalse();

            QueryClient.Answer sdk;
            try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
                sdk = new QueryClient(new DataCoopChain(connection, net.deployment), new QueryChain(connection, net.deployment), builder)
                        .query(SQL, dlpId, Optional.empty());
            }
            List<String> columns = new ArrayList<>();
            seen.get("columns").forEach(column -> columns.add(column.asText()));
            assertThat(columns).isEqualTo(sdk.columns());
            assertThat(seen.get("rows")).hasSize(sdk.rows().size());
            for (int row = 0; row < sdk.rows().size(); row++) {
                for (int column = 0; column < columns.size(); column++) {
                    assertThat(new BigDecimal(seen.get("rows").get(row).get(column).asText()))
                            .as("row %d, %s", row, columns.get(column))
                            .isEqualByComparingTo(new BigDecimal(sdk.rows().get(row).get(column).toString()));
                }
            }
        }
    }
}
