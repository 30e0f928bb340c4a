package org.datacoop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.datacoop.chain.devnet.Anvil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Under --json every failure is one JSON object on stdout, {"error", "code"}, with a non-zero exit; without, one line. */
class JsonErrorsTest {
    @TempDir
    Path dataDir;

    private record Run(int exit, String out, String err) {
        JsonNode error() throws Exception {
            JsonNode error = Json.MAPPER.readTree(out);
            assertThat(error.isObject()).as(out).isTrue();
            assertThat(error.fieldNames()).toIterable().containsExactlyInAnyOrder("error", "code");
            return error;
        }
    }

    private static Run run(String... args) {
        // a wallet from the environment, so that commands get past it to what the test is about
        CommandLine cli = Coop.commandLine(Map.of("COOP_PRIVATE_KEY", Anvil.DEV_ACCOUNT_KEY));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aBadArgumentIsBadInputWithTheUsageExit() throws Exception {
        Run run = run("job", "cancel", "four", "--json", "--data-dir", dataDir.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.error().path("code").asText()).isEqualTo("bad_input");
        assertThat(run.error().path("error").asText()).contains("four");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void anUnknownOptionAndAMissingSubcommandAreBadInput() throws Exception {
        Run unknown = run("files", "--json", "--frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.error().path("code").asText()).isEqualTo("bad_input");
        assertThat(unknown.error().path("error").asText()).contains("--frobnicate");

        Run missing = run("job", "--json");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.error().path("code").asText()).isEqualTo("bad_input");
    }

    @Test
    void aMalformedValueIsBadInput() throws Exception {
        Run run = run("faucet", "0x12", "--json", "--data-dir", dataDir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.error().path("code").asText()).isEqualTo("bad_input");
        assertThat(run.error().path("error").asText()).isEqualTo("not an address: '0x12' (expected 0x followed by 40 hex digits)");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aMissingFileIsNotFound() throws Exception {
        Run encrypt = run("encrypt", dataDir.resolve("nope").toString(), "-o", dataDir.resolve("out").toString(),
                "--password-file", dataDir.resolve("nope").toString(), "--json");
        assertThat(encrypt.exit()).isEqualTo(1);
        assertThat(encrypt.error().path("code").asText()).isEqualTo("not_found");
        assertThat(encrypt.error().path("error").asText()).isEqualTo("no file at " + dataDir.resolve("nope"));

        Run contribute = run("contribute", dataDir.resolve("nope").toString(), "--dlp", "1", "--json",
                "--data-dir", dataDir.toString());
        assertThat(contribute.exit()).isEqualTo(1);
        assertThat(contribute.error().path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void aJobWithNoDeploymentIsNotFoundWhereverJsonIsGiven() throws Exception {
        Run cancel = run("job", "cancel", "4", "--json", "--data-dir", dataDir.toString());
        assertThat(cancel.exit()).isEqualTo(1);
        assertThat(cancel.error().path("code").asText()).isEqualTo("not_found");
        assertThat(cancel.error().path("error").asText()).startsWith("no deployment at " + dataDir.resolve("deployment.json"));

        // given to a parent, or to coop itself, it applies all the same
        assertThat(run("job", "--json", "cancel", "4", "--data-dir", dataDir.toString()).error().path("code").asText())
                .isEqualTo("not_found");
        assertThat(run("--json", "job", "show", "4", "--data-dir", dataDir.toString()).error().path("code").asText())
                .isEqualTo("not_found");
    }

    @Test
    void aChainThatDoesNotAnswerIsUnreachableAndNamed() throws Exception {
        Files.writeString(dataDir.resolve("deployment.json"), """
                {"chainId": 31337, "rpcUrl": "http://127.0.0.1:9", "devnet": true, "deployer": "0x%s",
                 "sampleDlpId": 1, "contracts": {}, "services": {}}""".formatted("0".repeat(40)));
        Run run = run("job", "show", "4", "--json", "--data-dir", dataDir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.error().path("code").asText()).isEqualTo("unreachable");
        assertThat(run.error().path("error").asText()).contains("http://127.0.0.1:9").doesNotContain("null");
    }

    @Test
    void withoutJsonAFailureIsOneLineOnStderr() {
        Run run = run("job", "cancel", "4", "--data-dir", dataDir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("coop: no deployment at " + dataDir.resolve("deployment.json")
                + " (run `coop up` first, or pass --data-dir)" + System.lineSeparator());
    }

    @Test
    void jsonAfterDoubleDashIsAnArgumentNotTheOption() {
        assertThat(JsonOption.requested(java.util.List.of("query", "--", "--json"))).isFalse();
        assertThat(JsonOption.requested(java.util.List.of("query", "--json", "--", "x"))).isTrue();
    }
}
