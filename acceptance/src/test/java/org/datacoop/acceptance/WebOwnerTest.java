package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.Deployer;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.contracts.TaskCoordinator;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.DataDao;
import org.datacoop.protocol.query.QueryPermission;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.storage.HttpBlobStore;
import org.datacoop.storage.LocalBlobStore;
import org.datacoop.storage.StorageGateway;
import org.datacoop.web.WebApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The web app's DataDAO owner page in a real browser (Debian's Chromium, driven by playwright-core
 * from acceptance/src/test/js/web-owner.mjs) on a devnet where two contributions to the sample
 * DataDAO were validated and refined, a query paid for, and a builder asked for a permission on its
 * refiner. The owner's wallet (anvil's first account, which owns the sample DataDAO) creates a
 * DataDAO with the sample's program, grants, approves and revokes permissions and allows
 * and disallows algorithms from the page, and the chain, read back here, agrees; a stranger's
 * attempts on the same DataDAO are refused and change nothing.
 */
class WebOwnerTest {
    private static final BigInteger PRICE = BigInteger.TEN.pow(15);

    @TempDir
    Path dir;

    @Test
    void theOwnerManagesPermissionsAndAlgorithmsFromThePageAndAStrangerIsRefused() throws Exception {
        try (Devnet net = Devnet.start(dir, settings -> settings);
                WebApp web = WebApp.bind("127.0.0.1", 0);
                // The page uploads a new DataDAO's program to a gateway that admits its origin, as `coop up`'s does.
                StorageGateway storage = StorageGateway.start(new LocalBlobStore(dir.resolve("page-blobs"), 1L << 20), "127.0.0.1", 0,
                        Optional.of(web.url()))) {
            web.serve(net.deployment.withService(Deployment.STORAGE_URL, storage.baseUrl()));
            long dlpId = net.deployment.sampleDlpId();
            QueryChain owner = new QueryChain(net.admin, net.deployment);
            Devnet.SampleData data = net.refinedSteps(dir, net.fundedWallet());
            Refiner refiner = data.refiner();
            long fileId = data.firstFile();
            // A paid query, so the owner has revenue to see.
            net.paidQuery(refiner.id(), "daily_steps", "steps", PRICE, "SELECT sum(steps) AS total FROM daily_steps");
            BigInteger revenue = owner.earnings(Address.ZERO, net.admin.account());
            assertThat(revenue).isPositive();
            Wallet builder = net.fundedWallet();
            long pending;
            try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
                pending = new QueryChain(connection, net.deployment).addPermission(builder.address(), refiner.id(), "daily_steps",
                        "steps", BigInteger.TEN.pow(16), Address.ZERO).id();
            }
            assertThat(owner.permission(pending).approved()).isFalse();
            Wallet stranger = net.fundedWallet();
            String kept = digest("kept algorithm");
            String dropped = digest("dropped algorithm");
            String strangers = digest("a stranger's algorithm");
            Path screenshot = PeerScript.screenshot("web-owner.png");

            JsonNode seen = PeerScript.run(dir, "web-owner.mjs", List.of(), Map.ofEntries(
                    Map.entry("WEB_URL", web.url()),
                    Map.entry("RPC_URL", net.anvil.rpcUrl()),
                    Map.entry("CHAIN_ID", Long.toString(net.deployment.chainId())),
                    Map.entry("OWNER_KEY", Anvil.DEV_ACCOUNT_KEY),
                    Map.entry("STRANGER_KEY", stranger.privateKeyHex()),
                    Map.entry("DLP_ID", Long.toString(dlpId)),
                    Map.entry("FILE_ID", Long.toString(fileId)),
                    Map.entry("REFINER_ID", Long.toString(refiner.id())),
                    Map.entry("PENDING_ID", Long.toString(pending)),
                    Map.entry("KEPT_DIGEST", kept),
                    Map.entry("DROPPED_DIGEST", dropped),
                    Map.entry("STRANGER_DIGEST", strangers),
                    Map.entry("REVENUE", PeerScript.ether(revenue)),
                    Map.entry("PROGRAM", new String(Deployer.sampleProgram(), StandardCharsets.UTF_8)),
                    Map.entry("SCREENSHOT", screenshot.toString())));

            DataDao created = net.chain.dataDao(seen.get("createdId").asLong());
            assertThat(created.owner()).isEqualTo(net.admin.account());
            assertThat(created.name()).isEqualTo("Steps Co-op");
            assertThat(created.tokenSymbol()).isEqualTo("STEP");
            assertThat(created.rewardPerFile()).isEqualTo(BigInteger.TEN.pow(19));
            assertThat(created.rewardsLeft()).isEqualTo(BigInteger.TEN.pow(21));
            assertThat(created.programDigest()).isEqualTo("0x" + HexFormat.of().formatHex(Deployer.sampleProgramDigest()));
            assertThat(HttpBlobStore.fetchBytes(created.programUrl())).isEqualTo(Deployer.sampleProgram());

            QueryPermission granted = owner.permission(seen.get("grantedId").asLong());
            assertThat(granted.refinerId()).isEqualTo(refiner.id());
            assertThat(granted.grantee()).isEqualTo(Address.ZERO);
            assertThat(granted.table()).isEqualTo("daily_steps");
            assertThat(granted.column()).isEqualTo("distance_km");
            assertThat(granted.price()).isEqualTo(BigInteger.valueOf(2).multiply(BigInteger.TEN.pow(16)));
            assertThat(granted.approved()).isTrue();
            assertThat(granted.revoked()).isTrue();
            QueryPermission approved = owner.permission(pending);
            assertThat(approved.approved()).as("approved by the owner").isTrue();
            assertThat(approved.revoked()).as("the stranger's revocation was refused").isFalse();
            assertThat(seen.get("hashes")).hasSize(7); // create, grant, approve, revoke, allow, allow, disallow

            Web3j web3j = Web3j.build(new HttpService(net.anvil.rpcUrl()));
            try {
                TaskCoordinator coordinator = TaskCoordinator.load(net.deployment.address(Deployment.TASK_COORDINATOR).value(),
                        web3j, new ReadonlyTransactionManager(web3j, net.admin.account().value()), new DefaultGasProvider());
                BigInteger dlp = BigInteger.valueOf(dlpId);
                assertThat(coordinator.isAlgorithmAllowed(dlp, bytes(kept)).send()).isTrue();
                assertThat(coordinator.isAlgorithmAllowed(dlp, bytes(dropped)).send()).as("disallowed again").isFalse();
                assertThat(coordinator.isAlgorithmAllowed(dlp, bytes(strangers)).send()).as("the stranger was refused").isFalse();
            } finally {
                web3j.shutdown();
            }
            assertThat(seen.get("refusals").toString()).contains("QueryEngineNotDataDaoOwner", "TaskCoordinatorNotDataDaoOwner");
            assertThat(screenshot).isNotEmptyFile();
        }
    }

    /** A digest standing for an algorithm: keccak256 of its name, as 0x and 64 hex digits. */
    private static String digest(String name) {
        return Hash.sha3String(name);
    }

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.substring(2));
    }
}
