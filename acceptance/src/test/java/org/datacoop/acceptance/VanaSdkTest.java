package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.Wallet;
import org.datacoop.node.attestation.Attestation;
import org.datacoop.node.attestation.AttestationCheck;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.FileProof;
import org.datacoop.protocol.Sha256;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.storage.HttpBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vana's contribution flow driven by a Node.js script with the ABIs and the crypto that Vana's
 * published SDK ({@code @opendatalabs/vana-sdk}, pinned in package.json) ships, and viem, against an
 * ordinary devnet: the script registers, pays, finds its job, reads the proof DataCoop's validator
 * recorded and asks the reward (acceptance/src/test/js/vana-contribution.mjs says how). This side
 * checks what the script cannot see: DataCoop's records of the same file and job.
 */
class VanaSdkTest {
    @TempDir
    static Path dir;

    private static Devnet net;

    @BeforeAll
    static void startNetwork() {
        net = Devnet.start(dir, settings -> settings);
    }

    @AfterAll
    static void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void vanasSdkRegistersPaysIsProvedByDataCoopsValidatorAndIsRewarded() throws Exception {
        Wallet contributor = net.fundedWallet();
        JsonNode seen = runScript(net, dir, "vana-contribution.mjs", contributor,
                ValidatorNodeTest.stepsExport(contributor.address(), 30, 0));

        long fileId = seen.get("fileId").asLong();
        long jobId = seen.get("jobId").asLong();
        ValidationJob job = net.chain.job(jobId);
        assertThat(job.status()).isEqualTo(ValidationJob.Status.COMPLETED);
        assertThat(job.dlpId()).as("bound to the DataDAO whose pool holds the key").isEqualTo(net.deployment.sampleDlpId());
        assertThat(job.validator()).isEqualTo(net.validator.address());

        ContributedFile file = net.chain.file(fileId);
        assertThat(file.owner()).isEqualTo(contributor.address());
        assertThat(file.hasChecksum()).as("Vana's registration carries no checksum").isFalse();

        FileProof proof = net.chain.proofsOf(fileId).get(0);
        assertThat(proof.index()).isEqualTo(1);
        assertThat(proof.score()).isEqualTo(BigInteger.TEN.pow(18)).hasToString(seen.get("score").asText());
        Attestation attestation = AttestationCheck.fetch(proof.data().proofUrl());
        assertThat(AttestationCheck.mismatches(attestation, file, proof)).isEmpty();
        byte[] stored;
        try (var in = HttpBlobStore.fetch(file.url())) {
            stored = in.readAllBytes();
        }
        assertThat(attestation.field("subject", "encrypted_file_checksum").asText())
                .as("the validator attests the hash of what it downloaded")
                .isEqualTo(HexFormat.of().formatHex(Sha256.of(stored)));

        assertThat(new BigInteger(seen.get("reward").asText())).isEqualTo(BigInteger.TEN.pow(20));
        assertThat(net.chain.rewardPaid(net.deployment.sampleDlpId(), fileId)).isEqualTo(BigInteger.TEN.pow(20));
    }

    /**
     * Runs {@code script} (in acceptance/src/test/js) with node as {@code wallet} against {@code net},
     * its output kept in {@code dir}; fails with everything it printed unless it exits 0, else
     * returns its last line, the JSON of what it saw.
     */
    static JsonNode runScript(Devnet net, Path dir, String script, Wallet wallet, String content)
            throws IOException, InterruptedException {
        Deployment deployment = net.deployment;
        return PeerScript.run(dir, script, List.of("--import", "./resolve-vana-sdk.mjs"), Map.of(
                "RPC_URL", net.anvil.rpcUrl(),
                "CHAIN_ID", Long.toString(deployment.chainId()),
                "PRIVATE_KEY", wallet.privateKeyHex(),
                "DATA_REGISTRY", deployment.address(Deployment.DATA_REGISTRY).value(),
                "TEE_POOL", deployment.address(Deployment.TEE_POOL).value(),
                "DLP_POOL", net.chain.dataDao(deployment.sampleDlpId()).pool().value(),
                "DLP_ID", Long.toString(deployment.sampleDlpId()),
                "STORAGE_URL", net.gateway.baseUrl(),
                "VALIDATOR", net.validator.address().value(),
                "CONTENT", content));
    }
}
