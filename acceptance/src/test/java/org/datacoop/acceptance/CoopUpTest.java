package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.datacoop.acceptance.CoopProcess.cast;
import static org.datacoop.acceptance.CoopProcess.coop;
import static org.datacoop.acceptance.CoopProcess.coopLogging;
import static org.datacoop.acceptance.CoopProcess.readPrintedLines;
import static org.datacoop.acceptance.CoopProcess.run;
import static org.datacoop.acceptance.CoopProcess.stop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.chain.devnet.Toolchain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's user flow, as a user runs it: {@code coop up} in its own process, an outside
 * client ({@code cast}) reading the printed contracts, {@code coop faucet}, SIGTERM, and a second
 * {@code coop up} on the same data dir finding the same chain and contracts at the same rpc-url.
 */
class CoopUpTest {
    private static final String WALLET = "0x00000000000000000000000000000000000000b0";
    private static final String FIVE_ETH_IN_WEI = "5000000000000000000";
    /** The JVM's exit status after SIGTERM (128 + 15), once its shutdown hooks have run. */
    private static final int SIGTERM_EXIT = 143;

    @TempDir
    Path dataDir;

    @Test
    void upServesTheContractsAndKeepsTheChainAcrossRestarts() throws Exception {
        Map<String, String> first;
        Path upErr = dataDir.resolveSibling(dataDir.getFileName() + "-up.err");
        Process up = coop("up", "--data-dir", dataDir.toString()).redirectError(upErr.toFile()).start();
        try {
            first = readPrintedLines(up);
            assertThat(first).containsKeys("rpc-url", "DataRegistry", "TeePool", "DataLiquidityPoolRegistry",
                    "DataLiquidityPool", "DataDaoToken");
            String rpc = first.get("rpc-url");
            assertThat(rpc).startsWith("http://127.0.0.1:");
            assertThat(cast("call", first.get("DataRegistry"), "filesCount()(uint256)", "--rpc-url", rpc))
                    .isEqualTo("0");
            assertThat(cast("call", first.get("DataLiquidityPool"), "name()(string)", "--rpc-url", rpc))
                    .isEqualTo("\"DataCoop Sample DAO\"");
            assertThat(run(coop("status", "--wait", "rpc-url", "--data-dir", dataDir.toString())).out().strip())
                    .as("coop status, from another process, once coop up is ready").isEqualTo(rpc);

            Process faucet = coop("faucet", WALLET, "--amount", "5", "--json", "--data-dir", dataDir.toString())
                    .start();
            JsonNode funded = new ObjectMapper().readTree(faucet.getInputStream());
            assertThat(faucet.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(faucet.exitValue()).isZero();
            assertThat(funded.path("txHash").asText()).matches("0x[0-9a-f]{64}");
            assertThat(funded.path("balanceWei").asText()).isEqualTo(FIVE_ETH_IN_WEI);

            Process second = coop("up", "--data-dir", dataDir.toString()).start();
            String refusal = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isEqualTo(1);
            assertThat(refusal).contains("another `coop up` is already running on " + dataDir);
        } finally {
            stop(up);
        }
        assertThat(up.exitValue()).as("exit status after SIGTERM").isIn(0, SIGTERM_EXIT);
        CoopProcess.Result stopped = run(coop("status", "--data-dir", dataDir.toString()));
        assertThat(stopped.exit()).isEqualTo(1);
        assertThat(stopped.err()).contains("`coop up` is not running on " + dataDir);
        assertThat(Files.readString(upErr)).contains("stopped; the chain is saved in " + dataDir)
                .as("the launcher's JVM options grant DuckDB native access")
                .doesNotContain("WARNING: A restricted method");
        assertThatThrownBy(() -> ChainConnection.open(first.get("rpc-url"), Anvil.DEV_ACCOUNT_KEY).close())
                .as("anvil stopped with coop up")
                .isInstanceOf(ChainException.class);
        assertThat(Files.readString(dataDir.resolve("deployment.json"))).contains(first.get("DataRegistry"));

        Process again = coopLogging("up", "--data-dir", dataDir.toString()).start();
        try {
            Map<String, String> second = readPrintedLines(again);
            Map<String, String> firstContracts = new LinkedHashMap<>(first);
            Map<String, String> secondContracts = new LinkedHashMap<>(second);
            firstContracts.remove("validator-url"); // a free port each run; the validator updates it on-chain
            secondContracts.remove("validator-url");
            assertThat(secondContracts).as("the same rpc-url, storage-url and contracts").isEqualTo(firstContracts);
            // the rpc-url the user gave cast (or a wallet) the first time still works
            String rpc = first.get("rpc-url");
            assertThat(cast("call", second.get("DataRegistry"), "filesCount()(uint256)", "--rpc-url", rpc))
                    .isEqualTo("0");
            assertThat(cast("balance", WALLET, "--rpc-url", rpc)).isEqualTo(FIVE_ETH_IN_WEI);
        } finally {
            stop(again);
        }

        int kept = URI.create(first.get("rpc-url")).getPort();
        try (ServerSocket squatter = new ServerSocket(kept, 1, InetAddress.getLoopbackAddress())) {
            Process refused = coop("up", "--data-dir", dataDir.toString()).start();
            String refusal = new String(refused.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(refused.exitValue()).isEqualTo(1);
            assertThat(refusal).contains("port " + kept + " is taken", "rpc-url", "--port PORT");
        }
    }

    @Test
    void upDeploysToAnyJsonRpcNodeWhenAskedAndReusesThatDeployment() throws Exception {
        try (Anvil external = Anvil.start(Toolchain.discover(), 0, Optional.empty(), Optional.empty())) {
            String key = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"; // anvil's 2nd
            ProcessBuilder withoutDeploy = coop("up", "--rpc-url", external.rpcUrl(), "--data-dir", dataDir.toString());
            withoutDeploy.environment().put("COOP_PRIVATE_KEY", key);
            Process refused = withoutDeploy.start();
            String refusal = new String(refused.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(refused.exitValue()).isEqualTo(1);
            assertThat(refusal).contains("pass --deploy to deploy the contracts there");

            Path keyFile = Files.writeString(dataDir.resolve("deployer.key"), key);
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            Process deployed = coopLogging("up", "--rpc-url", external.rpcUrl(), "--private-key-file", keyFile.toString(),
                            "--deploy", "--data-dir", dataDir.toString())
                    .start();
            Map<String, String> printed;
            try {
                printed = readPrintedLines(deployed);
            } finally {
                stop(deployed);
            }
            assertThat(printed.get("rpc-url")).isEqualTo(external.rpcUrl());
            assertThat(cast("code", printed.get("TeePool"), "--rpc-url", external.rpcUrl())).startsWith("0x60");
            assertThat(cast("call", printed.get("TeePool"), "hasRole(bytes32,address)(bool)",
                            "0x" + "0".repeat(64), Wallet.fromPrivateKey(key).address().value(),
                            "--rpc-url", external.rpcUrl()))
                    .as("the given key administers the contracts")
                    .isEqualTo("true");

            Process reused = withoutDeploy.start();
            try {
                Map<String, String> again = readPrintedLines(reused);
                assertThat(again.get("TeePool")).isEqualTo(printed.get("TeePool"));
            } finally {
                stop(reused);
            }
        }
    }

    @Test
    void aKilledUpLeavesNoSecondNodeOnItsState() throws Exception {
        Process killed = coopLogging("up", "--data-dir", dataDir.toString()).start();
        Map<String, String> first = readPrintedLines(killed);
        long orphan = Long.parseLong(Files.readString(Anvil.pidFile(dataDir.resolve("anvil-state.json"))).strip());
        killed.destroyForcibly().waitFor(); // kill -9: no shutdown hook runs, anvil survives it
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).contains(true);

        Process again = coopLogging("up", "--data-dir", dataDir.toString()).start();
        try {
            Map<String, String> second = readPrintedLines(again);
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false))
                    .as("the orphaned anvil was stopped")
                    .isFalse();
            assertThat(second.get("DataRegistry")).isEqualTo(first.get("DataRegistry"));
            assertThat(cast("call", second.get("DataRegistry"), "filesCount()(uint256)", "--rpc-url",
                            second.get("rpc-url")))
                    .isEqualTo("0");
        } finally {
            stop(again);
        }
    }

    @Test
    void faucetWithoutADevnetSaysWhatIsMissing() throws Exception {
        Process faucet = coop("faucet", WALLET, "--data-dir", dataDir.toString()).start();
        String error = new String(faucet.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(faucet.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(faucet.exitValue()).isEqualTo(1);
        assertThat(error).contains("no deployment at " + dataDir.resolve("deployment.json"));
    }

}
