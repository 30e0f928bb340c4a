package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.datacoop.chain.DatChain;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.ReadsClaims;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.storage.HttpBlobStore;
import org.datacoop.web.WebApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data Anchoring Tokens on the contributor page in a real browser (Debian's Chromium, driven by
 * playwright-core from acceptance/src/test/js/web-dat.mjs), on a devnet where two contributions to
 * the sample DataDAO were rewarded with their tokens and refined. Alice's page shows her file's
 * token and sells it to Bob; a paid query then reads her file, and the share the CLI's ReadsClaims
 * finds is Bob's, not hers: her page shows the token sold and nothing pending for her, his lists
 * the bought token with the file's rows read and pending share and claims it, which the chain, read
 * back here, pays to him exactly. A malformed address is refused before anything is sent, and a
 * token the wallet does not hold by the contract's error name.
 */
class WebDatTest {
    private static final BigInteger PRICE = BigInteger.TEN.pow(15);

    @TempDir
    Path dir;

    @Test
    void aTokenSoldFromThePageEarnsItsFilesNextSharesForTheBuyer() throws Exception {
        try (WebApp web = WebApp.bind("127.0.0.1", 0);
                // The page reads the leaves documents the validator stores, so the gateway admits its origin.
                Devnet net = Devnet.startForWebApp(dir, web.url())) {
            web.serve(net.deployment);
            QueryChain queries = new QueryChain(net.admin, net.deployment);
            DatChain dats = new DatChain(net.admin, net.deployment);
            ReadsClaims claims = new ReadsClaims(net.chain, queries, dats, HttpBlobStore::fetchBytes);
            Wallet alice = net.fundedWallet();
            Wallet bob = net.fundedWallet();
            Devnet.SampleData data = net.refinedSteps(dir, alice);
            long fileId = data.firstFile();
            DatChain.DatToken token = dats.tokenOfFile(net.deployment.sampleDlpId(), fileId).orElseThrow();
            DatChain.DatToken othersToken = dats.tokenOfFile(net.deployment.sampleDlpId(), data.secondFile()).orElseThrow();
            assertThat(token.holder()).isEqualTo(alice.address());
            Map<String, String> env = new HashMap<>(Map.of(
                    "WEB_URL", web.url(),
                    "RPC_URL", net.anvil.rpcUrl(),
                    "CHAIN_ID", Long.toString(net.deployment.chainId()),
                    "FILE_ID", Long.toString(fileId),
                    "TOKEN_ID", token.tokenId().toString(),
                    "OTHERS_TOKEN_ID", othersToken.tokenId().toString(),
                    "SHARE_RATIO", Long.toString(token.shareRatio()),
                    "BOB", bob.address().value()));

            JsonNode sold = page(env, "sell", alice);
            assertThat(sold.get("hashes")).hasSize(1); // transferToken; the refused ones sent nothing
            assertThat(sold.get("malformed").asText()).startsWith("The new holder must be an address");
            assertThat(sold.get("refused").asText()).contains("DataAnchoringTokenNotHolder(" + othersToken.tokenId());
            assertThat(dats.holderOf(token.tokenId())).contains(bob.address());

            net.paidQuery(data.refiner().id(), "daily_steps", "steps", PRICE, "SELECT sum(steps) AS total FROM daily_steps");
            assertThat(claims.find(alice.address(), Address.ZERO).leaves()).as("Alice's leaves after the sale").isZero();
            ReadsClaims.Found found = claims.find(bob.address(), Address.ZERO);
            assertThat(found.problems()).isEmpty();
            assertThat(found.leaves()).isEqualTo(1);
            BigInteger share = found.amount();
            assertThat(share).isPositive();
            ReadsClaims.Pending pending = found.pending().get(0);
            String queryId = pending.commitment().queryId();
            env.put("ROWS", Long.toString(pending.tree().reads().rowsByFile().get(fileId)));
            env.put("PENDING", PeerScript.ether(share));
            env.put("QUERY_ID", queryId);

            JsonNode after = page(env, "after", alice);
            assertThat(after.get("hashes")).isEmpty();
            assertThat(after.get("refused").asText()).contains("DataAnchoringTokenNotHolder(" + token.tokenId());
            assertThat(after.get("again").asText()).startsWith("Nothing left to claim");

            Address queryEngine = net.deployment.address(Deployment.QUERY_ENGINE);
            BigInteger engineHeld = net.admin.balance(queryEngine);
            BigInteger aliceBefore = net.admin.balance(alice.address());
            BigInteger bobBefore = net.admin.balance(bob.address());
            env.put("SCREENSHOT", PeerScript.screenshot("web-dat.png").toString());
            JsonNode bought = page(env, "buy", bob);
            assertThat(bought.get("hashes")).hasSize(2); // claimReads, claim
            BigInteger fees = BigInteger.ZERO;
            for (JsonNode hash : bought.get("hashes")) {
                fees = fees.add(net.feeOf(hash.asText()));
            }
            assertThat(queries.readClaimed(queryId, data.refiner().id(), fileId)).as("the sold file's leaf claimed").isTrue();
            assertThat(queries.readClaimed(queryId, data.refiner().id(), data.secondFile())).as("the other's leaf left alone").isFalse();
            assertThat(net.admin.balance(bob.address())).as("Bob was credited the share and paid it out")
                    .isEqualTo(bobBefore.add(share).subtract(fees));
            assertThat(engineHeld.subtract(net.admin.balance(queryEngine))).as("paid out of the QueryEngine").isEqualTo(share);
            assertThat(net.admin.balance(alice.address())).as("Alice was paid nothing").isEqualTo(aliceBefore);
            assertThat(queries.earnings(Address.ZERO, alice.address())).isZero();
            assertThat(queries.earnings(Address.ZERO, bob.address())).isZero();
        }
    }

    /** web-dat.mjs's {@code step} on {@code wallet}'s page; what it saw. */
    private JsonNode page(Map<String, String> env, String step, Wallet wallet) throws Exception {
        Map<String, String> with = new HashMap<>(env);
        with.put("STEP", step);
        with.put("PRIVATE_KEY", wallet.privateKeyHex());
        Path out = Files.createDirectories(dir.resolve(step));
        return PeerScript.run(out, "web-dat.mjs", List.of(), with);
    }
}
