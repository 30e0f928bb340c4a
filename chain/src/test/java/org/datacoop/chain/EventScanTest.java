package org.datacoop.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.datacoop.chain.contracts.DataRegistry;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.chain.devnet.Toolchain;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;

/** Event scans on a real anvil: paged in bounded block ranges, starting at the deployment. */
class EventScanTest {
    private static final Consumer<EthFilter> FILE_ADDED =
            filter -> filter.addSingleTopic(EventEncoder.encode(DataRegistry.FILEADDED_EVENT));

    private Anvil anvil;
    private ChainConnection chain;

    @BeforeEach
    void start() {
        anvil = Anvil.start(Toolchain.discover(), 0, Optional.empty(), Optional.empty());
        chain = ChainConnection.open(anvil.rpcUrl(), Anvil.DEV_ACCOUNT_KEY);
    }

    @AfterEach
    void stop() {
        chain.close();
        anvil.close();
    }

    @Test
    void pagesAScanInRangesOfAtMostTheGivenBlocksAndMissesNoBlock() {
        String registry = registryWithFiles(6); // deployed in block 1, a file in each of blocks 2..7

        assertThat(blocks(Calls.logs(chain, registry, 1, 7, 2, FILE_ADDED, "reading files")))
                .containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
        // Both ends included, also where they cut a range, and where the last range is one block.
        assertThat(blocks(Calls.logs(chain, registry, 3, 6, 2, FILE_ADDED, "reading files"))).containsExactly(3L, 4L, 5L, 6L);
        assertThat(blocks(Calls.logs(chain, registry, 2, 6, 2, FILE_ADDED, "reading files")))
                .containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(blocks(Calls.logs(chain, registry, 7, 7, 2, FILE_ADDED, "reading files"))).containsExactly(7L);
        assertThat(Calls.logs(chain, registry, 8, 7, 2, FILE_ADDED, "reading files")).isEmpty();
    }

    @Test
    void aScanOfANodeThatDoesNotAnswerNamesWhatAndWhichBlocks() {
        String registry = registryWithFiles(1);
        anvil.close();
        assertThatThrownBy(() -> Calls.logs(chain, registry, 1, 7, 2, FILE_ADDED, "reading files"))
                .isInstanceOf(ChainException.class)
                .hasMessageStartingWith("reading files in blocks 1..2 failed");
    }

    @Test
    void theDeploymentStartsAtItsFirstTransactionAndItsScansFindWhatFollows() {
        Address someone = Address.of("0x00000000000000000000000000000000000000aa");
        for (int i = 0; i < 3; i++) {
            chain.sendEther(someone, BigDecimal.ONE); // blocks 1..3 hold nothing of DataCoop's
        }
        Deployment deployment = new Deployer(chain, step -> {}).deploy(Deployer.Settings.DEFAULT, true);
        assertThat(deployment.deploymentBlock()).isEqualTo(4);

        DataCoopChain coop = new DataCoopChain(chain, deployment);
        long fileId = coop.addFile("https://example.org/a", Sha256.of(new byte[] {1})).fileId();
        assertThat(coop.filesOf(chain.account())).extracting(ContributedFile::id).containsExactly(fileId);
        assertThat(coop.revokedFrom(fileId)).isEmpty();
        assertThatThrownBy(() -> coop.revokedFrom(fileId + 1))
                .isInstanceOf(ChainException.class)
                .hasMessageStartingWith("there is no file " + (fileId + 1));
    }

    private String registryWithFiles(int files) {
        DataRegistry registry = Calls.send("deploying DataRegistry",
                DataRegistry.deploy(chain.web3j(), chain.transactions(), chain.gas(), chain.account().value()));
        for (int i = 1; i <= files; i++) {
            Calls.send("adding file " + i, registry.addFile("https://example.org/" + i, Sha256.of(new byte[] {(byte) i})));
        }
        return registry.getContractAddress();
    }

    private static List<Long> blocks(List<Log> logs) {
        return logs.stream().map(log -> log.getBlockNumber().longValueExact()).toList();
    }
}
