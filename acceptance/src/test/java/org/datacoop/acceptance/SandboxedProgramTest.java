package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.datacoop.node.attestation.Attestation;
import org.datacoop.chain.Wallet;
import org.datacoop.node.attestation.AttestationCheck;
import org.datacoop.node.program.ExternalProgram;
import org.datacoop.protocol.FileProof;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.sandbox.Bubblewrap;
import org.datacoop.sdk.contribute.Contribution;
import org.datacoop.sdk.contribute.Contributor;
import org.datacoop.sdk.contribute.Outcome;
import org.datacoop.sdk.contribute.ProgramVariables;
import org.datacoop.sdk.contribute.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile DataDAO's program, end to end on a devnet: whatever it tries, the job ends with a
 * reason, nothing of the validator's reaches its output, the chain or the attestation, and the
 * validator goes on serving.
 */
class SandboxedProgramTest {
    @TempDir
    static Path dir;

    private static Devnet net;

    @BeforeAll
    static void startNetwork() {
        Bubblewrap.Availability sandbox = Bubblewrap.probe(dir.resolve("probe"));
        Assumptions.assumeTrue(sandbox.sandbox().isPresent(), sandbox.unavailableReason());
        net = Devnet.start(dir, settings -> settings.withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10)));
    }

    @AfterAll
    static void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void aProgramThatReachesForTheValidatorsKeysFindsNothingAndNothingLeaks() throws IOException {
        String signingKey = Files.readString(net.nodeDir.resolve("signing.key")).strip();
        long dlpId = net.dataDaoWithScript("""
                #!/bin/sh
                stolen=$(cat %1$s/signing.key %1$s/rsa.key %1$s/*.key 2>/dev/null | tr -d '\\n"' | head -c 200)
                seen=$(ls / | tr '\\n' ' ')
                echo "{\\"valid\\": true, \\"score\\": 1, \\"metadata\\": {\\"stolen\\": \\"$stolen\\", \\"root\\": \\"$seen\\"}}" \
                  > /output/results.json
                """.formatted(net.nodeDir));

        ValidationJob done = net.awaitEnd(net.contribute(dlpId, "my data".getBytes(StandardCharsets.UTF_8)));

        assertThat(done.status()).as(done.failureReason()).isEqualTo(ValidationJob.Status.COMPLETED);
        FileProof proof = net.chain.proofsOf(done.fileId()).get(0);
        assertThat(proof.data().metadata()).contains("\"stolen\":\"\"").doesNotContain(signingKey.replaceFirst("^0x", ""));
        Attestation attestation = AttestationCheck.fetch(proof.data().proofUrl());
        assertThat(attestation.toJson()).doesNotContain(signingKey.replaceFirst("^0x", ""));
        assertThat(attestation.field("proof", "sandbox").path("type").asText()).isEqualTo("bubblewrap");
        assertThat(attestation.field("proof", "sandbox").path("command").toString())
                .contains("--unshare-all").contains("--die-with-parent");
    }

    @Test
    void aForkBombEndsItsJobWithAReasonAndTheValidatorGoesOn() {
        long bomb = net.dataDaoWithScript("#!/bin/sh\nwhile true; do sleep 100 & done\n");
        ValidationJob failed = net.awaitEnd(net.contribute(bomb, "a".getBytes(StandardCharsets.UTF_8)));

        assertThat(failed.status()).isEqualTo(ValidationJob.Status.FAILED);
        assertThat(failed.failureReason()).contains("the program");
        assertThat(validJobCompletes()).isTrue();
    }

    @Test
    void aProgramFloodingItsOutputFailsItsJobNamingTheLimit() {
        long flood = net.dataDaoWithScript("#!/bin/sh\ni=0\nwhile true; do head -c 1048576 /dev/zero > /output/f$i; i=$((i+1)); done\n");
        ValidationJob failed = net.awaitEnd(net.contribute(flood, "b".getBytes(StandardCharsets.UTF_8)));

        assertThat(failed.status()).isEqualTo(ValidationJob.Status.FAILED);
        assertThat(failed.failureReason()).contains("wrote more to /output than its limit");
        assertThat(validJobCompletes()).isTrue();
    }

    @Test
    void aProgramCannotReachTheNetwork() {
        String rpc = net.anvil.rpcUrl().replace("http://", "");
        String host = rpc.substring(0, rpc.indexOf(':'));
        String port = rpc.substring(rpc.indexOf(':') + 1).replaceAll("/.*", "");
        long dlpId = net.dataDaoWithScript("""
                #!/bin/sh
                if python3 -c 'import socket; socket.create_connection(("%s", %s), 2)' 2>/dev/null; then r=connected; else r=refused; fi
                echo "{\\"valid\\": true, \\"score\\": 1, \\"metadata\\": {\\"network\\": \\"$r\\"}}" > /output/results.json
                """.formatted(host, port));

        ValidationJob done = net.awaitEnd(net.contribute(dlpId, "c".getBytes(StandardCharsets.UTF_8)));

        assertThat(done.status()).as(done.failureReason()).isEqualTo(ValidationJob.Status.COMPLETED);
        assertThat(net.chain.proofsOf(done.fileId()).get(0).data().metadata()).contains("refused");
    }

    @Test
    void anUnmodifiedVanaStylePythonPackageRunsAndItsScoreIsOnChain() throws Exception {
        long dlpId = net.dataDaoWithProgram(zip(vanaProgram()));

        assertVanaProgramScoresAndPays(dlpId, "package");
    }

    @Test
    void theSameProgramAsAContainerImageRunsAndItsScoreIsOnChain() throws Exception {
        Assumptions.assumeTrue(TestImages.available(), "python3.11, umoci or skopeo missing");
        Path image = TestImages.pythonImage(Files.createDirectories(dir.resolve("image")), vanaProgram(),
                List.of("python3", "-m", "my_proof"), Map.of(ExternalProgram.ENV_LABEL, "USER_EMAIL"));
        long dlpId = net.dataDaoWithProgram(Files.readAllBytes(image));

        FileProof proof = assertVanaProgramScoresAndPays(dlpId, "image");
        Attestation attestation = AttestationCheck.fetch(proof.data().proofUrl());
        assertThat(attestation.field("proof", "sandbox").path("command").toString()).contains("--ro-bind").contains("rootfs");
    }

    /**
     * A contributor sends a zip of their account and activity with USER_EMAIL as the program's env
     * var, signed; the program (which needs it) scores 0.6 * 5/10 + 0.4 * 1 = 0.7 and 70 of 100 tokens are paid.
     */
    private static FileProof assertVanaProgramScoresAndPays(long dlpId, String name) throws IOException {
        Wallet contributor = net.fundedWallet();
        Path export = Files.createDirectories(dir.resolve("export-" + name));
        Files.writeString(export.resolve("account.json"), "{\"email\": \"alice@example.com\"}");
        Files.writeString(export.resolve("activity.json"), "[{\"score\": 3}, {\"score\": 2}]");
        Path file = Files.write(dir.resolve("export-" + name + ".zip"), zip(export));
        try (Contributor client = Contributor.connect(net.deployment, contributor, dir.resolve("tmp-" + name))) {
            Contribution contribution = client.contribute(file, dlpId, Wallet.DEFAULT_SEED,
                    new ProgramVariables(Map.of("USER_EMAIL", "alice@example.com"), Map.of()), Progress.SILENT);
            Outcome outcome = client.awaitReward(contribution.jobId(), Devnet.WAIT, Progress.SILENT);

            assertThat(outcome.job().status()).as(outcome.job().failureReason()).isEqualTo(ValidationJob.Status.COMPLETED);
            FileProof proof = outcome.proof().orElseThrow();
            assertThat(proof.score()).isEqualTo(new BigInteger("700000000000000000"));
            assertThat(outcome.reward()).isEqualTo(new BigInteger("70000000000000000000"));
            return proof;
        }
    }

    private static Path vanaProgram() throws Exception {
        return Path.of(SandboxedProgramTest.class.getResource("/vana-proof/program.json").toURI()).getParent();
    }

    /** A fresh DataDAO with a well-behaved program completes a job: the validator still serves. */
    private static boolean validJobCompletes() {
        long dlpId = net.dataDaoWithScript("#!/bin/sh\necho '{\"valid\": true, \"score\": 0.5}' > /output/results.json\n");
        ValidationJob done = net.awaitEnd(net.contribute(dlpId, HexFormat.of().formatHex(new byte[8]).getBytes(StandardCharsets.UTF_8)));
        return done.status() == ValidationJob.Status.COMPLETED
                && net.chain.proofsOf(done.fileId()).get(0).score().equals(new BigInteger("500000000000000000"));
    }

    static byte[] zip(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); var files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(dir.relativize(file).toString()));
                Files.copy(file, zip);
            }
        }
        return bytes.toByteArray();
    }
}
