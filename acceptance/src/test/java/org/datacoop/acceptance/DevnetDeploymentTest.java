package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployer;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.chain.devnet.Toolchain;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.DataDao;
import org.datacoop.protocol.Sha256;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.protocol.query.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deploys to a real anvil and reads everything back through the generated bindings. */
class DevnetDeploymentTest {
    private static Anvil anvil;
    private static ChainConnection chain;
    private static Deployment deployment;
    private static DataCoopChain coop;

    @BeforeAll
    static void deploy() {
        anvil = Anvil.start(Toolchain.discover(), 0, Optional.empty(), Optional.empty());
        chain = ChainConnection.open(anvil.rpcUrl(), Anvil.DEV_ACCOUNT_KEY);
        deployment = new Deployer(chain, step -> {}).deploy(Deployer.Settings.DEFAULT, true);
        coop = new DataCoopChain(chain, deployment);
    }

    @AfterAll
    static void stop() {
        chain.close();
        anvil.close();
    }

    @Test
    void everyContractIsOnChain() {
        assertThat(deployment.contracts()).containsOnlyKeys(
                Deployment.DATA_REGISTRY,
                Deployment.DATA_ANCHORING_TOKEN,
                Deployment.DLP_REGISTRY,
                Deployment.TEE_POOL,
                Deployment.SAMPLE_DLP,
                Deployment.SAMPLE_TOKEN,
                Deployment.REFINER_REGISTRY,
                Deployment.QUERY_ENGINE,
                Deployment.EXECUTION_RECORD,
                Deployment.SETTLEMENT,
                Deployment.TASK_COORDINATOR,
                Deployment.VERIFIER,
                Deployment.CHALLENGER_REGISTRY,
                Deployment.DISPUTE_GAME,
                Deployment.DATA_COMMITMENTS,
                Deployment.OWNERSHIP_REGISTRY,
                Deployment.OPERATOR_TEMPLATES,
                Deployment.DATA_UNIONS);
        assertThat(coop.isDeployed()).isTrue();
        assertThat(deployment.chainId()).isEqualTo(Anvil.CHAIN_ID);
        assertThat(deployment.deploymentBlock()).isEqualTo(1); // a fresh devnet: the first transaction is in block 1
        assertThat(deployment.deployer()).isEqualTo(Wallet.fromPrivateKey(Anvil.DEV_ACCOUNT_KEY).address().value());
    }

    @Test
    void theSampleDataDaoHasItsRefinerSchemaAndMinimumGroupSize() {
        QueryChain queries = new QueryChain(chain, deployment);
        List<Refiner> refiners = queries.refinersOf(deployment.sampleDlpId());
        assertThat(refiners).hasSize(1);
        Refiner refiner = refiners.get(0);
        assertThat(refiner.instructionDigest()).isEqualTo("0x" + HexFormat.of().formatHex(Sha256.of(Deployer.sampleRefiner())));
        Schema schema = queries.schema(refiner.schemaId());
        assertThat(schema.name()).isEqualTo("fitness-daily");
        assertThat(schema.dialect()).isEqualTo("duckdb");
        assertThat(schema.definitionDigest()).isEqualTo("0x" + HexFormat.of().formatHex(Sha256.of(Deployer.sampleSchema())));
        assertThat(queries.minGroupSize(deployment.sampleDlpId())).isEqualTo(2);
        QueryChain.Shares shares = queries.shares(deployment.sampleDlpId());
        assertThat(shares.protocolBps()).isEqualTo(1_000);
        assertThat(shares.dataDaoBps()).isEqualTo(2_000);
        assertThat(queries.dataDaoOwner(deployment.sampleDlpId()).value()).isEqualTo(deployment.deployer());
    }

    @Test
    void readsTheRegistryAndThePool() {
        assertThat(coop.filesCount()).isZero();
        assertThat(coop.teeFee()).isEqualTo(Deployer.Settings.DEFAULT.teeFeeWei());
        assertThat(coop.dataDaoCount()).isEqualTo(1);
    }

    @Test
    void theSampleDataDaoHasItsTokenBudgetAndProgram() {
        DataDao dao = coop.dataDao(deployment.sampleDlpId());
        Deployer.Settings settings = Deployer.Settings.DEFAULT;
        assertThat(dao.id()).isEqualTo(1);
        assertThat(dao.name()).isEqualTo(settings.sampleName());
        assertThat(dao.pool()).isEqualTo(deployment.address(Deployment.SAMPLE_DLP));
        assertThat(dao.token()).isEqualTo(deployment.address(Deployment.SAMPLE_TOKEN));
        assertThat(dao.owner()).isEqualTo(Address.of(deployment.deployer()));
        assertThat(dao.tokenSymbol()).isEqualTo("SDAT");
        assertThat(dao.rewardPerFile()).isEqualTo(settings.sampleRewardPerFile());
        assertThat(dao.rewardsLeft()).isEqualTo(settings.sampleRewardBudget());
        assertThat(dao.programDigest()).isEqualTo("0x" + HexFormat.of().formatHex(Deployer.sampleProgramDigest()));
        assertThat(dao.programUrl()).isEqualTo(Deployer.SAMPLE_PROGRAM_URL);
    }

    @Test
    void anUnknownDataDaoIsNamed() {
        assertThatThrownBy(() -> coop.dataDao(2))
                .isInstanceOf(ChainException.class)
                .hasMessage("there is no DataDAO with id 2 (1 exist)");
    }

    @Test
    void aDeploymentOfAnotherChainIsRefused() {
        Deployment elsewhere = new Deployment(
                1, "http://mainnet.invalid", false, deployment.deployer(), 1, 0, deployment.contracts(), Map.of());
        assertThatThrownBy(() -> new DataCoopChain(chain, elsewhere))
                .isInstanceOf(ChainException.class)
                .hasMessageContaining("is chain 31337 but the deployment is for chain 1");
    }

    @Test
    void sendsEtherAndReadsTheBalance() {
        Address wallet = Address.of("0x00000000000000000000000000000000000000aa");
        String txHash = chain.sendEther(wallet, java.math.BigDecimal.valueOf(2));
        assertThat(txHash).matches("0x[0-9a-f]{64}");
        assertThat(chain.balance(wallet)).isEqualTo(BigInteger.TWO.multiply(BigInteger.TEN.pow(18)));
    }

    @Test
    void aNodeThatIsNotThereIsNamed() {
        assertThatThrownBy(() -> ChainConnection.open("http://127.0.0.1:9", Anvil.DEV_ACCOUNT_KEY))
                .isInstanceOf(ChainException.class)
                .hasMessageStartingWith("no JSON-RPC node answers at http://127.0.0.1:9");
    }
}
