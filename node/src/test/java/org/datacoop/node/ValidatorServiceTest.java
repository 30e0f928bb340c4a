package org.datacoop.node;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.datacoop.chain.devnet.Anvil;
import org.datacoop.node.job.JobSettings;
import org.junit.jupiter.api.Test;

class ValidatorServiceTest {
    @Test
    void aDishonestNodeIsRefusedByNameOnAnyChainButTheDevnets() {
        JobSettings liar = JobSettings.DEFAULT.withDishonestOpStep(3);
        assertThatThrownBy(() -> ValidatorService.requireDevnetForDishonesty(liar, 14800))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--dishonest-op-step is for tests on the devnet (chain 31337) only; this chain is 14800");
        assertThatCode(() -> ValidatorService.requireDevnetForDishonesty(liar, Anvil.CHAIN_ID)).doesNotThrowAnyException();
        assertThatCode(() -> ValidatorService.requireDevnetForDishonesty(JobSettings.DEFAULT, 14800))
                .as("an honest node runs anywhere").doesNotThrowAnyException();
        assertThatThrownBy(() -> JobSettings.DEFAULT.withDishonestOpStep(0)).hasMessageContaining("at least 1");
    }
}
