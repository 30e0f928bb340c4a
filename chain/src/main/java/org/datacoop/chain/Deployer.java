package org.datacoop.chain;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.datacoop.chain.contracts.DataLiquidityPoolRegistry;
import org.datacoop.chain.contracts.DataRegistry;
import org.datacoop.chain.contracts.TeePool;
import org.datacoop.protocol.Sha256;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Deploys DataCoop's contracts and the sample DataDAO, in the order of
 * {@code contracts/script/DeployDataCoop.s.sol}: registry, DataDAO registry, validator pool, then
 * the registry learns its pool.
 */
public final class Deployer {
    private static final BigInteger ONE_TOKEN = BigInteger.TEN.pow(18);
    private static final String SAMPLE_PROGRAM_RESOURCE = "sample-dlp-program.json";

    /**
     * Where the sample DataDAO's program definition is published: a {@code data:} URL holding it,
     * so the devnet's DataDAO needs no storage service to outlive a restart on another port.
     */
    public static final String SAMPLE_PROGRAM_URL =
            "data:application/json;base64," + Base64.getEncoder().encodeToString(sampleProgram());

    /** Fees and delays of the validator pool, and the sample DataDAO. */
    public record Settings(
            BigInteger teeFeeWei,
            long cancelDelaySeconds,
            String sampleName,
            String sampleTokenName,
            String sampleTokenSymbol,
            BigInteger sampleRewardBudget,
            BigInteger sampleRewardPerFile) {
        public static final Settings DEFAULT = new Settings(
                BigInteger.TEN.pow(16), // 0.01 ETH per validation
                3600,
                "DataCoop Sample DAO",
                "Sample DataDAO Token",
                "SDAT",
                ONE_TOKEN.multiply(BigInteger.valueOf(1_000_000)),
                ONE_TOKEN.multiply(BigInteger.valueOf(100)));
    }

    private final ChainConnection chain;
    private final Consumer<String> progress;

    /**
     * @param progress told each step as it completes, in words
     */
    public Deployer(ChainConnection chain, Consumer<String> progress) {
        this.chain = chain;
        this.progress = progress;
    }

    /** Deploys everything; {@code devnet} records whether the faucet may be used on this chain. */
    public Deployment deploy(Settings settings, boolean devnet) {
        String admin = chain.account().value();
        var web3j = chain.web3j();
        var tx = chain.transactions();
        var gas = chain.gas();

        DataRegistry registry = Calls.send("deploying DataRegistry", DataRegistry.deploy(web3j, tx, gas, admin));
        progress.accept("deployed DataRegistry at " + registry.getContractAddress());
        DataLiquidityPoolRegistry dlps = Calls.send(
                "deploying DataLiquidityPoolRegistry",
                DataLiquidityPoolRegistry.deploy(web3j, tx, gas, registry.getContractAddress()));
        progress.accept("deployed DataLiquidityPoolRegistry at " + dlps.getContractAddress());
        TeePool pool = Calls.send(
                "deploying TeePool",
                TeePool.deploy(
                        web3j,
                        tx,
                        gas,
                        admin,
                        registry.getContractAddress(),
                        dlps.getContractAddress(),
                        settings.teeFeeWei(),
                        BigInteger.valueOf(settings.cancelDelaySeconds())));
        progress.accept("deployed TeePool at " + pool.getContractAddress());
        Calls.send("linking DataRegistry to TeePool", registry.setTeePool(pool.getContractAddress()));

        TransactionReceipt created = Calls.send(
                "creating the sample DataDAO",
                dlps.createDataLiquidityPool(new DataLiquidityPoolRegistry.DataDaoParams(
                        settings.sampleName(),
                        settings.sampleTokenName(),
                        settings.sampleTokenSymbol(),
                        settings.sampleRewardBudget(),
                        settings.sampleRewardPerFile(),
                        sampleProgramDigest(),
                        SAMPLE_PROGRAM_URL)));
        List<DataLiquidityPoolRegistry.DataLiquidityPoolCreatedEventResponse> events =
                DataLiquidityPoolRegistry.getDataLiquidityPoolCreatedEvents(created);
        if (events.size() != 1) {
            throw new ChainException("creating the sample DataDAO emitted " + events.size()
                    + " DataLiquidityPoolCreated events; expected one");
        }
        var sample = events.get(0);
        progress.accept("created sample DataDAO " + sample.dlpId + " (" + settings.sampleName() + ")");

        Map<String, String> contracts = new LinkedHashMap<>();
        contracts.put(Deployment.DATA_REGISTRY, registry.getContractAddress());
        contracts.put(Deployment.DLP_REGISTRY, dlps.getContractAddress());
        contracts.put(Deployment.TEE_POOL, pool.getContractAddress());
        contracts.put(Deployment.SAMPLE_DLP, sample.pool);
        contracts.put(Deployment.SAMPLE_TOKEN, sample.token);
        return new Deployment(
                chain.chainId(), chain.rpcUrl(), devnet, admin, sample.dlpId.longValueExact(), contracts, Map.of());
    }

    /** SHA-256 of the sample DataDAO's program definition, as pinned on-chain. */
    public static byte[] sampleProgramDigest() {
        return Sha256.of(sampleProgram());
    }

    /** The sample DataDAO's program definition (the built-in declarative program's settings). */
    public static byte[] sampleProgram() {
        try (InputStream in = Deployer.class.getResourceAsStream(SAMPLE_PROGRAM_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + SAMPLE_PROGRAM_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the sample program", e);
        }
    }
}
