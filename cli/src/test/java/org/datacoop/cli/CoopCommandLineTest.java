package org.datacoop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line's contract with its user: help, and one clear line for each kind of bad input. */
class CoopCommandLineTest {
    @TempDir
    Path dataDir;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cli = Coop.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void everyCommandHasHelp() {
        assertThat(run("--help").out()).contains("up", "faucet");
        assertThat(run("up", "--help").out()).contains("--data-dir", "--rpc-url", "--private-key-file",
                "$COOP_PRIVATE_KEY", "--private-key", "--deploy", "--json");
        assertThat(run("faucet", "--help").out()).contains("ADDRESS", "--amount", "--json");
        assertThat(run("demo", "--help").out()).contains("--keep", "--json");
        assertThat(run("node", "run", "--help").out()).contains("--port", "--maintainer-key-file",
                "$COOP_MAINTAINER_KEY", "--maintainer-key", "--max-file-bytes", "--json");
        assertThat(run("encrypt", "--help").out()).contains("--password-file", "$COOP_FILE_PASSWORD", "--password", "--seed");
        assertThat(run("decrypt", "--help").out()).contains("--password-file", "$COOP_FILE_PASSWORD", "--password", "--seed");
        assertThat(run("contribute", "--help").out()).contains("--wait", "--timeout", "--json");
        assertThat(run("reward", "--help").out()).contains("FILE_ID", "--dlp", "--json");
        assertThat(run("job", "show", "--help").out()).contains("ID", "--json");
        assertThat(run("job", "cancel", "--help").out()).contains("ID", "--json");
        assertThat(run("dlp", "create", "--help").out()).contains("--name", "--symbol", "--reward-per-file", "--program", "--json");
        assertThat(run("dlp", "show", "--help").out()).contains("ID", "--json");
        assertThat(run("refiner", "add", "--help").out()).contains("--dlp", "--definition", "--program", "--schema", "--json");
        assertThat(run("refiner", "list", "--help").out()).contains("--dlp", "--json");
        assertThat(run("refiner", "service", "--help").out()).contains("--dlp", "ADDRESS");
        assertThat(run("schema", "show", "--help").out()).contains("ID", "--json");
        assertThat(run("permission", "grant", "--help").out()).contains("--refiner", "--grantee", "--anyone", "--table",
                "--column", "--price", "--token", "--json");
        assertThat(run("permission", "approve", "--help").out()).contains("ID", "--json");
        assertThat(run("permission", "revoke", "--help").out()).contains("ID", "--json");
        assertThat(run("permission", "list", "--help").out()).contains("--refiner", "--json");
        assertThat(run("query", "--help").out()).contains("SQL", "--dlp", "--max-price", "--price-only", "--json", "--csv");
        assertThat(run("earnings", "--help").out()).contains("--claim", "--json");
    }

    @Test
    void aValidatorPortInUseIsOneClearLine() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.nio.file.Files.writeString(dataDir.resolve("deployment.json"), """
                    {"chainId": 31337, "rpcUrl": "http://127.0.0.1:9", "devnet": true, "deployer": "0x%s",
                     "sampleDlpId": 1, "contracts": {}, "services": {}}""".formatted("0".repeat(40)));
            Run result = run("node", "run", "--port", Integer.toString(taken.getLocalPort()), "--data-dir", dataDir.toString());
            assertThat(result.exit()).isEqualTo(1);
            assertThat(result.err()).startsWith("coop: cannot serve the validator API on 127.0.0.1:" + taken.getLocalPort())
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void dlpCreateChecksADeclarativeProgramBeforeSendingAnything() throws Exception {
        Path program = java.nio.file.Files.writeString(dataDir.resolve("p.json"),
                "{\"program\": \"builtin:declarative/v1\", \"uniquness\": \"content-hash\"}");
        Run result = run("dlp", "create", "--name", "X", "--symbol", "X", "--reward-per-file", "1",
                "--program", program.toString(), "--data-dir", dataDir.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("coop: ").contains("uniquness");
    }

    @Test
    void refinerAddChecksADeclarativeDefinitionBeforeSendingAnything() throws Exception {
        Path definition = java.nio.file.Files.writeString(dataDir.resolve("r.json"), """
                {"refiner": "builtin:refiner/v1", "tables": [{"name": "t", "columns":
                  [{"name": "km", "path": "/m", "type": "DOUBLE", "unit": "m", "as": "kg"}]}]}""");
        Run result = run("refiner", "add", "--dlp", "1", "--name", "x", "--definition", definition.toString(),
                "--data-dir", dataDir.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("coop: ").contains("cannot convert m (length) to kg (mass)");
    }

    @Test
    void faucetNamesAMalformedAddress() {
        Run run = run("faucet", "0x12", "--data-dir", dataDir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("coop: not an address: '0x12' (expected 0x followed by 40 hex digits)"
                + System.lineSeparator());
    }

    @Test
    void faucetRefusesAnAmountOutOfRange() {
        Run run = run("faucet", "0x00000000000000000000000000000000000000aa", "--amount", "-1",
                "--data-dir", dataDir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("--amount must be more than 0 and at most 1000 ETH");
    }

    @Test
    void upDeployOnlyGoesWithAnRpcUrl() {
        Run run = run("up", "--deploy", "--data-dir", dataDir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("--deploy goes with --rpc-url");
    }

    @Test
    void upVanaMokshaGoesWithTheDevnetOnly() {
        Run run = run("up", "--vana-moksha", "--rpc-url", "http://127.0.0.1:9", "--data-dir", dataDir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("--vana-moksha goes with the devnet, not with --rpc-url");
    }

    @Test
    void upOnAnRpcUrlNeedsAKey() {
        Run run = run("up", "--rpc-url", "http://127.0.0.1:9", "--data-dir", dataDir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("--rpc-url needs a key");
    }

    @Test
    void upNamesAnRpcUrlWhereNothingAnswers() {
        Run run = run("up", "--rpc-url", "http://127.0.0.1:9", "--private-key",
                "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", "--data-dir", dataDir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("no JSON-RPC node answers at http://127.0.0.1:9");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        Run run = run("contribute-everything");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument");
    }
}
