package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
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
import java.util.Map;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployer;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.JobRequestDigest;
import org.datacoop.chain.Wallet;
import org.datacoop.node.api.NodeApi;
import org.datacoop.node.attestation.Attestation;
import org.datacoop.node.attestation.AttestationCheck;
import org.datacoop.node.keys.NodeKeys;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.FileProof;
import org.datacoop.protocol.ProofData;
import org.datacoop.protocol.ProofRequest;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.protocol.Validator;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.protocol.crypto.PasswordEncryption;
import org.datacoop.protocol.storage.BlobId;
import org.datacoop.sdk.contribute.Contribution;
import org.datacoop.sdk.contribute.Contributor;
import org.datacoop.sdk.contribute.Outcome;
import org.datacoop.sdk.contribute.ProgramVariables;
import org.datacoop.sdk.contribute.Progress;
import org.datacoop.sdk.contribute.SignedRunProof;
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

    @TempDir
    static Path dir;

    private static Devnet net;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startNetwork() {
        net = Devnet.start(dir, settings -> settings.withMaxFileBytes(MAX_FILE_BYTES)
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void registersItselfWithItsUrlAndKeys() {
        Validator registered = net.chain.validator(net.validator.address());
        assertThat(registered.active()).isTrue();
        assertThat(registered.url()).isEqualTo(net.validator.url());
        assertThat(registered.enclaveType()).isEqualTo("software");
        assertThat(registered.secp256k1PublicKey()).hasSize(65);
    }

    @Test
    void provesAJobNobodyCalledItAboutAndItsAttestationVerifiesAgainstTheChain() throws Exception {
        Wallet alice = net.fundedWallet();
        Path file = Files.writeString(dir.resolve("alice.json"), stepsExport(alice.address(), 30, 0));
        try (Contributor contributor = Contributor.connect(net.deployment, alice, dir.resolve("tmp"))) {
            Contribution contribution = contributor.contribute(file, net.deployment.sampleDlpId(), Wallet.DEFAULT_SEED, Progress.SILENT);
            Outcome outcome = contributor.awaitReward(contribution.jobId(), Devnet.WAIT, Progress.SILENT);

            assertThat(outcome.job().status()).isEqualTo(ValidationJob.Status.COMPLETED);
            assertThat(outcome.reward()).isEqualTo(BigInteger.TEN.pow(20)); // 100 SDAT for a perfect score
            assertThat(contributor.tokenBalance(net.deployment.sampleDlpId())).isEqualTo(BigInteger.TEN.pow(20));
            FileProof proof = outcome.proof().orElseThrow();
            assertThat(proof.validator()).isEqualTo(net.validator.address());
            assertThat(proof.data().programDigest()).isEqualTo("0x" + HexFormat.of().formatHex(Deployer.sampleProgramDigest()));

            Attestation attestation = AttestationCheck.fetch(proof.data().proofUrl());
            ContributedFile registered = net.chain.file(contribution.fileId());
            assertThat(AttestationCheck.mismatches(attestation, registered, proof)).isEmpty();
            assertThat(attestation.recoverSigner()).isEqualTo(net.validator.address());
            assertThat(attestation.field("prover", "type").asText()).isEqualTo("self-signed");
            assertThat(attestation.field("subject", "decrypted_file_checksum").asText())
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            assertThat(attestation.field("job", "job_id").asLong()).isEqualTo(contribution.jobId());

            // proved on-chain first, then refined: the node's view completes after the chain's
            awaitNodeView(contribution.jobId(), view -> view.path("state").asText().equals("COMPLETED"));
            JsonNode nodeView = http("GET", "/jobs/" + contribution.jobId(), new byte[0]).body();
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
        Wallet owner = net.fundedWallet();
        Registered registered = registerAndRequest(owner, "digest".getBytes(StandardCharsets.UTF_8), "pw");
        long jobId = registered.jobId();
        ProofData data = new ProofData(BigInteger.valueOf(7), 1, "0x" + "ab".repeat(32), "{\"a\":1}", "http://x/y", "");
        assertThat(net.chain.proofDigest(net.chain.file(registered.fileId()), jobId, net.validator.address(), data))
                .isEqualTo(net.chain.proofDigestOnChain(jobId, net.validator.address(), data));
    }

    @Test
    void aKeyWrappedToAnotherKeyFailsTheJobWithAReasonAndTheFeeIsRefunded() {
        Wallet owner = net.fundedWallet();
        Registered file = registerAndRequest(owner, "{}".getBytes(StandardCharsets.UTF_8), "the-password");
        byte[] wrongKey = HexFormat.of().parseHex(new KeyWrapping().wrapEcies(
                "the-password".getBytes(StandardCharsets.UTF_8), Wallet.create().publicKey()));
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), owner)) {
            DataCoopChain ownerChain = new DataCoopChain(connection, net.deployment);
            ownerChain.grantPermission(file.fileId(), net.validator.address(), wrongKey);
            ValidationJob failed = net.awaitEnd(file.jobId());
            assertThat(failed.status()).isEqualTo(ValidationJob.Status.FAILED);
            assertThat(failed.failureReason()).contains("does not open the file");

            ownerChain.cancelJob(file.jobId());
            assertThat(ownerChain.claimable(owner.address())).isEqualTo(net.chain.teeFee());
            ownerChain.claim();
            assertThat(ownerChain.claimable(owner.address())).isZero();
        }
    }

    /**
     * A wrong password (OpenPGP's quick check) and an altered body (the integrity check) fail a job
     * with one and the same reason on-chain: told apart, they are a decryption oracle for anyone who
     * pairs a copy of another file's shared key with a body of their own.
     */
    @Test
    void aWrongPasswordAndAnAlteredFileFailAlike() {
        Wallet owner = net.fundedWallet();
        Registered wrongPassword = registerAndRequest(owner, "{\"steps\": 1}".getBytes(StandardCharsets.UTF_8), "right");
        shareKey(owner, wrongPassword.fileId(), "wrong");
        byte[] altered = encrypt("{\"steps\": 2}".getBytes(StandardCharsets.UTF_8), "right");
        altered[altered.length - 3] ^= 0x01; // inside the integrity check's hash
        Registered tampered = registerEncryptedAndRequest(owner, altered, net.deployment.sampleDlpId());
        shareKey(owner, tampered.fileId(), "right");

        ValidationJob first = net.awaitEnd(wrongPassword.jobId());
        ValidationJob second = net.awaitEnd(tampered.jobId());
        assertThat(first.status()).isEqualTo(ValidationJob.Status.FAILED);
        assertThat(second.status()).isEqualTo(ValidationJob.Status.FAILED);
        assertThat(first.failureReason()).contains("does not open with the password").isEqualTo(second.failureReason());
    }

    @Test
    void aFileOverTheValidatorsLimitFailsItsJob() {
        Wallet owner = net.fundedWallet();
        Registered file = registerAndRequest(owner, new byte[(int) MAX_FILE_BYTES + 1024], "pw");
        shareKey(owner, file.fileId(), "pw");
        ValidationJob failed = net.awaitEnd(file.jobId());
        assertThat(failed.status()).isEqualTo(ValidationJob.Status.FAILED);
        assertThat(failed.failureReason()).contains("too large: over this validator's limit of " + MAX_FILE_BYTES + " bytes");
    }

    @Test
    void aFileThatExpandsPastTheLimitFailsItsJobAsTooLargeAndTheNodeGoesOn() throws Exception {
        long decryptedLimit = MAX_FILE_BYTES * 4;
        byte[] expanding = new byte[(int) decryptedLimit * 8];

        // a compressed OpenPGP message: small on the wire, past the limit once decrypted
        Wallet owner = net.fundedWallet();
        byte[] compressed = encryptCompressed(expanding, "pw");
        assertThat(compressed.length).isLessThan((int) MAX_FILE_BYTES);
        Registered openPgpBomb = registerEncryptedAndRequest(owner, compressed, net.deployment.sampleDlpId());
        shareKey(owner, openPgpBomb.fileId(), "pw");
        ValidationJob failed = net.awaitEnd(openPgpBomb.jobId());
        assertThat(failed.status()).isEqualTo(ValidationJob.Status.FAILED);
        assertThat(failed.failureReason()).isEqualTo("the file is too large: it decrypts to more than this validator's limit of "
                + decryptedLimit + " bytes");
        // the node records FAILED once the chain has: its view follows the chain's
        awaitNodeView(openPgpBomb.jobId(), view -> view.path("state").asText().equals("FAILED")
                && view.path("reason").asText().contains("too large"));

        // a zip bomb, contributed as `coop contribute --wait` does: the wait returns with the reason
        Wallet contributor = net.fundedWallet();
        Path bomb = Files.write(dir.resolve("bomb.zip"), zip(new java.util.zip.ZipEntry("zeros"), expanding));
        try (Contributor client = Contributor.connect(net.deployment, contributor, dir.resolve("tmp"))) {
            Contribution contribution = client.contribute(bomb, net.deployment.sampleDlpId(), Wallet.DEFAULT_SEED, Progress.SILENT);
            Outcome outcome = client.awaitReward(contribution.jobId(), Devnet.WAIT, Progress.SILENT);
            assertThat(outcome.job().status()).isEqualTo(ValidationJob.Status.FAILED);
            assertThat(outcome.rewarded()).isFalse();
            assertThat(outcome.why()).contains("validation failed: the decrypted file: the archive is too large: it expands past "
                    + decryptedLimit + " bytes");
            assertThat(net.chain.job(contribution.jobId()).status()).isEqualTo(ValidationJob.Status.FAILED);

            // the node still serves: the same contributor's valid file is proved and paid
            Path valid = Files.writeString(dir.resolve("after-bomb.json"), stepsExport(contributor.address(), 30, 4));
            Contribution next = client.contribute(valid, net.deployment.sampleDlpId(), Wallet.DEFAULT_SEED, Progress.SILENT);
            Outcome proved = client.awaitReward(next.jobId(), Devnet.WAIT, Progress.SILENT);
            assertThat(proved.job().status()).as(proved.job().failureReason()).isEqualTo(ValidationJob.Status.COMPLETED);
            assertThat(proved.rewarded()).isTrue();
        }
    }

    @Test
    void aFileWhoseBytesDoNotMatchItsOnChainChecksumFailsItsJob() {
        Wallet owner = net.fundedWallet();
        BlobId stored = net.storage.put(new ByteArrayInputStream(encrypt("real".getBytes(StandardCharsets.UTF_8), "pw")));
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), owner)) {
            DataCoopChain ownerChain = new DataCoopChain(connection, net.deployment);
            byte[] otherChecksum = new byte[32];
            otherChecksum[0] = 1;
            long fileId = ownerChain.addFile(net.storage.urlOf(stored), otherChecksum).fileId();
            long jobId = ownerChain.requestContributionProof(fileId, net.deployment.sampleDlpId(), net.chain.teeFee()).jobId();
            shareKey(owner, fileId, "pw");
            ValidationJob failed = net.awaitEnd(jobId);
            assertThat(failed.status()).isEqualTo(ValidationJob.Status.FAILED);
            assertThat(failed.failureReason()).contains("does not match its on-chain checksum");
        }
    }

    @Test
    void aProgramThatHangsIsStoppedAndItsJobFails() {
        long dlpId = dataDaoWithProgram("#!/bin/sh\nsleep 60\n");
        ValidationJob failed = net.awaitEnd(contributeRaw(dlpId));
        assertThat(failed.status()).isEqualTo(ValidationJob.Status.FAILED);
        assertThat(failed.failureReason()).contains("timeout");
    }

    @Test
    void aProgramThatCrashesFailsItsJobWithItsExitCode() {
        long dlpId = dataDaoWithProgram("#!/bin/sh\necho 'the private export says...' >&2\nexit 3\n");
        ValidationJob failed = net.awaitEnd(contributeRaw(dlpId));
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
        ValidationJob done = net.awaitEnd(jobId);
        assertThat(done.status()).as(done.failureReason()).isEqualTo(ValidationJob.Status.COMPLETED);
        FileProof proof = net.chain.proofsOf(done.fileId()).get(0);
        assertThat(proof.score()).isEqualTo(new BigInteger("250000000000000000"));
        assertThat(proof.data().metadata()).contains("external");
    }

    @Test
    void aProgramOtherThanThePinnedOneIsRefused() {
        BlobId program = net.storage.put(new ByteArrayInputStream("#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.UTF_8)));
        byte[] otherDigest = new byte[32];
        otherDigest[31] = 9;
        long dlpId = net.chain.createDataDao("Mismatch", "Mismatch Token", "MIS", BigInteger.TEN.pow(24), BigInteger.TEN.pow(18),
                otherDigest, net.storage.urlOf(program)).id();
        ValidationJob failed = net.awaitEnd(contributeRaw(dlpId));
        assertThat(failed.status()).isEqualTo(ValidationJob.Status.FAILED);
        assertThat(failed.failureReason()).contains("is pinned on-chain; refusing it");
    }

    @Test
    void vanasRunProofSignedByTheOwnerWithThePasswordAndANonceCompletesAJobWithNoKeyOnChain() throws Exception {
        Wallet owner = net.fundedWallet();
        String password = owner.encryptionPassword(Wallet.DEFAULT_SEED);
        Registered file = registerAndRequest(owner, stepsExport(owner.address(), 15, 1).getBytes(StandardCharsets.UTF_8), password);
        ProofRequest request = new ProofRequest(file.jobId(), file.fileId(), 424242L, Wallet.DEFAULT_SEED, password, null,
                Map.of(), Map.of());
        NodeApi.Response response = post("/RunProof", signed(owner, request));
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        assertThat(response.body().path("success").asBoolean()).isTrue();
        assertThat(response.body().path("nonce").asLong()).isEqualTo(424242);
        // the nonce comes back signed by the validator the chain assigned to the job
        Address assigned = net.chain.job(file.jobId()).validator();
        byte[] signedNonce = HexFormat.of().parseHex(response.body().path("signed_nonce").asText().substring(2));
        assertThat(JobRequestDigest.receiptSigner(net.deployment.chainId(), net.deployment.address(Deployment.TEE_POOL),
                file.jobId(), file.fileId(), 424242L, assigned, signedNonce)).isEqualTo(assigned);
        SignedRunProof.requireSignedBy(assigned, response.body().toString(), request, net.deployment.chainId(),
                net.deployment.address(Deployment.TEE_POOL));
        ValidationJob done = net.awaitEnd(file.jobId());
        assertThat(done.status()).as(done.failureReason()).isEqualTo(ValidationJob.Status.COMPLETED);
        awaitNodeView(file.jobId(), view -> view.path("state").asText().equals("COMPLETED"));
        assertThat(http("GET", "/jobs/" + file.jobId(), new byte[0]).body().path("caller_key_pending").asBoolean(true))
                .as("the key the caller sent is not pending once the job has ended")
                .isFalse();
        Attestation attestation = AttestationCheck.fetch(net.chain.proofsOf(file.fileId()).get(0).data().proofUrl());
        assertThat(attestation.field("job", "nonce").asLong()).isEqualTo(424242);
        assertThat(attestation.field("subject", "encryption_seed").asText()).isEqualTo(Wallet.DEFAULT_SEED);
        assertThat(attestation.field("proof", "score").asDouble()).isEqualTo(0.7); // 0.6 * 15/30 + 0.4
    }

    @Test
    void lazaisProofRequestWithAnRsaWrappedKeyCompletesAJob() throws Exception {
        Wallet owner = net.fundedWallet();
        Registered file = registerAndRequest(owner, stepsExport(owner.address(), 30, 2).getBytes(StandardCharsets.UTF_8), "lazai-pw");
        Validator registered = net.chain.validator(net.validator.address());
        String wrapped = new KeyWrapping().wrapRsa("lazai-pw".getBytes(StandardCharsets.UTF_8),
                KeyWrapping.rsaPublicKeyFromDer(registered.rsaPublicKey()), KeyWrapping.Scheme.RSA_PKCS1);
        NodeApi.Response response = post("/proof", "{\"job_id\": " + file.jobId() + ", \"file_id\": " + file.fileId()
                + ", \"file_url\": \"" + net.chain.file(file.fileId()).url() + "\", \"encryption_key\": \"" + wrapped + "\"}");
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        assertThat(response.body().has("signed_nonce")).as("no nonce, nothing to sign").isFalse();
        assertThat(net.awaitEnd(file.jobId()).status()).isEqualTo(ValidationJob.Status.COMPLETED);
    }

    @Test
    void aWrongKeyFromACallerIsDroppedAndTheJobStillCompletesWithTheOwnersKey() {
        // callers are not authenticated: a key from one is a hint, and a bad one must not fail the job
        Wallet owner = net.fundedWallet();
        Registered file = registerAndRequest(owner, stepsExport(owner.address(), 30, 3).getBytes(StandardCharsets.UTF_8), "right");
        NodeApi.Response response = post("/RunProof", "{\"job_id\": " + file.jobId() + ", \"file_id\": " + file.fileId()
                + ", \"encryption_key\": \"wrong\"}");
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        awaitNodeView(file.jobId(), view -> view.path("state").asText().equals("WAITING_FOR_KEY")
                && !view.path("caller_key_pending").asBoolean(true));
        assertThat(net.chain.job(file.jobId()).status()).isEqualTo(ValidationJob.Status.SUBMITTED);
        shareKey(owner, file.fileId(), "right");
        ValidationJob done = net.awaitEnd(file.jobId());
        assertThat(done.status()).as(done.failureReason()).isEqualTo(ValidationJob.Status.COMPLETED);
    }

    @Test
    void onlyTheOwnersSignedRunProofSetsEnvVarsSecretsAndNonceAndTheProgramSeesTheOwners() {
        long dlpId = dataDaoWithProgram(ECHOING_PROGRAM);
        Wallet owner = net.fundedWallet();
        Wallet stranger = net.fundedWallet();
        Registered file = registerAndRequest(owner, "anything".getBytes(StandardCharsets.UTF_8), "pw", dlpId);
        String jobAndFile = "{\"job_id\": " + file.jobId() + ", \"file_id\": " + file.fileId();

        // the owner's first request: env vars and a secret, no key yet (the job waits for it)
        ProofRequest first = new ProofRequest(file.jobId(), file.fileId(), 10L, null, null, null, Map.of("MODE", "owner"),
                Map.of("API_KEY", wrapSecret("s3cret")));
        assertThat(post("/RunProof", signed(owner, first)).status()).isEqualTo(200);

        // a stranger can neither set nor overwrite them, signed or not, nor replay the owner's request
        assertError(post("/RunProof", jobAndFile + ", \"env_vars\": {\"MODE\": \"attacker\"}}"), 403,
                "env_vars of job " + file.jobId() + " are taken only from a request signed by the file's owner " + owner.address());
        assertError(post("/RunProof", jobAndFile + ", \"nonce\": 99}"), 403, "nonce of job " + file.jobId());
        assertError(post("/RunProof", jobAndFile + ", \"secrets\": {\"API_KEY\": \"" + wrapSecret("stolen") + "\"}}"), 403,
                "secrets of job " + file.jobId());
        ProofRequest strangers = new ProofRequest(file.jobId(), file.fileId(), 50L, null, null, null, Map.of("MODE", "attacker"),
                Map.of());
        assertError(post("/RunProof", signed(stranger, strangers)), 403,
                "the signature is by " + stranger.address() + ", not by the file's owner " + owner.address());
        assertError(post("/RunProof", jobAndFile + ", \"encryption_key\": \"guess\"}"), 403,
                "holds a request signed by the file's owner " + owner.address() + " (nonce 10); an unsigned request cannot replace it");
        assertError(post("/RunProof", signed(owner, first)), 403, "only one with a higher nonce replaces it");
        // LazAI's shape: its encryption_key is the wrapped one
        String strangersProof = signed(stranger, new ProofRequest(file.jobId(), file.fileId(), 51L, null, null, "0a0b", Map.of(),
                Map.of())).replace("\"encrypted_encryption_key\"", "\"encryption_key\"");
        assertError(post("/proof", strangersProof), 403, "not by the file's owner");
        // a secret that does not open with the validator's key is the caller's error, not the job's
        assertError(post("/RunProof", signed(owner, new ProofRequest(file.jobId(), file.fileId(), 11L, null, null, null, Map.of(),
                Map.of("API_KEY", "00ff")))), 400, "secret API_KEY does not open with this validator's key");

        JsonNode view = http("GET", "/jobs/" + file.jobId(), new byte[0]).body();
        assertThat(view.path("state").asText()).isEqualTo("WAITING_FOR_KEY");
        assertThat(view.path("signed_by").asText()).isEqualTo(owner.address().value());
        assertThat(view.path("nonce").asLong()).isEqualTo(10);
        assertThat(view.path("variables").toString()).isEqualTo("[\"API_KEY\",\"MODE\"]");

        // the owner's later request wins, with the key this time
        ProofRequest second = new ProofRequest(file.jobId(), file.fileId(), 12L, Wallet.DEFAULT_SEED, "pw", null,
                Map.of("MODE", "final"), Map.of("API_KEY", wrapSecret("s3cret")));
        NodeApi.Response accepted = post("/RunProof", signed(owner, second));
        assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(200);
        ValidationJob done = net.awaitEnd(file.jobId());
        assertThat(done.status()).as(done.failureReason()).isEqualTo(ValidationJob.Status.COMPLETED);
        FileProof proof = net.chain.proofsOf(file.fileId()).get(0);
        assertThat(proof.data().metadata()).isEqualTo("{\"mode\":\"final\",\"secret\":\"right\"}");
        Attestation attestation = AttestationCheck.fetch(proof.data().proofUrl());
        assertThat(attestation.field("job", "nonce").asLong()).isEqualTo(12);
    }

    @Test
    void theSdkSendsItsEnvVarsAndSecretsSignedBeforeSharingTheKey() throws Exception {
        long dlpId = dataDaoWithProgram(ECHOING_PROGRAM);
        Wallet owner = net.fundedWallet();
        Path file = Files.writeString(dir.resolve("with-variables.txt"), "data " + owner.address());
        try (Contributor contributor = Contributor.connect(net.deployment, owner, dir.resolve("tmp"))) {
            Contribution contribution = contributor.contribute(file, dlpId, Wallet.DEFAULT_SEED,
                    new ProgramVariables(Map.of("MODE", "sdk"), Map.of("API_KEY", "s3cret")), Progress.SILENT);
            assertThat(contribution.requestNonce()).isPresent();
            ValidationJob done = net.awaitEnd(contribution.jobId());
            assertThat(done.status()).as(done.failureReason()).isEqualTo(ValidationJob.Status.COMPLETED);
            FileProof proof = net.chain.proofsOf(contribution.fileId()).get(0);
            assertThat(proof.data().metadata()).isEqualTo("{\"mode\":\"sdk\",\"secret\":\"right\"}");
            assertThat(AttestationCheck.fetch(proof.data().proofUrl()).field("job", "nonce").asLong())
                    .isEqualTo(contribution.requestNonce().getAsLong());
        }
    }

    @Test
    void aZipArchiveIsExtractedForTheProgramAndOneThatEscapesItsFolderIsRefused() throws Exception {
        long dlpId = dataDaoWithProgram("#!/bin/sh\n"
                + "test -f \"$INPUT_DIR/a.txt\" && test -f \"$INPUT_DIR/b/c.txt\" || exit 6\n"
                + "echo '{\"valid\": true, \"score\": 1}' > \"$OUTPUT_DIR/results.json\"\n");
        long extracted = contributeRaw(dlpId, zip("a.txt", "b/c.txt"));
        assertThat(net.awaitEnd(extracted).status()).isEqualTo(ValidationJob.Status.COMPLETED);
        ValidationJob escaping = net.awaitEnd(contributeRaw(dlpId, zip("a.txt", "../evil.txt")));
        assertThat(escaping.status()).isEqualTo(ValidationJob.Status.FAILED);
        assertThat(escaping.failureReason()).isEqualTo("the decrypted file: the archive entry ../evil.txt points outside its folder");
    }

    @Test
    void theNodeTakesOnlyTheJobsAssignedToItself() {
        Validator other = NodeKeys.loadOrCreate(dir.resolve("other-validator")).descriptor("http://127.0.0.1:9");
        net.chain.registerValidator(other);
        try {
            Wallet owner = net.fundedWallet();
            Registered first = registerAndRequest(owner, "first".getBytes(StandardCharsets.UTF_8), "pw");
            Registered second = registerAndRequest(owner, "second".getBytes(StandardCharsets.UTF_8), "pw");
            Registered ours = net.chain.job(first.jobId()).validator().equals(net.validator.address()) ? first : second;
            Registered theirs = ours == first ? second : first;
            assertThat(net.chain.job(theirs.jobId()).validator()).isEqualTo(other.address());

            shareKey(owner, ours.fileId(), "pw");
            // the node has scanned past both requests
            assertThat(net.awaitEnd(ours.jobId()).status()).isEqualTo(ValidationJob.Status.COMPLETED);
            assertThat(net.validator.node().job(theirs.jobId())).isEmpty();
            assertError(http("GET", "/jobs/" + theirs.jobId(), new byte[0]), 404, "it is assigned to " + other.address());
        } finally {
            net.chain.removeValidator(other.address());
        }
    }

    @Test
    void aProvedFileIsPaidAfterItsDataDaoChangesProgramAndItsValidatorIsRemovedThenAddedBack() {
        long dlpId = dataDaoWithProgram("#!/bin/sh\necho '{\"valid\": true, \"score\": 0.5}' > \"$OUTPUT_DIR/results.json\"\n");
        ValidationJob done = net.awaitEnd(contributeRaw(dlpId));
        assertThat(done.status()).as(done.failureReason()).isEqualTo(ValidationJob.Status.COMPLETED);

        // the owner pins another program and a maintainer removes the validator, both before the claim
        byte[] otherProgram = new byte[32];
        otherProgram[31] = 7;
        net.chain.updateProgram(dlpId, otherProgram, "http://127.0.0.1:9/other-program");
        Validator self = net.chain.validator(net.validator.address());
        net.chain.removeValidator(self.address());
        try {
            assertThat(net.chain.validator(self.address()).active()).isFalse();
            assertThat(net.chain.requestReward(dlpId, done.fileId(), 1).amount()).isEqualTo(BigInteger.TEN.pow(18).divide(BigInteger.TWO));
        } finally {
            net.chain.readdValidator(self);
        }
        assertThat(net.chain.validator(self.address()).active()).isTrue();
        assertThatThrownBy(() -> net.chain.readdValidator(self)).isInstanceOf(ChainException.class)
                .hasMessageContaining("is active in the TeePool");
    }

    /**
     * The DataDAO pins a program that fails everything while a job is open: the job is proved with
     * the program it was paid under, found at the url the DataDAO published it at, never the new one.
     */
    @Test
    void aJobKeepsTheProgramPinnedWhenItWasRequested() {
        long dlpId = dataDaoWithProgram("#!/bin/sh\necho '{\"valid\": true, \"score\": 1}' > \"$OUTPUT_DIR/results.json\"\n");
        String pinned = net.chain.dataDao(dlpId).programDigest();
        Wallet owner = net.fundedWallet();
        Registered file = registerAndRequest(owner, "pinned".getBytes(StandardCharsets.UTF_8), "pw", dlpId);
        byte[] program = "#!/bin/sh\nexit 9\n".getBytes(StandardCharsets.UTF_8);
        BlobId replaced = net.storage.put(new ByteArrayInputStream(program));
        net.chain.updateProgram(dlpId, replaced.bytes(), net.storage.urlOf(replaced));
        assertThat(net.chain.job(file.jobId()).programDigest()).isEqualTo(pinned);

        shareKey(owner, file.fileId(), "pw");
        ValidationJob done = net.awaitEnd(file.jobId());
        assertThat(done.status()).as(done.failureReason()).isEqualTo(ValidationJob.Status.COMPLETED);
        FileProof proof = net.chain.proofsOf(file.fileId()).get(0);
        assertThat(proof.data().programDigest()).isEqualTo(pinned);
        assertThat(proof.score()).isEqualTo(BigInteger.TEN.pow(18));

        // a job requested now pins the new program, which fails it
        Registered later = registerAndRequest(owner, "later".getBytes(StandardCharsets.UTF_8), "pw", dlpId);
        shareKey(owner, later.fileId(), "pw");
        ValidationJob failed = net.awaitEnd(later.jobId());
        assertThat(failed.status()).isEqualTo(ValidationJob.Status.FAILED);
        assertThat(failed.programDigest()).isNotEqualTo(pinned);
    }

    @Test
    void aValidatorRotatesItsOwnKeysAndNobodyElseCan() {
        Wallet other = net.fundedWallet();
        net.chain.registerValidator(new Validator(other.address(), "http://127.0.0.1:9", new byte[0], Wallet.create().publicKey(),
                "software", "0x" + "00".repeat(32), true));
        try {
            byte[] rotated = Wallet.create().publicKey();
            try (ChainConnection asOther = ChainConnection.open(net.anvil.rpcUrl(), other)) {
                new DataCoopChain(asOther, net.deployment).updateValidatorKeys(new byte[0], rotated);
            }
            assertThat(net.chain.validator(other.address()).secp256k1PublicKey()).isEqualTo(rotated);

            Wallet stranger = net.fundedWallet();
            try (ChainConnection asStranger = ChainConnection.open(net.anvil.rpcUrl(), stranger)) {
                assertThatThrownBy(() -> new DataCoopChain(asStranger, net.deployment).updateValidatorKeys(new byte[0],
                        Wallet.create().publicKey())).isInstanceOf(ChainException.class);
            }
        } finally {
            net.chain.removeValidator(other.address());
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
        Wallet owner = net.fundedWallet();
        Registered file = registerAndRequest(owner, "{}".getBytes(StandardCharsets.UTF_8), "pw");
        assertError(post("/RunProof", "{\"job_id\": " + file.jobId() + ", \"file_id\": " + (file.fileId() + 1000) + "}"), 400,
                "is not the file of job");
        shareKey(owner, file.fileId(), "pw");
        net.awaitEnd(file.jobId());
        assertError(post("/RunProof", "{\"job_id\": " + file.jobId() + ", \"file_id\": " + file.fileId() + "}"), 409,
                "already ended");
    }

    @Test
    void healthNamesTheValidatorAndItsChain() {
        NodeApi.Response health = http("GET", "/health", new byte[0]);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().path("validator").asText()).isEqualTo(net.validator.address().value());
        assertThat(health.body().path("chain_id").asLong()).isEqualTo(31337);
    }

    // ---- helpers

    /** Writes $MODE, and whether $API_KEY is the right secret (never the secret itself), into its metadata. */
    private static final String ECHOING_PROGRAM = "#!/bin/sh\n"
            + "secret=wrong; [ \"$API_KEY\" = \"s3cret\" ] && secret=right\n"
            + "printf '{\"valid\": true, \"score\": 1, \"metadata\": {\"mode\": \"%s\", \"secret\": \"%s\"}}' \"$MODE\" \"$secret\""
            + " > \"$OUTPUT_DIR/results.json\"\n";

    /** Vana's body for {@code request}, signed by {@code signer} for this net.deployment. */
    private static String signed(Wallet signer, ProofRequest request) {
        return SignedRunProof.body(request, signer, net.deployment.chainId(), net.deployment.address(Deployment.TEE_POOL));
    }

    /** {@code value} wrapped to the validator's RSA key, as a secret is sent. */
    private static String wrapSecret(String value) {
        return new KeyWrapping().wrapRsa(value.getBytes(StandardCharsets.UTF_8),
                KeyWrapping.rsaPublicKeyFromDer(net.chain.validator(net.validator.address()).rsaPublicKey()),
                KeyWrapping.Scheme.RSA_OAEP_SHA256);
    }

    private record Registered(long fileId, long jobId) {}

    /** Encrypts {@code content} with {@code password}, stores it, registers it and pays for a job, sharing no key. */
    private static Registered registerAndRequest(Wallet owner, byte[] content, String password) {
        return registerAndRequest(owner, content, password, net.deployment.sampleDlpId());
    }

    private static Registered registerAndRequest(Wallet owner, byte[] content, String password, long dlpId) {
        return registerEncryptedAndRequest(owner, encrypt(content, password), dlpId);
    }

    private static Registered registerEncryptedAndRequest(Wallet owner, byte[] encrypted, long dlpId) {
        BlobId stored = net.storage.put(new ByteArrayInputStream(encrypted));
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), owner)) {
            DataCoopChain ownerChain = new DataCoopChain(connection, net.deployment);
            long fileId = ownerChain.addFile(net.storage.urlOf(stored), stored.bytes()).fileId();
            long jobId = ownerChain.requestContributionProof(fileId, dlpId, net.chain.teeFee()).jobId();
            return new Registered(fileId, jobId);
        }
    }

    private static void shareKey(Wallet owner, long fileId, String password) {
        byte[] wrapped = HexFormat.of().parseHex(new KeyWrapping().wrapEcies(password.getBytes(StandardCharsets.UTF_8),
                net.chain.validator(net.validator.address()).secp256k1PublicKey()));
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), owner)) {
            new DataCoopChain(connection, net.deployment).grantPermission(fileId, net.validator.address(), wrapped);
        }
    }

    /** A file for DataDAO {@code dlpId} with its key shared on-chain; returns the job id. */
    private static long contributeRaw(long dlpId) {
        return contributeRaw(dlpId, ("data for " + dlpId).getBytes(StandardCharsets.UTF_8));
    }

    private static long contributeRaw(long dlpId, byte[] content) {
        Wallet owner = net.fundedWallet();
        Registered file = registerAndRequest(owner, content, "pw", dlpId);
        shareKey(owner, file.fileId(), "pw");
        return file.jobId();
    }

    private static byte[] zip(java.util.zip.ZipEntry entry, byte[] content) throws java.io.IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(entry);
            zip.write(content);
            zip.closeEntry();
        }
        return bytes.toByteArray();
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
        Instant deadline = Instant.now().plus(Devnet.WAIT);
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
        BlobId stored = net.storage.put(new ByteArrayInputStream(program));
        return net.chain.createDataDao("External " + stored.sha256().substring(0, 6), "External Token", "EXT",
                BigInteger.TEN.pow(24), BigInteger.TEN.pow(18), stored.bytes(), net.storage.urlOf(stored)).id();
    }

    private static byte[] encrypt(byte[] content, String password) {
        var out = new java.io.ByteArrayOutputStream();
        new PasswordEncryption().encrypt(new ByteArrayInputStream(content), out, password.toCharArray(), "data");
        return out.toByteArray();
    }

    /** OpenPGP password encryption with the content compressed first, as gpg does by default. */
    private static byte[] encryptCompressed(byte[] content, String password) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        PGPEncryptedDataGenerator encryptor = new PGPEncryptedDataGenerator(
                new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true));
        encryptor.addMethod(new JcePBEKeyEncryptionMethodGenerator(password.toCharArray()));
        try (OutputStream encrypted = encryptor.open(out, new byte[1 << 16]);
                OutputStream compressed = new PGPCompressedDataGenerator(CompressionAlgorithmTags.ZLIB).open(encrypted);
                OutputStream literal = new PGPLiteralDataGenerator().open(compressed, PGPLiteralData.BINARY, "data",
                        content.length, new java.util.Date())) {
            literal.write(content);
        }
        return out.toByteArray();
    }

    private static NodeApi.Response post(String path, String body) {
        return http("POST", path, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A request to the validator's real HTTP server, as any client sends it. */
    private static NodeApi.Response http(String method, String path, byte[] body) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(net.validator.url() + path))
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
