package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Map;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.VanaMoksha;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.ValidationJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vana's SDK from npm, unchanged and through its high-level API (acceptance/src/test/js/vana-moksha.mjs),
 * on the Moksha stand-in: the devnet with Moksha's chain id and DataCoop's contracts moved to the
 * addresses the SDK's table names, validated by DataCoop's node.
 */
class VanaMokshaTest {
    @TempDir
    static Path dir;

    private static Devnet net;

    @BeforeAll
    static void startNetwork() {
        net = Devnet.startVanaMoksha(dir);
    }

    @AfterAll
    static void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void theContractsAreWhereVanasSdkLooksForThem() {
        assertThat(net.deployment.chainId()).isEqualTo(VanaMoksha.CHAIN_ID);
        // Moving the contracts sends no transaction: scans still start at the first one, on a fresh devnet block 1.
        assertThat(net.deployment.deploymentBlock()).isEqualTo(1);
        VanaMoksha.ADDRESSES.forEach((name, address) -> {
            assertThat(net.deployment.address(name)).isEqualTo(Address.of(address));
            assertThat(net.admin.hasCode(Address.of(address))).as(name).isTrue();
        });
        assertThat(net.chain.dataDao(net.deployment.sampleDlpId()).name()).isNotEmpty();
    }

    @Test
    void relocationIsRefusedOffMokshasChainIdAndWithoutTheContractsToMove() {
        assertThatThrownBy(() -> VanaMoksha.relocate(net.anvil.rpcUrl(), 31337, net.deployment.contracts()))
                .isInstanceOf(ChainException.class)
                .hasMessageContaining("needs a devnet with chain id 14800, not 31337");
        assertThatThrownBy(() -> VanaMoksha.relocate(net.anvil.rpcUrl(), VanaMoksha.CHAIN_ID, Map.of()))
                .isInstanceOf(ChainException.class)
                .hasMessageContaining("the deployment has no");
    }

    @Test
    void vanasSdkUploadsPaysIsProvedAndIsRewarded() throws Exception {
        Wallet contributor = net.fundedWallet();
        JsonNode seen = VanaSdkTest.runScript(net, dir, "vana-moksha.mjs", contributor,
                ValidatorNodeTest.stepsExport(contributor.address(), 30, 0));

        ValidationJob job = net.chain.job(seen.get("jobId").asLong());
        assertThat(job.status()).isEqualTo(ValidationJob.Status.COMPLETED);
        assertThat(job.dlpId()).isEqualTo(net.deployment.sampleDlpId());
        long fileId = seen.get("fileId").asLong();
        assertThat(net.chain.file(fileId).owner()).isEqualTo(contributor.address());
        // Event scans from the deployment block find what happened at the addresses the contracts were moved to.
        assertThat(net.chain.filesOf(contributor.address())).extracting(ContributedFile::id).containsExactly(fileId);
        assertThat(net.chain.provedFiles(net.deployment.sampleDlpId())).contains(fileId);
        assertThat(new BigInteger(seen.get("reward").asText())).isEqualTo(BigInteger.TEN.pow(20));
        assertThat(net.deployment.address(Deployment.TEE_POOL)).isEqualTo(Address.of(VanaMoksha.ADDRESSES.get(Deployment.TEE_POOL)));
    }
}
