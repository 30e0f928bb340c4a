package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.Wallet;
import org.datacoop.node.attestation.Attestation;
import org.datacoop.node.attestation.AttestationCheck;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.FileProof;
import org.datacoop.protocol.ValidationJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LazAI's contribution flow driven by LazAI's own TypeScript client ({@code alith} from npm, pinned
 * in package.json), unchanged, against the shared devnet: LazAI's DataRegistry is DataCoop's, its
 * VerifiedComputing DataCoop's TeePool (acceptance/src/test/js/lazai-contribution.mjs says how). This
 * side checks what the script cannot see: DataCoop's records of the same file, job and proof.
 */
class LazaiClientTest {
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
    void alithRegistersPaysIsProvedByDataCoopsValidatorAndIsRewarded() throws Exception {
        Wallet contributor = net.fundedWallet();
        Wallet copier = net.fundedWallet();
        Deployment deployment = net.deployment;
        JsonNode seen = PeerScript.run(dir, "lazai-contribution.mjs", List.of(), Map.of(
                "RPC_URL", net.anvil.rpcUrl(),
                "CHAIN_ID", Long.toString(deployment.chainId()),
                "PRIVATE_KEY", contributor.privateKeyHex(),
                "OTHER_PRIVATE_KEY", copier.privateKeyHex(),
                "DATA_REGISTRY", deployment.address(Deployment.DATA_REGISTRY).value(),
                "TEE_POOL", deployment.address(Deployment.TEE_POOL).value(),
                "TOKEN", deployment.address(Deployment.SAMPLE_TOKEN).value(),
                "STORAGE_URL", net.gateway.baseUrl(),
                "VALIDATOR", net.validator.address().value(),
                "CONTENT", ValidatorNodeTest.stepsExport(contributor.address(), 30, 0)));

        long fileId = seen.get("fileId").asLong();
        ContributedFile file = net.chain.file(fileId);
        assertThat(file.owner()).as("registered to the wallet").isEqualTo(contributor.address());
        assertThat(file.hasChecksum()).as("alith's hash is of the plaintext, no checksum").isFalse();
        assertThat(net.chain.file(seen.get("copyId").asLong()).owner()).as("the copy is the copier's own").isEqualTo(copier.address());

        ValidationJob job = net.chain.job(seen.get("jobId").asLong());
        assertThat(job.status()).isEqualTo(ValidationJob.Status.COMPLETED);
        assertThat(job.fileId()).isEqualTo(fileId);
        assertThat(job.dlpId()).as("no DataDAO holds the key: the deployment's default").isEqualTo(deployment.sampleDlpId());
        assertThat(job.validator()).isEqualTo(net.validator.address());

        FileProof proof = net.chain.proofsOf(fileId).get(0);
        assertThat(proof.index()).isEqualTo(1);
        assertThat(proof.validator()).isEqualTo(net.validator.address());
        assertThat(proof.score()).as("the sample program scores the export").isEqualTo(BigInteger.TEN.pow(18));
        Attestation attestation = AttestationCheck.fetch(proof.data().proofUrl());
        assertThat(AttestationCheck.mismatches(attestation, file, proof)).isEmpty();
        assertThat(attestation.field("subject", "encryption_seed").asText()).isEqualTo("Sign to retrieve your encryption key");

        BigInteger reward = new BigInteger(seen.get("reward").asText());
        assertThat(reward).isEqualTo(BigInteger.TEN.pow(20));
        assertThat(net.chain.rewardPaid(deployment.sampleDlpId(), fileId)).as("paid by the sample DataDAO").isEqualTo(reward);
    }
}
