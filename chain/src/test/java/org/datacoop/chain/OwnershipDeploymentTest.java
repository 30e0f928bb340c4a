package org.datacoop.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.datacoop.chain.contracts.OwnershipRegistry;
import org.datacoop.protocol.Address;
import org.junit.jupiter.api.Test;

/**
 * The Deployer's ownership registry on a real anvil: deployed after everything but the union family
 * (every earlier address stays where the README lists it), linked to the TeePool and the DataRegistry, and signing the digest it checks.
 * Bindings by a validator and the owner's operations are tested end to end ({@code OwnershipTest}).
 */
class OwnershipDeploymentTest extends DeployedDevnetTest {
    @Test
    void itIsDeployedAfterTheCommitmentsAndLinkedToTheValidatorPoolAndTheFileRegistry() throws Exception {
        assertThat(List.copyOf(deployment.contracts().keySet())).endsWith(Deployment.DATA_COMMITMENTS,
                Deployment.OWNERSHIP_REGISTRY, Deployment.OPERATOR_TEMPLATES, Deployment.DATA_UNIONS);
        assertThat(deployment.address(Deployment.DISPUTE_GAME))
                .isEqualTo(Address.of("0x0dcd1bf9a1b36ce34237eeafef220932846bcd82"));
        assertThat(deployment.address(Deployment.DATA_COMMITMENTS))
                .isEqualTo(Address.of("0x09635f643e140090a9a8dcd712ed6285858cebef"));
        assertThat(deployment.address(Deployment.OWNERSHIP_REGISTRY))
                .isEqualTo(Address.of("0xc5a5c42992decbae36851359345fe25997f5c42d"));
        OwnershipRegistry registry = OwnershipRegistry.load(deployment.address(Deployment.OWNERSHIP_REGISTRY).value(),
                chain.web3j(), chain.transactions(), chain.gas());
        assertThat(Address.of(registry.teePool().send())).isEqualTo(deployment.address(Deployment.TEE_POOL));
        assertThat(Address.of(registry.dataRegistry().send())).isEqualTo(deployment.address(Deployment.DATA_REGISTRY));
    }

    @Test
    void theDigestSignedLocallyIsTheOneTheRegistryChecks() throws Exception {
        OwnershipRegistry registry = OwnershipRegistry.load(deployment.address(Deployment.OWNERSHIP_REGISTRY).value(),
                chain.web3j(), chain.transactions(), chain.gas());
        byte[] hash = new byte[32];
        hash[31] = 7;
        Address owner = Address.of("0x00000000000000000000000000000000000000a1");
        long now = Instant.now().getEpochSecond();
        assertThat(new OwnershipChain(chain, deployment).bindingDigest(hash, owner, 3, now))
                .isEqualTo(registry.bindingDigest(hash, owner.value(), BigInteger.valueOf(3),
                        BigInteger.valueOf(now)).send());
    }

    @Test
    void aBindingSignedByAnyoneButAValidatorIsRefusedByName() {
        OwnershipChain ownership = new OwnershipChain(chain, deployment);
        byte[] hash = new byte[32];
        hash[0] = 1;
        long now = Instant.now().getEpochSecond();
        Wallet stranger = Wallet.create();
        byte[] signature = stranger.signDigest(ownership.bindingDigest(hash, chain.account(), 1, now));
        assertThatThrownBy(() -> ownership.bind(hash, chain.account(), 1, now, signature))
                .isInstanceOf(ChainException.class)
                .hasMessageContaining("OwnershipSignerNotValidator(" + stranger.address().value());
        assertThat(ownership.hashOfFile(1)).isEmpty();
        assertThat(ownership.license(1)).isEmpty();
    }
}
