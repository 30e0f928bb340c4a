package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.datacoop.acceptance.CoopProcess.as;
import static org.datacoop.acceptance.CoopProcess.coop;
import static org.datacoop.acceptance.CoopProcess.readPrintedLines;
import static org.datacoop.acceptance.CoopProcess.run;
import static org.datacoop.acceptance.CoopProcess.stop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.node.keys.NodeKeys;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.protocol.crypto.PasswordEncryption;
import org.datacoop.protocol.storage.BlobId;
import org.datacoop.storage.HttpBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contributor's flow on a real devnet, through {@code coop contribute}: the chain shows the
 * file, its owner, the job, and a key under the validator's address that only the validator's
 * key opens, and that opens the stored file.
 */
class ContributeTest {
    /** anvil's second default account: funded on every devnet. */
    private static final String CONTRIBUTOR_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    @TempDir
    static Path dataDir;

    private static Process up;
    private static Map<String, String> printed;
    private static ChainConnection connection;
    private static DataCoopChain chain;

    @BeforeAll
    static void startDevnet() throws Exception {
        up = CoopProcess.coopLogging("up", "--data-dir", dataDir.toString()).start();
        printed = readPrintedLines(up);
        connection = ChainConnection.open(printed.get("rpc-url"), Anvil.DEV_ACCOUNT_KEY);
        chain = new DataCoopChain(connection, Deployment.readFrom(dataDir));
    }

    @AfterAll
    static void stopDevnet() throws Exception {
        connection.close();
        stop(up);
    }

    @Test
    void contributesAFileThatOnlyItsValidatorCanOpen() throws Exception {
        Path steps = Files.writeString(dataDir.resolve("steps.json"),
                "{\"owner\":\"0x70997970c51812dc3a010c7d01b50e0d17dc79c8\",\"days\":[{\"date\":\"2026-11-01\",\"steps\":9000}]}");
        CoopProcess.Result result = run(as(CONTRIBUTOR_KEY,
                "contribute", steps.toString(), "--dlp", "1", "--json", "--data-dir", dataDir.toString()));
        assertThat(result.exit()).as(result.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(result.out());
        long fileId = json.path("fileId").asLong();
        long jobId = json.path("jobId").asLong();
        assertThat(json.path("transactions").fieldNames()).toIterable().containsExactly("register", "feePayment", "keyShare");
        Address contributor = Wallet.fromPrivateKey(CONTRIBUTOR_KEY).address();
        Address validator = Address.of(printed.get("validator"));

        ContributedFile file = chain.file(fileId);
        assertThat(file.owner()).isEqualTo(contributor);
        assertThat(file.url()).isEqualTo(json.path("url").asText()).startsWith(printed.get("storage-url") + "/blobs/");
        ValidationJob job = chain.job(jobId);
        assertThat(job.fileId()).isEqualTo(fileId);
        assertThat(job.dlpId()).isEqualTo(1);
        assertThat(job.status()).as("open, or already proved by the devnet's validator")
                .isNotIn(ValidationJob.Status.FAILED, ValidationJob.Status.CANCELED);
        assertThat(job.validator()).isEqualTo(validator);
        assertThat(job.payer()).isEqualTo(contributor);
        assertThat(job.bidWei()).isEqualTo(chain.teeFee());

        byte[] wrapped = chain.filePermission(fileId, validator);
        assertThat(wrapped).isNotEmpty();
        assertThat(chain.filePermission(fileId, contributor)).as("shared with the validator only").isEmpty();
        byte[] password = NodeKeys.loadOrCreate(dataDir.resolve("node")).wallet().unwrapEcies(HexFormat.of().formatHex(wrapped));
        assertThat(new String(password, StandardCharsets.UTF_8))
                .isEqualTo(Wallet.fromPrivateKey(CONTRIBUTOR_KEY).encryptionPassword(Wallet.DEFAULT_SEED));

        Path fetched = dataDir.resolve("fetched.gpg");
        try (InputStream in = HttpBlobStore.fetch(file.url(), new BlobId(file.checksum()))) {
            Files.copy(in, fetched);
        }
        Path opened = dataDir.resolve("opened.json");
        new PasswordEncryption().decryptFile(fetched, opened, new String(password, StandardCharsets.UTF_8).toCharArray());
        assertThat(opened).hasSameTextualContentAs(steps);

        // proved and not yet claimed: job show says what is claimable, and how, rather than "0 paid"
        while (chain.jobStatus(jobId) == ValidationJob.Status.SUBMITTED) {
            Thread.sleep(200);
        }
        CoopProcess.Result unclaimed = run(coop("job", "show", Long.toString(jobId), "--data-dir", dataDir.toString()));
        assertThat(unclaimed.out()).contains("reward not yet claimed (42 SDAT claimable with coop reward " + fileId + ")");
        JsonNode claimable = new ObjectMapper().readTree(
                run(coop("job", "show", Long.toString(jobId), "--json", "--data-dir", dataDir.toString())).out());
        assertThat(claimable.path("reward").path("state").asText()).isEqualTo("claimable");
        assertThat(claimable.path("reward").path("tokens").asText()).isEqualTo("42");

        CoopProcess.Result again = run(as(CONTRIBUTOR_KEY,
                "contribute", steps.toString(), "--dlp", "1", "--wait", "--json", "--data-dir", dataDir.toString()));
        assertThat(again.exit()).as(again.err()).isZero();
        JsonNode second = new ObjectMapper().readTree(again.out());
        assertThat(second.path("alreadyRegistered").asBoolean()).isTrue();
        assertThat(second.path("fileId").asLong()).isEqualTo(fileId);
        assertThat(second.path("jobId").asLong()).isEqualTo(jobId);
        assertThat(second.path("transactions")).isEmpty();
        assertThat(chain.jobsOf(fileId)).hasSize(1);
        // --wait: the validator proved the file (1 day of 30: 0.6 * 1/30 + 0.4 * ownership) and the reward was paid
        assertThat(second.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(second.path("proof").path("score").asText()).isEqualTo("0.42");
        assertThat(second.path("reward").path("tokens").asText()).isEqualTo("42");
        assertThat(second.path("proof").path("validator").asText()).isEqualTo(validator.value());

        assertThat(run(coop("job", "show", Long.toString(jobId), "--data-dir", dataDir.toString())).out())
                .contains("reward paid: 42 SDAT");

        JsonNode listed = new ObjectMapper().readTree(
                run(as(CONTRIBUTOR_KEY, "files", "--json", "--data-dir", dataDir.toString())).out()).get(0);
        assertThat(listed.path("fileId").asLong()).isEqualTo(fileId);
        assertThat(listed.path("owner").asText()).isEqualTo(contributor.value());
        assertThat(listed.path("jobs").get(0).path("status").asText()).isEqualTo("COMPLETED");
        CoopProcess.Result files = run(as(CONTRIBUTOR_KEY, "files", "--data-dir", dataDir.toString()));
        assertThat(files.out()).contains("file " + fileId + "  " + file.url(), "job " + jobId + "  DataDAO 1  completed");

        // listing reads the chain only: anyone's files by address, and a keystore's own without its password
        CoopProcess.Result byOwner = run(coop("files", "--owner", contributor.value(), "--data-dir", dataDir.toString()));
        assertThat(byOwner.out()).contains("file " + fileId + "  " + file.url());
        Path keystoreDir = Files.createDirectories(dataDir.resolve("keystore-only"));
        Files.copy(dataDir.resolve("deployment.json"), keystoreDir.resolve("deployment.json"));
        Wallet.fromPrivateKey(CONTRIBUTOR_KEY).save(keystoreDir.resolve("wallet.json"), "never asked".toCharArray());
        CoopProcess.Result fromKeystore = run(coop("files", "--data-dir", keystoreDir.toString()));
        assertThat(fromKeystore.exit()).as(fromKeystore.err()).isZero();
        assertThat(fromKeystore.out()).contains("file " + fileId + "  " + file.url());
        CoopProcess.Result notAnAddress = run(coop("files", "--owner", "0x1234", "--data-dir", dataDir.toString()));
        assertThat(notAnAddress.exit()).isEqualTo(1);
        assertThat(notAnAddress.err()).contains("not an address: '0x1234'");
    }

    @Test
    void badContributionsAreRefusedAndNothingIsRegisteredOrPaid() throws Exception {
        Path data = Files.writeString(dataDir.resolve("chat.txt"), "a private chat log");
        long filesBefore = chain.filesCount();
        BigInteger poolBefore = connection.balance(chain.deployment().address(Deployment.TEE_POOL));

        CoopProcess.Result unknownDao = run(as(CONTRIBUTOR_KEY,
                "contribute", data.toString(), "--dlp", "99", "--data-dir", dataDir.toString()));
        assertThat(unknownDao.exit()).isEqualTo(1);
        assertThat(unknownDao.err()).contains("coop: there is no DataDAO with id 99");

        CoopProcess.Result missing = run(as(CONTRIBUTOR_KEY,
                "contribute", dataDir.resolve("nothing.txt").toString(), "--dlp", "1", "--data-dir", dataDir.toString()));
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("coop: no file at " + dataDir.resolve("nothing.txt"));

        Wallet broke = Wallet.create();
        CoopProcess.Result noFunds = run(as(broke.privateKeyHex(),
                "contribute", data.toString(), "--dlp", "1", "--data-dir", dataDir.toString()));
        assertThat(noFunds.exit()).isEqualTo(1);
        assertThat(noFunds.err()).contains("wallet " + broke.address() + " holds 0 wei", "coop faucet");

        // under --json a refusal is one object on stdout with a stable code
        CoopProcess.Result unknownJob = run(as(CONTRIBUTOR_KEY,
                "job", "cancel", "999", "--json", "--data-dir", dataDir.toString()));
        assertThat(unknownJob.exit()).isEqualTo(1);
        JsonNode error = new ObjectMapper().readTree(unknownJob.out());
        assertThat(error.path("code").asText()).isEqualTo("not_found");
        assertThat(error.path("error").asText()).startsWith("there is no job 999");
        CoopProcess.Result unknownDaoJson = run(as(CONTRIBUTOR_KEY,
                "contribute", data.toString(), "--dlp", "99", "--json", "--data-dir", dataDir.toString()));
        assertThat(new ObjectMapper().readTree(unknownDaoJson.out()).path("code").asText()).isEqualTo("not_found");

        assertThat(chain.filesCount()).isEqualTo(filesBefore);
        assertThat(connection.balance(chain.deployment().address(Deployment.TEE_POOL))).isEqualTo(poolBefore);
    }
}
