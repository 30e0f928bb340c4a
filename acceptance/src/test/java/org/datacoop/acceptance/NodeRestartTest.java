package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.datacoop.acceptance.CoopProcess.as;
import static org.datacoop.acceptance.CoopProcess.coop;
import static org.datacoop.acceptance.CoopProcess.coopLogging;
import static org.datacoop.acceptance.CoopProcess.readPrintedLines;
import static org.datacoop.acceptance.CoopProcess.run;
import static org.datacoop.acceptance.CoopProcess.stop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.devnet.Anvil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validator as its own process ({@code coop node run}) beside {@code coop up --no-validator}:
 * killed with SIGKILL in the middle of a job, restarted, it completes the job from where the chain
 * says it is, and the file gets exactly one proof. Along the way: {@code coop dlp create},
 * {@code coop contribute}, {@code coop reward} and {@code coop job show} as a user runs them.
 */
class NodeRestartTest {
    private static final Wallet CONTRIBUTOR = Wallet.create();
    private static final String CONTRIBUTOR_KEY = CONTRIBUTOR.privateKeyHex();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The node's scratch area, once probed. */
    private static NodeScratch scratch;

    @TempDir
    static Path dataDir;

    private static Process up;

    @BeforeAll
    static void startDevnet() throws Exception {
        up = coopLogging("up", "--no-validator", "--data-dir", dataDir.toString()).start();
        readPrintedLines(up);
        CoopProcess.Result funded = run(coop("faucet", CONTRIBUTOR.address().value(), "--data-dir", dataDir.toString()));
        assertThat(funded.exit()).as(funded.err()).isZero();
    }

    @AfterAll
    static void stopDevnet() throws Exception {
        stop(up);
    }

    @Test
    void aJobInterruptedByKillNineCompletesAfterARestartWithExactlyOneProof() throws Exception {
        // It holds the job in RUNNING_PROGRAM until the test lets it go: no race with a timer. The
        // sandbox shows it nothing of this machine but its input, so the release appears there.
        Path program = Files.writeString(dataDir.resolve("slow-program.sh"), "#!/bin/sh\n"
                + "while [ ! -e /input/release ]; do sleep 0.05; done\n"
                + "echo '{\"valid\": true, \"score\": 1, \"metadata\": {\"reason\": \"slow but sure\"}}' > \"$OUTPUT_DIR/results.json\"\n");
        CoopProcess.Result created = run(as(Anvil.DEV_ACCOUNT_KEY, "dlp", "create", "--name", "Slow DAO", "--symbol", "SLW",
                "--reward-per-file", "5", "--program", program.toString(), "--json", "--data-dir", dataDir.toString()));
        assertThat(created.exit()).as(created.err()).isZero();
        long dlpId = JSON.readTree(created.out()).path("dlpId").asLong();

        ProcessBuilder nodeRun = coopLogging("node", "run", "--data-dir", dataDir.toString());
        Process node = nodeRun.start();
        long jobId;
        long fileId;
        try {
            String nodeUrl = readPrintedLines(node, "validator-url").get("validator-url");
            Path data = Files.writeString(dataDir.resolve("data.txt"), "anything the slow program accepts");
            CoopProcess.Result contributed = run(as(CONTRIBUTOR_KEY, "contribute", data.toString(), "--dlp",
                    Long.toString(dlpId), "--json", "--data-dir", dataDir.toString()));
            assertThat(contributed.exit()).as(contributed.err()).isZero();
            JsonNode contribution = JSON.readTree(contributed.out());
            jobId = contribution.path("jobId").asLong();
            fileId = contribution.path("fileId").asLong();
            awaitState(nodeUrl, jobId, "RUNNING_PROGRAM");
            assertThat(scratch().programsRunning()).as("the sandboxed program, running").isPositive();
            assertThat(Files.readString(nodeRun.redirectError().file().toPath()))
                    .as("the launcher's JVM options grant DuckDB native access")
                    .doesNotContain("WARNING: A restricted method");
        } finally {
            node.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        }
        assertThat(node.waitFor()).isEqualTo(137);
        // The program held decrypted input: it must not outlive the node that ran it.
        assertThat(scratch().programsRunningAfter(10)).as("sandboxed programs left after kill -9 of their node").isZero();

        Process restarted = coopLogging("node", "run", "--data-dir", dataDir.toString()).start();
        try {
            String restartedUrl = readPrintedLines(restarted, "validator-url").get("validator-url");
            try (ChainConnection connection = ChainConnection.open(Deployment.readFrom(dataDir).rpcUrl(), CONTRIBUTOR_KEY)) {
                DataCoopChain chain = new DataCoopChain(connection, Deployment.readFrom(dataDir));
                assertThat(chain.validator(chain.job(jobId).validator()).url()).as("the restarted node's url, on-chain")
                        .isEqualTo(restartedUrl);
            }
            awaitState(restartedUrl, jobId, "RUNNING_PROGRAM");
            Files.createFile(scratch().workspaceOf(jobId).resolve("input").resolve("release"));
            CoopProcess.Result reward = run(as(CONTRIBUTOR_KEY, "reward", Long.toString(fileId), "--json",
                    "--data-dir", dataDir.toString()));
            assertThat(reward.exit()).as(reward.err()).isZero();
            JsonNode outcome = JSON.readTree(reward.out());
            assertThat(outcome.path("status").asText()).isEqualTo("COMPLETED");
            assertThat(outcome.path("reward").path("tokens").asText()).isEqualTo("5");

            try (ChainConnection connection = ChainConnection.open(Deployment.readFrom(dataDir).rpcUrl(), CONTRIBUTOR_KEY)) {
                DataCoopChain chain = new DataCoopChain(connection, Deployment.readFrom(dataDir));
                assertThat(chain.proofsOf(fileId)).hasSize(1);
            }
            assertThat(jobView(restartedUrl, jobId).path("state").asText()).isEqualTo("COMPLETED");

            CoopProcess.Result shown = run(coop("job", "show", Long.toString(jobId), "--json", "--data-dir", dataDir.toString()));
            assertThat(shown.exit()).as(shown.err()).isZero();
            JsonNode job = JSON.readTree(shown.out());
            assertThat(job.path("attestationVerified").asBoolean()).as(job.toString()).isTrue();
            assertThat(job.path("validatorView").path("state").asText()).isEqualTo("COMPLETED");
            assertThat(job.path("proof").path("metadata").asText()).contains("slow but sure");
            // Only the query engine's workspace (job 0) stays while the node runs, with no refined plaintext left in it.
            assertThat(scratch().filesLeft()).as("scratch wiped").isEmpty();
            assertThat(scratch().workspaces()).allMatch(n -> n.startsWith("job-0-"));
        } finally {
            stop(restarted);
        }
    }

    private static NodeScratch scratch() {
        if (scratch == null) {
            scratch = NodeScratch.of(dataDir);
        }
        return scratch;
    }

    private static void awaitState(String nodeUrl, long jobId, String state) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode view = null;
        while (Instant.now().isBefore(deadline)) {
            view = jobView(nodeUrl, jobId);
            if (state.equals(view.path("state").asText())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + jobId + " never reached " + state + "; last seen " + view);
    }

    private static JsonNode jobView(String nodeUrl, long jobId) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(nodeUrl + "/jobs/" + jobId)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
