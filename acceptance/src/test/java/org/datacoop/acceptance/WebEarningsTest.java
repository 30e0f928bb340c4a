package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.datacoop.chain.DatChain;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.ReadsClaims;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.storage.HttpBlobStore;
import org.datacoop.web.WebApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contributor page's earnings and key shares in a real browser (Debian's Chromium, driven by
 * playwright-core from acceptance/src/test/js/web-earnings.mjs), on a devnet where two contributions
 * to the sample DataDAO were validated and refined and a query read both. The first contributor's
 * page shows its file's rows read and pending share as the CLI's ReadsClaims finds them, claims them
 * with the leaves' proofs and pulls the credited earnings; the chain, read back here, agrees that its
 * leaf alone was claimed and its share paid out of the QueryEngine. Claiming again is told there is
 * nothing left; revoking the validator's key share of its file lands on-chain, and the same on the
 * other contributor's file is refused by the contract's error name.
 */
class WebEarningsTest {
    private static final BigInteger PRICE = BigInteger.TEN.pow(15);

    @TempDir
    Path dir;

    @Test
    void theContributorClaimsItsEarningsFromRowsReadAndRevokesAKeyShareFromThePage() throws Exception {
        try (WebApp web = WebApp.bind("127.0.0.1", 0);
                // The page reads the leaves documents the validator stores, so the gateway admits its origin.
                Devnet net = Devnet.startForWebApp(dir, web.url())) {
            web.serve(net.deployment);
            QueryChain queries = new QueryChain(net.admin, net.deployment);
            Wallet alice = net.fundedWallet();
            Devnet.SampleData data = net.refinedSteps(dir, alice);
            Refiner refiner = data.refiner();
            long fileId = data.firstFile();
            long othersFile = data.secondFile();
            net.paidQuery(refiner.id(), "daily_steps", "steps", PRICE, "SELECT sum(steps) AS total FROM daily_steps");

            // What the CLI's claimer finds for alice is what the page must show and claim.
            ReadsClaims.Found found = new ReadsClaims(net.chain, queries, new DatChain(net.admin, net.deployment), HttpBlobStore::fetchBytes).find(alice.address(), Address.ZERO);
            assertThat(found.problems()).isEmpty();
            assertThat(found.leaves()).isEqualTo(1);
            BigInteger share = found.amount();
            assertThat(share).isPositive();
            ReadsClaims.Pending pending = found.pending().get(0);
            long rows = pending.tree().reads().rowsByFile().get(fileId);
            String queryId = pending.commitment().queryId();
            Address validator = net.validator.address();
            assertThat(net.chain.filePermission(fileId, validator)).isNotEmpty();
            Address queryEngine = net.deployment.address(Deployment.QUERY_ENGINE);
            BigInteger held = net.admin.balance(queryEngine);

            JsonNode seen = PeerScript.run(dir, "web-earnings.mjs", List.of(), Map.ofEntries(
                    Map.entry("WEB_URL", web.url()),
                    Map.entry("RPC_URL", net.anvil.rpcUrl()),
                    Map.entry("CHAIN_ID", Long.toString(net.deployment.chainId())),
                    Map.entry("PRIVATE_KEY", alice.privateKeyHex()),
                    Map.entry("FILE_ID", Long.toString(fileId)),
                    Map.entry("OTHERS_FILE_ID", Long.toString(othersFile)),
                    Map.entry("ROWS", Long.toString(rows)),
                    Map.entry("PENDING", PeerScript.ether(share)),
                    Map.entry("QUERY_ID", queryId),
                    Map.entry("VALIDATOR", validator.value()),
                    Map.entry("SCREENSHOT", PeerScript.screenshot("web-earnings.png").toString())));

            assertThat(queries.readClaimed(queryId, refiner.id(), fileId)).as("alice's leaf claimed").isTrue();
            assertThat(queries.readClaimed(queryId, refiner.id(), othersFile)).as("the other contributor's leaf left alone").isFalse();
            assertThat(queries.earnings(Address.ZERO, alice.address())).as("credited, then paid out").isZero();
            assertThat(held.subtract(net.admin.balance(queryEngine))).as("paid out of the QueryEngine to alice").isEqualTo(share);
            assertThat(seen.get("hashes")).hasSize(3); // claimReads, claim, revokeFilePermission
            assertThat(net.chain.filePermission(fileId, validator)).as("the key share revoked").isEmpty();
            assertThat(net.chain.filePermission(othersFile, validator)).as("the other's file kept its key share").isNotEmpty();
            assertThat(seen.get("refused").asText()).contains("DataRegistryNotFileOwner");
            assertThat(seen.get("again").asText()).startsWith("Nothing left to claim");
        }
    }
}
