package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployer;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.chain.devnet.Toolchain;
import org.datacoop.node.ValidatorService;
import org.datacoop.node.api.NodeApi;
import org.datacoop.node.attestation.Attestation;
import org.datacoop.node.attestation.AttestationCheck;
import org.datacoop.node.job.JobSettings;
import org.datacoop.node.keys.NodeKeys;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.FileProof;
import org.datacoop.protocol.ProofData;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.protocol.Validator;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.protocol.crypto.PasswordEncryption;
import org.datacoop.protocol.storage.BlobId;
import org.datacoop.sdk.contribute.Contribution;
import org.datacoop.sdk.contribute.Contributor;
import org.datacoop.sdk.contribute.Outcome;
import org.datacoop.sdk.contribute.Progress;
import org.datacoop.storage.HttpBlobStore;
import org.datacoop.storage.LocalBlobStore;
import org.datacoop.storage.StorageGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validator on a real devnet, in process: it finds jobs by itself, proves good files, fails
 * bad ones with a reason on-chain (wrong key, oversize, corrupted, a program that hangs or
 * crashes, a program other than the one pinned), takes keys and nonces over HTTP in Vana's and
 * LazAI's shapes, and refuses malformed requests naming the field.
 */
class ValidatorNodeTest {
    private static final long MAX_FILE_BYTES = 64 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static Anvil anvil;
    private static ChainConnection admin;
    private static DataCoopChain chain;
    private static StorageGateway gateway;
    private static HttpBlobStore storage;
    private static Deployment deployment;
    private static ValidatorService validator;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startNetwork() {
        anvil = Anvil.start(Toolchain.discover(), 0, Optional.empty(), Optional.empty());
        admin = ChainConnection.open(anvil.rpcUrl(), Anvil.DEV_ACCOUNT_KEY);
        gateway = StorageGateway.start(new LocalBlobStore(dir.resolve("blobs"), 1L << 30), "127.0.0.1", 0);
        deployment = new Deployer(admin, step -> {}).deploy(Deployer.Settings.DEFAULT, true)
                .withService(Deployment.STORAGE_URL, gateway.baseUrl());
        chain = new DataCoopChain(admin, deployment);
        storage = new HttpBlobStore(gateway.baseUrl());
        JobSettings settings = JobSettings.DEFAULT.withMaxFileBytes(MAX_FILE_BYTES)
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(2));
        validator = ValidatorService.start(deployment, dir.resolve("node"), settings, "127.0.0.1", 0,
                Optional.of(Anvil.DEV_ACCOUNT_KEY));
    }

    @AfterAll
    static void stopNetwork() {
        // each on its own: a setup that failed half way must still stop what it started
        for (AutoCloseable started : new AutoCloseable[] {validator, gateway, admin, anvil}) {
            if (started != null) {
                try {
                    started.close();
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }
        }
    }

    @Test
    void registersItselfWithItsUrlAndKeys() {
        Validator registered = chain.validator(validator.address());
        assertThat(registered.active()).isTrue();
        assertThat(registered.url()).isEqualTo(validator.url());
        assertThat(registered.enclaveType()).isEqualTo("software");
        assertThat(registered.secp256k1PublicKey()).hasSize(65);
    }

    @Test
    void provesAJobNobodyCalledItAboutAndItsAttestationVerifiesAgainstTheChain() throws Exception {
        Wallet alice = fundedWallet();
        Path file = Files.writeString(dir.resolve("alice.json"), stepsExport(alice.address(), 30, 0));
        try (Contributor contributor = Contributor.connect(deployment, alice, dir.resolve("tmp"))) {
            Contribution contribution = contributor.contribute(file, deployment.sampleDlpId(), Wallet.DEFAULT_SEED, Progress.SILENT);
            Outcome outcome = contributor.awaitReward(contribution.jobId(), WAIT, Progress.SILENT);

            assertThat(outcome.job().status()).isEqualTo(ValidationJob.Status.COMPLETED);
            assertThat(outcome.reward()).isEqualTo(BigInteger.TEN.pow(20)); // 100 SDAT for a perfect score
            assertThat(contributor.tokenBalance(deployment.sampleDlpId())).isEqualTo(BigInteger.TEN.pow(20));
            FileProof proof = outcome.proof().orElseThrow();
            assertThat(proof.validator()).isEqualTo(validator.address());
            assertThat(proof.data().programDigest()).isEqualTo("0x" + HexFormat.of().formatHex(Deployer.sampleProgramDigest()));

            Attestation attestation = AttestationCheck.fetch(proof.data().proofUrl());
            ContributedFile registered = chain.file(contribution.fileId());
            assertThat(AttestationCheck.mismatches(attestation, registered, proof)).isEmpty();
            assertThat(attestation.recoverSigner()).isEqualTo(validator.address());
            assertThat(attestation.field("prover", "type").asText()).isEqualTo("self-signed");
            assertThat(attestation.field("subject", "decrypted_file_checksum").asText())
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            assertThat(attestation.field("job", "job_id").asLong()).isEqualTo(contribution.jobId());

            JsonNode nodeView = http("GET", "/jobs/" + contribution.jobId(), new byte[0]).body();
            assertThat(nodeView.path("state").asText()).isEqualTo("COMPLETED");
            assertThat(nodeView.path("source").asText()).isEqualTo("chain");

            // a tampered attestation no longer recovers to the validator
            var forged = attestation.signedFields().deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) forged.get("proof")).put("score", 0.5);
            assertThat(AttestationCheck.mismatches(new Attestation(forged, attestation.signature()), registered, proof))
                    .isNotEmpty();
        }
    }

    @Test
    void theProofDigestComputedLocallyIsTheOneTheTeePoolChecks() {
        Wallet owner = fundedWallet();
        Registered registered = registerAndRequest(owner, "digest".getBytes(StandardCharsets.UTF_8), "pw");
        long jobId = registered.jobId();
        ProofData data = new ProofData(BigInteger.valueOf(7), 1, "0x" + "ab".repeat(32), "{\"a\":1}", "http://x/y", "");
        assertThat(chain.proofDigest(chain.file(registered.fileId()), jobId, validator.address(), data))
                .isEqualTo(chain.proofDigestOnChain(jobId, validator.address(), data));
    }

    @Test
    void aKeyWrappedToAnotherKeyFailsTheJobWithAReasonAndTheFeeIsRefunded() {
        Wallet owner = fundedWallet();
        Registered file = registerAndRequest(owner, "{}".getBytes(StandardCharsets.UTF_8), "the-password");
        byte[] wrongKey = HexFormat.of().parseHex(new KeyWrapping().wrapEcies(
                "the-password".getBytes(StandardCharsets.UTF_8), Wallet.create().publicKey()));
        try (ChainConnection connection = ChainConnection.open(anvil.rpcUrl(), owner)) {
            DataCoopChain ownerChain = new DataCoopChain(connection, deployment);
            ownerChain.grantPermission(file.fileId(), validator.address(), wrongKey);
            ValidationJob failed = awaitEnd(file.jobId());
            assertThat(failed.status()).isEqualTo(ValidationJob.Status.FAILED);
            assertThat(failed.failureReason()).contains("does not open the file");

            ownerChain.cancelJob(file.jobId());
            assertThat(ownerChain.claimable(owner.address())).isEqualTo(chain.teeFee());
            ownerChain.claim();
            assertThat(ownerChain.claimable(owner.address())).isZero();
        }
    }

    @Test
    void aFileOverTheValidatorsLimitFailsItsJob() {
        Wallet owner = fundedWallet();
        Registered file = registerAndRequest(owner, new byte[(int) MAX_FILE_BYTES + 1024], "pw");
        shareKey(owner, file.fileId(), "pw");
        ValidationJob failed = awaitEnd(file.jobId());
        assertThat(failed.status()).isEqualTo(ValidationJob.Status.FAILED);
        assertThat(failed.failureReason()).contains("larger than this validator's limit of " + MAX_FILE_BYTES + " bytes");
    }

    @Test
    void aFileWhoseBytesDoNotMatchItsOnChainChecksumFailsItsJob() {
        Wallet owner = fundedWallet();
        BlobId stored = storage.put(new ByteArrayInputStream(encrypt("real".getBytes(StandardCharsets.UTF_8), "pw")));
        try (ChainConnection connection = ChainConnection.open(anvil.rpcUrl(), owner)) {
            DataCoopChain ownerChain = new DataCoopChain(connection, deployment);
            byte[] otherChecksum = new byte[32];
            otherChecksum[0] = 1;
            long fileId = ownerChain.addFile(storage.urlOf(stored), otherChecksum).fileId();
            long jobId = ownerChain.requestContributionProof(fileId, deployment.sampleDlpId(), chain.teeFee()).jobId();
            shareKey(owner, fileId, "pw");
            ValidationJob failed = awaitEnd(jobId);
            assertThat(failed.status()).isEqualTo(ValidationJob.Status.FAILED);
            assertThat(failed.failureReason()).contains("does not match its on-chain checksum");
        }
    }

    @Test
    void aProgramThatHangsIsStoppedAndItsJobFails() {
        long dlpId = dataDaoWithProgram("#!/bin/sh\nsleep 60\n");
        ValidationJob failed = awaitEnd(contributeRaw(dlpId));
        assertThat(failed.status()).isEqualTo(ValidationJob.Status.FAILED);
        assertThat(failed.failureReason()).contains("timeout");
    }

    @Test
    void aProgramThatCrashesFailsItsJobWithItsExitCode() {
        long dlpId = dataDaoWithProgram("#!/bin/sh\necho 'the private export says...' >&2\nexit 3\n");
        ValidationJob failed = awaitEnd(contributeRaw(dlpId));
        assertThat(failed.status()).isEqualTo(ValidationJob.Status.FAILED);
        // its output never reaches the chain: it may quote the decrypted data
        assertThat(failed.failureReason()).isEqualTo("the program failed with exit code 3");
    }

    @Test
    void anExternalProgramsVerdictIsProved() {
        long dlpId = dataDaoWithProgram("#!/bin/sh\n"
                + "test -s \"$INPUT_DIR/data\" || exit 4\n"
                + "echo '{\"valid\": true, \"score\": 0.25, \"metadata\": {\"reason\": \"external\"}}' > \"$OUTPUT_DIR/results.json\"\n");
        long jobId = contributeRaw(dlpId);
        ValidationJob done = awaitEnd(jobId);
        assertThat(done.status()).as(done.failureReason()).isEqualTo(ValidationJob.Status.COMPLETED);
        FileProof proof = chain.proofsOf(done.fileId()).get(0);
        assertThat(proof.score()).isEqualTo(new BigInteger("250000000000000000"));
        assertThat(proof.data().metadata()).contains("external");
    }

    @Test
    void aProgramOtherThanThePinnedOneIsRefused() {
        BlobId program = storage.put(new ByteArrayInputStream("#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.UTF_8)));
        byte[] otherDigest = new byte[32];
        otherDigest[31] = 9;
        long dlpId = chain.createDataDao("Mismatch", "Mismatch Token", "MIS", BigInteger.TEN.pow(24), BigInteger.TEN.pow(18),
                otherDigest, storage.urlOf(program)).id();
        ValidationJob failed = awaitEnd(contributeRaw(dlpId));
        assertThat(failed.status()).isEqualTo(ValidationJob.Status.FAILED);
        assertThat(failed.failureReason()).contains("is pinned on-chain; refusing it");
    }

    @Test
    void vanasRunProofWithThePasswordAndANonceCompletesAJobWithNoKeyOnChain() throws Exception {
        Wallet owner = fundedWallet();
        String password = owner.encryptionPassword(Wallet.DEFAULT_SEED);
        Registered file = registerAndRequest(owner, stepsExport(owner.address(), 15, 1).getBytes(StandardCharsets.UTF_8), password);
        NodeApi.Response response = post("/RunProof", "{\"job_id\": " + file.jobId() + ", \"file_id\": " + file.fileId()
                + ", \"encryption_key\": \"" + password + "\", \"encryption_seed\": \"" + Wallet.DEFAULT_SEED
                + "\", \"nonce\": 424242}");
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        assertThat(response.body().path("success").asBoolean()).isTrue();
        ValidationJob done = awaitEnd(file.jobId());
        assertThat(done.status()).as(done.failureReason()).isEqualTo(ValidationJob.Status.COMPLETED);
        Attestation attestation = AttestationCheck.fetch(chain.proofsOf(file.fileId()).get(0).data().proofUrl());
        assertThat(attestation.field("job", "nonce").asLong()).isEqualTo(424242);
        assertThat(attestation.field("subject", "encryption_seed").asText()).isEqualTo(Wallet.DEFAULT_SEED);
        assertThat(attestation.field("proof", "score").asDouble()).isEqualTo(0.7); // 0.6 * 15/30 + 0.4
    }

    @Test
    void lazaisProofRequestWithAnRsaWrappedKeyCompletesAJob() throws Exception {
        Wallet owner = fundedWallet();
        Registered file = registerAndRequest(owner, stepsExport(owner.address(), 30, 2).getBytes(StandardCharsets.UTF_8), "lazai-pw");
        Validator registered = chain.validator(validator.address());
        String wrapped = new KeyWrapping().wrapRsa("lazai-pw".getBytes(StandardCharsets.UTF_8),
                KeyWrapping.rsaPublicKeyFromDer(registered.rsaPublicKey()), KeyWrapping.Scheme.RSA_PKCS1);
        NodeApi.Response response = post("/proof", "{\"job_id\": " + file.jobId() + ", \"file_id\": " + file.fileId()
                + ", \"file_url\": \"" + chain.file(file.fileId()).url() + "\", \"encryption_key\": \"" + wrapped + "\"}");
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        assertThat(awaitEnd(file.jobId()).status()).isEqualTo(ValidationJob.Status.COMPLETED);
    }

    @Test
    void aWrongKeyFromACallerIsDroppedAndTheJobStillCompletesWithTheOwnersKey() {
        // callers are not authenticated: a key from one is a hint, and a bad one must not fail the job
        Wallet owner = fundedWallet();
        Registered file = registerAndRequest(owner, stepsExport(owner.address(), 30, 3).getBytes(StandardCharsets.UTF_8), "right");
        NodeApi.Response response = post("/RunProof", "{\"job_id\": " + file.jobId() + ", \"file_id\": " + file.fileId()
                + ", \"encryption_key\": \"wrong\"}");
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        awaitNodeView(file.jobId(), view -> view.path("state").asText().equals("WAITING_FOR_KEY")
                && !view.path("caller_key_pending").asBoolean(true));
        assertThat(chain.job(file.jobId()).status()).isEqualTo(ValidationJob.Status.SUBMITTED);
        shareKey(owner, file.fileId(), "right");
        ValidationJob done = awaitEnd(file.jobId());
        assertThat(done.status()).as(done.failureReason()).isEqualTo(ValidationJob.Status.COMPLETED);
    }

    @Test
    void envVarsAndSecretsFromRunProofReachTheProgram() {
        long dlpId = dataDaoWithProgram("#!/bin/sh\n"
                + "[ \"$API_KEY\" = \"s3cret\" ] && [ \"$MODE\" = \"strict\" ] || exit 5\n"
                + "echo '{\"valid\": true, \"score\": 1}' > \"$OUTPUT_DIR/results.json\"\n");
        Wallet owner = fundedWallet();
        Registered file = registerAndRequest(owner, "anything".getBytes(StandardCharsets.UTF_8), "pw", dlpId);
        String secret = new KeyWrapping().wrapRsa("s3cret".getBytes(StandardCharsets.UTF_8),
                KeyWrapping.rsaPublicKeyFromDer(chain.validator(validator.address()).rsaPublicKey()),
                KeyWrapping.Scheme.RSA_OAEP_SHA256);
        NodeApi.Response response = post("/RunProof", "{\"job_id\": " + file.jobId() + ", \"file_id\": " + file.fileId()
                + ", \"encryption_key\": \"pw\", \"env_vars\": {\"MODE\": \"strict\"}, \"secrets\": {\"API_KEY\": \""
                + secret + "\"}}");
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        ValidationJob done = awaitEnd(file.jobId());
        assertThat(done.status()).as(done.failureReason()).isEqualTo(ValidationJob.Status.COMPLETED);
    }

    @Test
    void aZipArchiveIsExtractedForTheProgramAndOneThatEscapesItsFolderIsRefused() throws Exception {
        long dlpId = dataDaoWithProgram("#!/bin/sh\n"
                + "test -f \"$INPUT_DIR/a.txt\" && test -f \"$INPUT_DIR/b/c.txt\" || exit 6\n"
                + "echo '{\"valid\": true, \"score\": 1}' > \"$OUTPUT_DIR/results.json\"\n");
        long extracted = contributeRaw(dlpId, zip("a.txt", "b/c.txt"));
        assertThat(awaitEnd(extracted).status()).isEqualTo(ValidationJob.Status.COMPLETED);
        ValidationJob escaping = awaitEnd(contributeRaw(dlpId, zip("a.txt", "../evil.txt")));
        assertThat(escaping.status()).isEqualTo(ValidationJob.Status.FAILED);
        assertThat(escaping.failureReason()).isEqualTo("the decrypted file: the archive entry ../evil.txt points outside its folder");
    }

    @Test
    void theNodeTakesOnlyTheJobsAssignedToItself() {
        Validator other = NodeKeys.loadOrCreate(dir.resolve("other-validator")).descriptor("http://127.0.0.1:9");
        chain.registerValidator(other);
        try {
            Wallet owner = fundedWallet();
            Registered first = registerAndRequest(owner, "first".getBytes(StandardCharsets.UTF_8), "pw");
            Registered second = registerAndRequest(owner, "second".getBytes(StandardCharsets.UTF_8), "pw");
            Registered ours = chain.job(first.jobId()).validator().equals(validator.address()) ? first : second;
            Registered theirs = ours == first ? second : first;
            assertThat(chain.job(theirs.jobId()).validator()).isEqualTo(other.address());

            shareKey(owner, ours.fileId(), "pw");
            // the node has scanned past both requests
            assertThat(awaitEnd(ours.jobId()).status()).isEqualTo(ValidationJob.Status.COMPLETED);
            assertThat(validator.node().job(theirs.jobId())).isEmpty();
            assertError(http("GET", "/jobs/" + theirs.jobId(), new byte[0]), 404, "it is assigned to " + other.address());
        } finally {
            chain.removeValidator(other.address());
        }
    }

    @Test
    void aProvedFileIsPaidAfterItsDataDaoChangesProgramAndItsValidatorIsRemovedThenAddedBack() {
        long dlpId = dataDaoWithProgram("#!/bin/sh\necho '{\"valid\": true, \"score\": 0.5}' > \"$OUTPUT_DIR/results.json\"\n");
        ValidationJob done = awaitEnd(contributeRaw(dlpId));
        assertThat(done.status()).as(done.failureReason()).isEqualTo(ValidationJob.Status.COMPLETED);

        // the owner pins another program and a maintainer removes the validator, both before the claim
        byte[] otherProgram = new byte[32];
        otherProgram[31] = 7;
        chain.updateProgram(dlpId, otherProgram, "http://127.0.0.1:9/other-program");
        Validator self = chain.validator(validator.address());
        chain.removeValidator(self.address());
        try {
            assertThat(chain.validator(self.address()).active()).isFalse();
            assertThat(chain.requestReward(dlpId, done.fileId(), 0).amount()).isEqualTo(BigInteger.TEN.pow(18).divide(BigInteger.TWO));
        } finally {
            chain.readdValidator(self);
        }
        assertThat(chain.validator(self.address()).active()).isTrue();
        assertThatThrownBy(() -> chain.readdValidator(self)).isInstanceOf(ChainException.class)
                .hasMessageContaining("is active in the TeePool");
    }

    @Test
    void aJobKeepsTheProgramPinnedWhenItWasRequested() {
        long dlpId = dataDaoWithProgram("#!/bin/sh\necho '{\"valid\": true, \"score\": 1}' > \"$OUTPUT_DIR/results.json\"\n");
        String pinned = chain.dataDao(dlpId).programDigest();
        Wallet owner = fundedWallet();
        Registered file = registerAndRequest(owner, "pinned".getBytes(StandardCharsets.UTF_8), "pw", dlpId);
        byte[] program = "#!/bin/sh\nexit 9\n".getBytes(StandardCharsets.UTF_8);
        BlobId replaced = storage.put(new ByteArrayInputStream(program));
        chain.updateProgram(dlpId, replaced.bytes(), storage.urlOf(replaced));
        assertThat(chain.job(file.jobId()).programDigest()).isEqualTo(pinned);

        shareKey(owner, file.fileId(), "pw");
        // the DataDAO's url now serves the new program: the node refuses to prove the job with it
        ValidationJob failed = awaitEnd(file.jobId());
        assertThat(failed.status()).isEqualTo(ValidationJob.Status.FAILED);
        assertThat(failed.failureReason()).contains("is pinned on-chain; refusing it");
    }

    @Test
    void aValidatorRotatesItsOwnKeysAndNobodyElseCan() {
        Wallet other = fundedWallet();
        chain.registerValidator(new Validator(other.address(), "http://127.0.0.1:9", new byte[0], Wallet.create().publicKey(),
                "software", "0x" + "00".repeat(32), true));
        try {
            byte[] rotated = Wallet.create().publicKey();
            try (ChainConnection asOther = ChainConnection.open(anvil.rpcUrl(), other)) {
                new DataCoopChain(asOther, deployment).updateValidatorKeys(new byte[0], rotated);
            }
            assertThat(chain.validator(other.address()).secp256k1PublicKey()).isEqualTo(rotated);

            Wallet stranger = fundedWallet();
            try (ChainConnection asStranger = ChainConnection.open(anvil.rpcUrl(), stranger)) {
                assertThatThrownBy(() -> new DataCoopChain(asStranger, deployment).updateValidatorKeys(new byte[0],
                        Wallet.create().publicKey())).isInstanceOf(ChainException.class);
            }
        } finally {
            chain.removeValidator(other.address());
        }
    }

    @Test
    void malformedRequestsAreRefusedNamingTheFieldAtFault() {
        assertError(post("/RunProof", "not json"), 400, "not JSON");
        assertError(post("/RunProof", "[1, 2]"), 400, "must be a JSON object");
        assertError(post("/RunProof", "{\"file_id\": 1}"), 400, "missing field job_id");
        assertError(post("/RunProof", "{\"job_id\": \"one\", \"file_id\": 1}"), 400, "job_id must be a positive integer");
        assertError(post("/RunProof", "{\"job_id\": -4, \"file_id\": 1}"), 400, "job_id must be a positive integer");
        assertError(post("/RunProof", "{\"job_id\": 1, \"file_id\": 1, \"env_vars\": {\"A\": 1}}"), 400, "env_vars.A must be a string");
        assertError(post("/RunProof", "{\"job_id\": 1, \"file_id\": 1, \"secrets\": {\"KEY\": \"zz\"}}"), 400, "secrets.KEY must be hex");
        assertError(post("/proof", "{\"job_id\": 1, \"file_id\": 1, \"encryption_key\": \"xyz\"}"), 400, "encryption_key must be hex");
        assertError(http("POST", "/RunProof", new byte[NodeApi.MAX_BODY_BYTES + 1]), 413,
                "the request body is over " + NodeApi.MAX_BODY_BYTES + " bytes");
        assertError(http("GET", "/RunProof", new byte[0]), 405, "POST");
        assertError(http("GET", "/nowhere", new byte[0]), 404, "no such endpoint");
        assertError(http("GET", "/jobs/abc", new byte[0]), 400, "not a number");
    }

    @Test
    void unknownJobsAndMismatchedFilesAreRefused() {
        assertError(post("/RunProof", "{\"job_id\": 999999, \"file_id\": 1}"), 404, "no job 999999");
        assertError(http("GET", "/jobs/999999", new byte[0]), 404, "no such job on-chain");
        Wallet owner = fundedWallet();
        Registered file = registerAndRequest(owner, "{}".getBytes(StandardCharsets.UTF_8), "pw");
        assertError(post("/RunProof", "{\"job_id\": " + file.jobId() + ", \"file_id\": " + (file.fileId() + 1000) + "}"), 400,
                "is not the file of job");
        shareKey(owner, file.fileId(), "pw");
        awaitEnd(file.jobId());
        assertError(post("/RunProof", "{\"job_id\": " + file.jobId() + ", \"file_id\": " + file.fileId() + "}"), 409,
                "already ended");
    }

    @Test
    void healthNamesTheValidatorAndItsChain() {
        NodeApi.Response health = http("GET", "/health", new byte[0]);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().path("validator").asText()).isEqualTo(validator.address().value());
        assertThat(health.body().path("chain_id").asLong()).isEqualTo(31337);
    }

    // ---- helpers

    private record Registered(long fileId, long jobId) {}

    private static Wallet fundedWallet() {
        Wallet wallet = Wallet.create();
        admin.sendEther(wallet.address(), BigDecimal.ONE);
        return wallet;
    }

    /** Encrypts {@code content} with {@code password}, stores it, registers it and pays for a job, sharing no key. */
    private static Registered registerAndRequest(Wallet owner, byte[] content, String password) {
        return registerAndRequest(owner, content, password, deployment.sampleDlpId());
    }

    private static Registered registerAndRequest(Wallet owner, byte[] content, String password, long dlpId) {
        BlobId stored = storage.put(new ByteArrayInputStream(encrypt(content, password)));
        try (ChainConnection connection = ChainConnection.open(anvil.rpcUrl(), owner)) {
            DataCoopChain ownerChain = new DataCoopChain(connection, deployment);
            long fileId = ownerChain.addFile(storage.urlOf(stored), stored.bytes()).fileId();
            long jobId = ownerChain.requestContributionProof(fileId, dlpId, chain.teeFee()).jobId();
            return new Registered(fileId, jobId);
        }
    }

    private static void shareKey(Wallet owner, long fileId, String password) {
        byte[] wrapped = HexFormat.of().parseHex(new KeyWrapping().wrapEcies(password.getBytes(StandardCharsets.UTF_8),
                chain.validator(validator.address()).secp256k1PublicKey()));
        try (ChainConnection connection = ChainConnection.open(anvil.rpcUrl(), owner)) {
            new DataCoopChain(connection, deployment).grantPermission(fileId, validator.address(), wrapped);
        }
    }

    /** A file for DataDAO {@code dlpId} with its key shared on-chain; returns the job id. */
    private static long contributeRaw(long dlpId) {
        return contributeRaw(dlpId, ("data for " + dlpId).getBytes(StandardCharsets.UTF_8));
    }

    private static long contributeRaw(long dlpId, byte[] content) {
        Wallet owner = fundedWallet();
        Registered file = registerAndRequest(owner, content, "pw", dlpId);
        shareKey(owner, file.fileId(), "pw");
        return file.jobId();
    }

    private static byte[] zip(String... entries) throws java.io.IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(bytes)) {
            for (String entry : entries) {
                zip.putNextEntry(new java.util.zip.ZipEntry(entry));
                zip.write(entry.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void awaitNodeView(long jobId, java.util.function.Predicate<JsonNode> reached) {
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode view;
        while (!reached.test(view = http("GET", "/jobs/" + jobId, new byte[0]).body())) {
            assertThat(Instant.now()).as("job " + jobId + " never got there; last seen " + view).isBefore(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static long dataDaoWithProgram(String script) {
        byte[] program = script.getBytes(StandardCharsets.UTF_8);
        BlobId stored = storage.put(new ByteArrayInputStream(program));
        return chain.createDataDao("External " + stored.sha256().substring(0, 6), "External Token", "EXT",
                BigInteger.TEN.pow(24), BigInteger.TEN.pow(18), stored.bytes(), storage.urlOf(stored)).id();
    }

    private static byte[] encrypt(byte[] content, String password) {
        var out = new java.io.ByteArrayOutputStream();
        new PasswordEncryption().encrypt(new ByteArrayInputStream(content), out, password.toCharArray(), "data");
        return out.toByteArray();
    }

    private static ValidationJob awaitEnd(long jobId) {
        Instant deadline = Instant.now().plus(WAIT);
        ValidationJob job = chain.job(jobId);
        while (job.status() == ValidationJob.Status.SUBMITTED && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            job = chain.job(jobId);
        }
        return job;
    }

    private static NodeApi.Response post(String path, String body) {
        return http("POST", path, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A request to the validator's real HTTP server, as any client sends it. */
    private static NodeApi.Response http(String method, String path, byte[] body) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(validator.url() + path))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                    .timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new NodeApi.Response(response.statusCode(), JSON.readTree(response.body()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void assertError(NodeApi.Response response, int status, String message) {
        assertThat(response.status()).as(response.body().toString()).isEqualTo(status);
        assertThat(response.body().path("error").asText()).contains(message);
    }

    static String stepsExport(Address owner, int days, int variant) {
        StringBuilder json = new StringBuilder("{\"owner\": \"" + owner + "\", \"variant\": " + variant + ", \"days\": [");
        for (int day = 0; day < days; day++) {
            json.append(day == 0 ? "" : ", ").append("{\"date\": \"2026-10-").append(String.format("%02d", day + 1))
                    .append("\", \"steps\": ").append(7000 + day).append('}');
        }
        return json.append("]}").toString();
    }
}
