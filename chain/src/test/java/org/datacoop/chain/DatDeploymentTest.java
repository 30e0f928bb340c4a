package org.datacoop.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.datacoop.chain.contracts.DataAnchoringToken;
import org.datacoop.chain.contracts.DataLiquidityPool;
import org.datacoop.chain.contracts.DataLiquidityPoolRegistry;
import org.datacoop.chain.contracts.QueryEngine;
import org.datacoop.chain.contracts.Settlement;
import org.datacoop.protocol.Address;
import org.junit.jupiter.api.Test;

/**
 * The Deployer's Data Anchoring Token on a real anvil: the DataDAOs' pools mint it, the query and
 * compute settlements pay its holders, and nobody can relink it. What a token is and how it moves
 * is tested end to end in the acceptance module ({@code DatTest}).
 */
class DatDeploymentTest extends DeployedDevnetTest {
    @Test
    void theTokenIsLinkedToTheDataDaosAndTheSettlements() throws Exception {
        Address token = deployment.address(Deployment.DATA_ANCHORING_TOKEN);
        assertThat(Address.of(dat().poolRegistry().send())).isEqualTo(deployment.address(Deployment.DLP_REGISTRY));
        assertThat(Address.of(dat().owner().send())).isEqualTo(chain.account());
        assertThat(Address.of(load(DataLiquidityPoolRegistry::load, Deployment.DLP_REGISTRY).dataAnchoringToken().send()))
                .isEqualTo(token);
        assertThat(Address.of(load(DataLiquidityPool::load, Deployment.SAMPLE_DLP).dataAnchoringToken().send()))
                .isEqualTo(token);
        assertThat(Address.of(load(QueryEngine::load, Deployment.QUERY_ENGINE).dataAnchoringToken().send()))
                .isEqualTo(token);
        assertThat(Address.of(load(Settlement::load, Deployment.SETTLEMENT).dataAnchoringToken().send()))
                .isEqualTo(token);
    }

    @Test
    void nobodyCanRelinkThePoolRegistry() {
        assertThatThrownBy(() -> Calls.send("linking the token again", dat().setPoolRegistry(chain.account().value())))
                .isInstanceOf(ChainException.class)
                .hasMessageContaining("linking the token again");
    }

    @Test
    void aFreshDeploymentHasNoTokens() {
        DatChain dats = new DatChain(chain, deployment);
        BigInteger id = dats.tokenIdOf(deployment.sampleDlpId(), 1);
        assertThat(id).isEqualTo(BigInteger.valueOf(deployment.sampleDlpId()).shiftLeft(128).add(BigInteger.ONE));
        assertThat(dats.token(id)).isEmpty();
        assertThat(dats.holderOf(id)).isEmpty();
        assertThat(dats.tokensOf(chain.account())).isEmpty();
    }

    @Test
    void transferringATokenNeverMintedIsRefusedByName() {
        DatChain dats = new DatChain(chain, deployment);
        BigInteger id = dats.tokenIdOf(deployment.sampleDlpId(), 7);
        assertThatThrownBy(() -> dats.transfer(id, Address.of("0x00000000000000000000000000000000000000b0")))
                .isInstanceOf(ChainException.class)
                .hasMessageContaining("token " + id + " was never minted");
        assertThatThrownBy(() -> dats.transfer(id, Address.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zero address");
    }

    private static DataAnchoringToken dat() {
        return load(DataAnchoringToken::load, Deployment.DATA_ANCHORING_TOKEN);
    }

    private interface Loader<T> {
        T load(String address, org.web3j.protocol.Web3j web3j, org.web3j.tx.TransactionManager tx,
                org.web3j.tx.gas.ContractGasProvider gas);
    }

    private static <T> T load(Loader<T> loader, String name) {
        return loader.load(deployment.address(name).value(), chain.web3j(), chain.transactions(), chain.gas());
    }
}
