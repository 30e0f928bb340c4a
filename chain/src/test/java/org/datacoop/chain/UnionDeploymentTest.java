package org.datacoop.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.datacoop.chain.contracts.DataUnions;
import org.datacoop.protocol.Address;
import org.junit.jupiter.api.Test;

/**
 * The Deployer's union family on a real anvil: the operator templates and the data unions come after the
 * ownership registry (so it and everything before it stay where the README lists them), and the unions
 * read the templates, the ownership registry and the refiner registry. The lifecycle is tested end to end
 * ({@code UnionTest}).
 */
class UnionDeploymentTest extends DeployedDevnetTest {
    @Test
    void theyAreDeployedLastAndLinked() throws Exception {
        assertThat(List.copyOf(deployment.contracts().keySet()))
                .endsWith(Deployment.OWNERSHIP_REGISTRY, Deployment.OPERATOR_TEMPLATES, Deployment.DATA_UNIONS);
        assertThat(deployment.address(Deployment.OWNERSHIP_REGISTRY))
                .isEqualTo(Address.of("0xc5a5c42992decbae36851359345fe25997f5c42d"));
        assertThat(deployment.address(Deployment.OPERATOR_TEMPLATES))
                .isEqualTo(Address.of("0x67d269191c92caf3cd7723f116c85e6e9bf55933"));
        assertThat(deployment.address(Deployment.DATA_UNIONS))
                .isEqualTo(Address.of("0xe6e340d132b5f46d1e472debcd681b2abc16e57e"));
        DataUnions unions = DataUnions.load(deployment.address(Deployment.DATA_UNIONS).value(), chain.web3j(),
                chain.transactions(), chain.gas());
        assertThat(Address.of(unions.templates().send())).isEqualTo(deployment.address(Deployment.OPERATOR_TEMPLATES));
        assertThat(Address.of(unions.ownership().send())).isEqualTo(deployment.address(Deployment.OWNERSHIP_REGISTRY));
        assertThat(Address.of(unions.refiners().send())).isEqualTo(deployment.address(Deployment.REFINER_REGISTRY));
    }
}
