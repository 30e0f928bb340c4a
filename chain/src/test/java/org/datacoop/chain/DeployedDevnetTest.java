package org.datacoop.chain;

import java.util.Optional;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.chain.devnet.Toolchain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class's own anvil with the Deployer's contracts on it, deployed once for the class. */
abstract class DeployedDevnetTest {
    static Anvil anvil;
    static ChainConnection chain;
    static Deployment deployment;

    @BeforeAll
    static void deploy() {
        anvil = Anvil.start(Toolchain.discover(), 0, Optional.empty(), Optional.empty());
        chain = ChainConnection.open(anvil.rpcUrl(), Anvil.DEV_ACCOUNT_KEY);
        deployment = new Deployer(chain, step -> {}).deploy(Deployer.Settings.DEFAULT, true);
    }

    @AfterAll
    static void stop() {
        chain.close();
        anvil.close();
    }
}
