package org.datacoop.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.datacoop.chain.contracts.ChallengerRegistry;
import org.datacoop.chain.contracts.DisputeGame;
import org.datacoop.chain.contracts.ExecutionRecord;
import org.datacoop.chain.contracts.Settlement;
import org.datacoop.chain.contracts.TaskCoordinator;
import org.datacoop.chain.contracts.Verifier;
import org.datacoop.protocol.Address;
import org.junit.jupiter.api.Test;

/** The Deployer's compute contracts on a real anvil: linked to the core and bound to each other, once. */
class ComputeDeploymentTest extends DeployedDevnetTest {
    @Test
    void theComputeContractsAreBoundToEachOtherAndToTheCore() throws Exception {
        TaskCoordinator coordinator = TaskCoordinator.load(
                deployment.address(Deployment.TASK_COORDINATOR).value(), chain.web3j(), chain.transactions(), chain.gas());
        ExecutionRecord record = record();
        Settlement settlement = Settlement.load(
                deployment.address(Deployment.SETTLEMENT).value(), chain.web3j(), chain.transactions(), chain.gas());
        Verifier verifier = Verifier.load(
                deployment.address(Deployment.VERIFIER).value(), chain.web3j(), chain.transactions(), chain.gas());
        assertThat(Address.of(coordinator.queryEngine().send())).isEqualTo(deployment.address(Deployment.QUERY_ENGINE));
        assertThat(Address.of(coordinator.teePool().send())).isEqualTo(deployment.address(Deployment.TEE_POOL));
        assertThat(Address.of(coordinator.executionRecord().send()))
                .isEqualTo(deployment.address(Deployment.EXECUTION_RECORD));
        assertThat(Address.of(coordinator.settlement().send())).isEqualTo(deployment.address(Deployment.SETTLEMENT));
        assertThat(Address.of(settlement.queryEngine().send())).isEqualTo(deployment.address(Deployment.QUERY_ENGINE));
        for (String bound : List.of(record.coordinator().send(), settlement.coordinator().send())) {
            assertThat(Address.of(bound)).isEqualTo(deployment.address(Deployment.TASK_COORDINATOR));
        }
        for (String bound : List.of(record.verifier().send(), settlement.verifier().send())) {
            assertThat(Address.of(bound)).isEqualTo(deployment.address(Deployment.VERIFIER));
        }
        assertThat(verifier.verifyResult(new byte[32]).send()).isFalse(); // no task is verified on a fresh devnet
    }

    @Test
    void theOptimisticContractsAreBoundToTheVerifierAndToEachOther() throws Exception {
        DisputeGame game = DisputeGame.load(
                deployment.address(Deployment.DISPUTE_GAME).value(), chain.web3j(), chain.transactions(), chain.gas());
        ChallengerRegistry challengers = ChallengerRegistry.load(deployment.address(Deployment.CHALLENGER_REGISTRY)
                .value(), chain.web3j(), chain.transactions(), chain.gas());
        Verifier verifier = Verifier.load(
                deployment.address(Deployment.VERIFIER).value(), chain.web3j(), chain.transactions(), chain.gas());
        assertThat(Address.of(verifier.disputeGame().send())).isEqualTo(deployment.address(Deployment.DISPUTE_GAME));
        assertThat(Address.of(game.verifier().send())).isEqualTo(deployment.address(Deployment.VERIFIER));
        assertThat(Address.of(game.coordinator().send())).isEqualTo(deployment.address(Deployment.TASK_COORDINATOR));
        assertThat(Address.of(game.registry().send())).isEqualTo(deployment.address(Deployment.CHALLENGER_REGISTRY));
        assertThat(Address.of(challengers.game().send())).isEqualTo(deployment.address(Deployment.DISPUTE_GAME));
        assertThat(game.config().send().challengeWindow).isBetween(BigInteger.valueOf(12), BigInteger.valueOf(24));
    }

    @Test
    void nobodyCanBindTheRecordAgain() {
        assertThatThrownBy(() -> Calls.send("binding ExecutionRecord again",
                        record().bind(chain.account().value(), chain.account().value())))
                .isInstanceOf(ChainException.class)
                .hasMessageContaining("binding ExecutionRecord again");
    }

    private static ExecutionRecord record() {
        return ExecutionRecord.load(
                deployment.address(Deployment.EXECUTION_RECORD).value(), chain.web3j(), chain.transactions(), chain.gas());
    }
}
