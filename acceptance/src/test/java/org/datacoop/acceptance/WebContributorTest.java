package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.datacoop.acceptance.CoopProcess.coop;
import static org.datacoop.acceptance.CoopProcess.coopLogging;
import static org.datacoop.acceptance.CoopProcess.readPrintedLines;
import static org.datacoop.acceptance.CoopProcess.run;
import static org.datacoop.acceptance.CoopProcess.stop;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.crypto.PasswordEncryption;
import org.datacoop.storage.HttpBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web app's contributor page in a real browser (Debian's Chromium, driven by playwright-core
 * from acceptance/src/test/js/web-contributor.mjs) against {@code coop up} in its own process: the
 * page's contribution is validated and rewarded, and the file it encrypted opens with the password
 * the CLI derives for the same wallet, in Java and in gpg. The script checks what only the browser
 * sees: the wrong-chain message, the step log, "my files", every request's host and body.
 */
class WebContributorTest {
    private static final String SEED = "Please sign to retrieve your encryption key";

    @TempDir
    Path dataDir;

    @Test
    void aContributionFromThePageIsValidatedRewardedAndOpensWithTheWalletsPassword() throws Exception {
        Process up = coopLogging("up", "--data-dir", dataDir.toString()).start();
        try {
            Map<String, String> printed = readPrintedLines(up);
            String web = printed.get("web-url");
            assertThat(web).startsWith("http://127.0.0.1:");
            Deployment deployment = Deployment.readFrom(dataDir);
            assertThat(get(web + "/deployment.json")).contains(printed.get("TeePool"), printed.get("storage-url"));

            Wallet contributor = Wallet.create();
            assertThat(run(coop("faucet", contributor.address().value(), "--amount", "5", "--data-dir", dataDir.toString()))
                    .exit()).isZero();
            String content = ValidatorNodeTest.stepsExport(contributor.address(), 30, 0);
            Path file = Files.writeString(dataDir.resolve("steps.json"), content);
            Path screenshot = PeerScript.screenshot("web-contributor.png");

            JsonNode seen = PeerScript.run(dataDir, "web-contributor.mjs", List.of(), Map.of(
                    "WEB_URL", web,
                    "RPC_URL", printed.get("rpc-url"),
                    "CHAIN_ID", Long.toString(deployment.chainId()),
                    "PRIVATE_KEY", contributor.privateKeyHex(),
                    "FILE", file.toString(),
                    "SCREENSHOT", screenshot.toString()));

            long fileId = seen.get("fileId").asLong();
            try (ChainConnection connection = ChainConnection.open(printed.get("rpc-url"), contributor)) {
                DataCoopChain chain = new DataCoopChain(connection, deployment);
                ContributedFile registered = chain.file(fileId);
                assertThat(registered.owner()).isEqualTo(contributor.address());
                assertThat(chain.rewardPaid(deployment.sampleDlpId(), fileId)).isEqualTo(BigInteger.TEN.pow(20));

                Path encrypted = dataDir.resolve("from-the-page.gpg");
                try (InputStream in = HttpBlobStore.fetch(registered.url())) {
                    Files.write(encrypted, in.readAllBytes());
                }
                String password = contributor.encryptionPassword(SEED);
                Path opened = dataDir.resolve("opened.json");
                new PasswordEncryption().decryptFile(encrypted, opened, password.toCharArray());
                assertThat(Files.readString(opened)).isEqualTo(content);
                assertThat(gpgDecrypt(encrypted, password)).isEqualTo(content);
            }
            assertThat(screenshot).isNotEmptyFile();
        } finally {
            stop(up);
        }
    }

    @Test
    void theWebAppRefusesWhatItDoesNotServeAndTheGatewayAdmitsOnlyItsOrigin() throws Exception {
        Process up = coopLogging("up", "--data-dir", dataDir.toString(), "--no-validator").start();
        try {
            Map<String, String> printed = readPrintedLines(up);
            String web = printed.get("web-url");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(web + "/../../etc/passwd")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("no such page");
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(web + "/deployment.json"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).isEqualTo(405);
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(web + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                    policy -> assertThat(policy).contains("default-src 'self'", "connect-src 'self' http://127.0.0.1:*"));

            String blobs = printed.get("storage-url") + "/blobs";
            HttpResponse<String> admitted = http.send(HttpRequest.newBuilder(URI.create(blobs))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", web)
                    .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(admitted.headers().firstValue("Access-Control-Allow-Origin")).contains(web);
            HttpResponse<String> stranger = http.send(HttpRequest.newBuilder(URI.create(blobs))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).header("Origin", "http://evil.example").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).as("another origin is not admitted").isEmpty();
        } finally {
            stop(up);
        }
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** gpg's decryption, the password on stdin (never on a command line). */
    private static String gpgDecrypt(Path encrypted, String password) throws Exception {
        Path home = Files.createTempDirectory("gnupg");
        Process gpg = new ProcessBuilder("gpg", "--homedir", home.toString(), "--batch", "--pinentry-mode", "loopback",
                "--passphrase-fd", "0", "-d", encrypted.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        gpg.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
        gpg.getOutputStream().close();
        String out = new String(gpg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gpg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gpg.exitValue()).as("gpg's exit status").isZero();
        return out;
    }
}
