package org.datacoop.chain;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.datacoop.chain.contracts.AggregateVerifier32;
import org.datacoop.chain.contracts.AggregateVerifier8;
import org.datacoop.chain.contracts.ChallengerRegistry;
import org.datacoop.chain.contracts.ClaimVerifier32;
import org.datacoop.chain.contracts.DataCommitments;
import org.datacoop.chain.contracts.DataAnchoringToken;
import org.datacoop.chain.contracts.DataLiquidityPoolRegistry;
import org.datacoop.chain.contracts.DataRefinerRegistry;
import org.datacoop.chain.contracts.DataRegistry;
import org.datacoop.chain.contracts.DisputeGame;
import org.datacoop.chain.contracts.ExecutionRecord;
import org.datacoop.chain.contracts.OwnershipRegistry;
import org.datacoop.chain.contracts.OperatorTemplates;
import org.datacoop.chain.contracts.DataUnions;
import org.datacoop.chain.contracts.QueryEngine;
import org.datacoop.chain.contracts.Settlement;
import org.datacoop.chain.contracts.TaskCoordinator;
import org.datacoop.chain.contracts.TeePool;
import org.datacoop.chain.contracts.Verifier;
import org.datacoop.protocol.Sha256;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Deploys DataCoop's contracts and the sample DataDAO with its refiner, in the order of
 * {@code contracts/script/DeployDataCoop.s.sol}: registry, DataDAO registry, validator pool,
 * refiner registry, query engine, then the registry learns its pool and refiner registry; then the
 * compute contracts (execution record, settlement, task coordinator, challenger registry, dispute
 * game, verifier), and the record, the settlement and the game learn their coordinator and
 * verifier, and the registry its game; last, after the sample DataDAO (so that nothing before it
 * moves), the circuits' verifiers and the data commitments that use them, the ownership registry, and
 * after it the operator templates and the data unions.
 */
public final class Deployer {
    private static final BigInteger ONE_TOKEN = BigInteger.TEN.pow(18);
    /** The optimistic mode's defaults, as DeployDataCoop.s.sol sets them: 0.1 ETH bonds. */
    private static final BigInteger OP_BOND = BigInteger.TEN.pow(17);
    private static final String SAMPLE_PROGRAM_RESOURCE = "sample-dlp-program.json";
    private static final String SAMPLE_REFINER_RESOURCE = "sample-refiner.json";
    private static final String SAMPLE_SCHEMA_RESOURCE = "sample-schema.json";
    private static final String SAMPLE_SCHEMA_NAME = "fitness-daily";

    /**
     * Where the sample DataDAO's program definition is published: a {@code data:} URL holding it,
     * so the devnet's DataDAO needs no storage service to outlive a restart on another port.
     */
    public static final String SAMPLE_PROGRAM_URL =
            dataUrl(sampleProgram());

    /** Fees and delays of the validator pool, and the sample DataDAO. */
    public record Settings(
            BigInteger teeFeeWei,
            long cancelDelaySeconds,
            String sampleName,
            String sampleTokenName,
            String sampleTokenSymbol,
            BigInteger sampleRewardBudget,
            BigInteger sampleRewardPerFile,
            long protocolShareBps,
            long dataDaoShareBps,
            long sampleMinGroupSize) {
        public static final Settings DEFAULT = new Settings(
                BigInteger.TEN.pow(16), // 0.01 ETH per validation
                3600,
                "DataCoop Sample DAO",
                "Sample DataDAO Token",
                "SDAT",
                ONE_TOKEN.multiply(BigInteger.valueOf(1_000_000)),
                ONE_TOKEN.multiply(BigInteger.valueOf(100)),
                1_000, // 10% of each query payment to the protocol
                2_000, // 20% to the DataDAO, the rest to the contributors whose rows were read
                2); // the sample DataDAO releases only aggregates over two or more contributors
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
        return deploy(settings, devnet, UnaryOperator.identity());
    }

    /**
     * As {@link #deploy(Settings, boolean)}, with the core contracts (registry, DataDAO registry,
     * TeePool, refiner registry, query engine; name to address) moved by {@code placement} once
     * linked, before anything else happens on them: how the Moksha stand-in puts them at Vana's
     * addresses ({@link VanaMoksha#relocate}).
     */
    public Deployment deploy(Settings settings, boolean devnet, UnaryOperator<Map<String, String>> placement) {
        String admin = chain.account().value();
        var web3j = chain.web3j();
        var tx = chain.transactions();
        var gas = chain.gas();

        DataRegistry registry = Calls.send("deploying DataRegistry", DataRegistry.deploy(web3j, tx, gas, admin));
        progress.accept("deployed DataRegistry at " + registry.getContractAddress());
        // Nothing of the deployment is older than its first transaction, nor at the addresses the
        // Moksha stand-in moves it to, so event scans start at this block.
        long deploymentBlock = registry.getTransactionReceipt()
                .orElseThrow(() -> new ChainException("deploying DataRegistry returned no receipt"))
                .getBlockNumber().longValueExact();
        DataAnchoringToken dat =
                Calls.send("deploying DataAnchoringToken", DataAnchoringToken.deploy(web3j, tx, gas, admin));
        progress.accept("deployed DataAnchoringToken at " + dat.getContractAddress());
        DataLiquidityPoolRegistry dlps = Calls.send(
                "deploying DataLiquidityPoolRegistry",
                DataLiquidityPoolRegistry.deploy(
                        web3j, tx, gas, registry.getContractAddress(), dat.getContractAddress()));
        progress.accept("deployed DataLiquidityPoolRegistry at " + dlps.getContractAddress());
        // Every DataDAO's pool then mints its files' tokens, each into its own class, with no grant per DataDAO.
        Calls.send("letting the DataDAOs' pools mint Data Anchoring Tokens",
                dat.setPoolRegistry(dlps.getContractAddress()));
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
        DataRefinerRegistry refiners = Calls.send("deploying DataRefinerRegistry",
                DataRefinerRegistry.deploy(web3j, tx, gas, dlps.getContractAddress()));
        progress.accept("deployed DataRefinerRegistry at " + refiners.getContractAddress());
        QueryEngine engine = Calls.send("deploying QueryEngine",
                QueryEngine.deploy(web3j, tx, gas, admin, refiners.getContractAddress(), registry.getContractAddress(),
                        BigInteger.valueOf(settings.protocolShareBps()), admin,
                        BigInteger.valueOf(settings.dataDaoShareBps())));
        progress.accept("deployed QueryEngine at " + engine.getContractAddress());
        Calls.send("linking DataRegistry to TeePool", registry.setTeePool(pool.getContractAddress()));
        Calls.send("linking DataRegistry to DataRefinerRegistry", registry.setRefinerRegistry(refiners.getContractAddress()));
        Map<String, String> core = new LinkedHashMap<>();
        core.put(Deployment.DATA_REGISTRY, registry.getContractAddress());
        core.put(Deployment.DLP_REGISTRY, dlps.getContractAddress());
        core.put(Deployment.TEE_POOL, pool.getContractAddress());
        core.put(Deployment.REFINER_REGISTRY, refiners.getContractAddress());
        core.put(Deployment.QUERY_ENGINE, engine.getContractAddress());
        Map<String, String> placed = placement.apply(core);
        if (!placed.equals(core)) {
            placed.forEach((name, address) -> {
                if (!address.equals(core.get(name))) {
                    progress.accept("moved " + name + " to " + address);
                }
            });
            dlps = DataLiquidityPoolRegistry.load(placed.get(Deployment.DLP_REGISTRY), web3j, tx, gas);
            refiners = DataRefinerRegistry.load(placed.get(Deployment.REFINER_REGISTRY), web3j, tx, gas);
            engine = QueryEngine.load(placed.get(Deployment.QUERY_ENGINE), web3j, tx, gas);
        }
        // After the move, so the compute contracts link to the core where it ends up.
        Map<String, String> compute = deployCompute(placed);

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
        // LazAI's requestProof(fileId) names no DataDAO and its clients share no key on-chain: on this
        // deployment such a request is for the sample DataDAO.
        Calls.send("making the sample DataDAO the default for requests naming none", pool.setDefaultDlpId(sample.dlpId));
        progress.accept("created sample DataDAO " + sample.dlpId + " (" + settings.sampleName() + ")");
        var schema = DataRefinerRegistry.getSchemaAddedEvents(Calls.send("adding the sample schema",
                refiners.addSchema(SAMPLE_SCHEMA_NAME, "duckdb", dataUrl(sampleSchema()), Sha256.of(sampleSchema()))));
        var refiner = DataRefinerRegistry.getRefinerAddedEvents(Calls.send("adding the sample refiner",
                refiners.addRefiner(sample.dlpId, "daily steps", schema.get(0).schemaId, dataUrl(sampleRefiner()),
                        Sha256.of(sampleRefiner()))));
        Calls.send("setting the sample DataDAO's minimum group size",
                engine.setMinGroupSize(sample.dlpId, BigInteger.valueOf(settings.sampleMinGroupSize())));
        progress.accept("added refiner " + refiner.get(0).refinerId + " (schema " + SAMPLE_SCHEMA_NAME
                + ") to the sample DataDAO");

        Map<String, String> contracts = new LinkedHashMap<>();
        contracts.put(Deployment.DATA_REGISTRY, placed.get(Deployment.DATA_REGISTRY));
        contracts.put(Deployment.DATA_ANCHORING_TOKEN, dat.getContractAddress());
        contracts.put(Deployment.DLP_REGISTRY, placed.get(Deployment.DLP_REGISTRY));
        contracts.put(Deployment.TEE_POOL, placed.get(Deployment.TEE_POOL));
        contracts.put(Deployment.SAMPLE_DLP, sample.pool);
        contracts.put(Deployment.SAMPLE_TOKEN, sample.token);
        contracts.put(Deployment.REFINER_REGISTRY, placed.get(Deployment.REFINER_REGISTRY));
        contracts.put(Deployment.QUERY_ENGINE, placed.get(Deployment.QUERY_ENGINE));
        contracts.putAll(compute);
        contracts.put(Deployment.DATA_COMMITMENTS, deployCommitments(placed));
        // Last, so every address deployed before it stays where it was.
        OwnershipRegistry ownership = Calls.send("deploying OwnershipRegistry", OwnershipRegistry.deploy(web3j, tx, gas,
                placed.get(Deployment.TEE_POOL), placed.get(Deployment.DATA_REGISTRY)));
        progress.accept("deployed OwnershipRegistry at " + ownership.getContractAddress());
        contracts.put(Deployment.OWNERSHIP_REGISTRY, ownership.getContractAddress());
        // After it, so the ownership registry and everything before it stay where the README lists them.
        OperatorTemplates templates =
                Calls.send("deploying OperatorTemplates", OperatorTemplates.deploy(web3j, tx, gas));
        progress.accept("deployed OperatorTemplates at " + templates.getContractAddress());
        contracts.put(Deployment.OPERATOR_TEMPLATES, templates.getContractAddress());
        DataUnions unions = Calls.send("deploying DataUnions", DataUnions.deploy(web3j, tx, gas,
                templates.getContractAddress(), ownership.getContractAddress(), placed.get(Deployment.REFINER_REGISTRY)));
        progress.accept("deployed DataUnions at " + unions.getContractAddress());
        contracts.put(Deployment.DATA_UNIONS, unions.getContractAddress());
        return new Deployment(
                chain.chainId(), chain.rpcUrl(), devnet, admin, sample.dlpId.longValueExact(), deploymentBlock, contracts,
                Map.of());
    }

    /**
     * Deploys the compute contracts over the core ones ({@code core}: name to address) and binds the
     * record, the settlement and the dispute game to the coordinator and the verifier, and the
     * challenger registry to the game; returns their names and addresses.
     */
    private Map<String, String> deployCompute(Map<String, String> core) {
        var web3j = chain.web3j();
        var tx = chain.transactions();
        var gas = chain.gas();
        ExecutionRecord record = Calls.send("deploying ExecutionRecord", ExecutionRecord.deploy(web3j, tx, gas));
        progress.accept("deployed ExecutionRecord at " + record.getContractAddress());
        Settlement settlement = Calls.send("deploying Settlement", Settlement.deploy(web3j, tx, gas,
                core.get(Deployment.QUERY_ENGINE), core.get(Deployment.REFINER_REGISTRY),
                core.get(Deployment.DATA_REGISTRY)));
        progress.accept("deployed Settlement at " + settlement.getContractAddress());
        TaskCoordinator coordinator = Calls.send("deploying TaskCoordinator", TaskCoordinator.deploy(web3j, tx, gas,
                core.get(Deployment.QUERY_ENGINE), core.get(Deployment.REFINER_REGISTRY), core.get(Deployment.TEE_POOL),
                record.getContractAddress(), settlement.getContractAddress()));
        progress.accept("deployed TaskCoordinator at " + coordinator.getContractAddress());
        ChallengerRegistry challengers = Calls.send("deploying ChallengerRegistry", ChallengerRegistry.deploy(
                web3j, tx, gas, core.get(Deployment.REFINER_REGISTRY), core.get(Deployment.TEE_POOL), OP_BOND));
        progress.accept("deployed ChallengerRegistry at " + challengers.getContractAddress());
        // A 16-block window, 16 blocks a move, 32 for the referees, a fifth of a lost bond burnt, a
        // tenth to the referees, two of whom decide a step: DeployDataCoop.s.sol's defaultGameConfig.
        var config = new DisputeGame.Config(BigInteger.valueOf(16), BigInteger.valueOf(16), BigInteger.valueOf(32),
                OP_BOND, BigInteger.valueOf(2_000), BigInteger.valueOf(1_000), BigInteger.TWO);
        DisputeGame game = Calls.send("deploying DisputeGame", DisputeGame.deploy(web3j, tx, gas,
                challengers.getContractAddress(), core.get(Deployment.REFINER_REGISTRY), core.get(Deployment.TEE_POOL),
                config));
        progress.accept("deployed DisputeGame at " + game.getContractAddress());
        Verifier verifier = Calls.send("deploying Verifier", Verifier.deploy(web3j, tx, gas,
                coordinator.getContractAddress(), record.getContractAddress(), settlement.getContractAddress(),
                core.get(Deployment.TEE_POOL), game.getContractAddress()));
        progress.accept("deployed Verifier at " + verifier.getContractAddress());
        Calls.send("binding ExecutionRecord to TaskCoordinator and Verifier",
                record.bind(coordinator.getContractAddress(), verifier.getContractAddress()));
        Calls.send("binding Settlement to TaskCoordinator and Verifier",
                settlement.bind(coordinator.getContractAddress(), verifier.getContractAddress()));
        Calls.send("binding DisputeGame to TaskCoordinator and Verifier",
                game.bind(coordinator.getContractAddress(), verifier.getContractAddress()));
        Calls.send("binding ChallengerRegistry to DisputeGame", challengers.bindGame(game.getContractAddress()));
        Map<String, String> compute = new LinkedHashMap<>();
        compute.put(Deployment.EXECUTION_RECORD, record.getContractAddress());
        compute.put(Deployment.SETTLEMENT, settlement.getContractAddress());
        compute.put(Deployment.TASK_COORDINATOR, coordinator.getContractAddress());
        compute.put(Deployment.VERIFIER, verifier.getContractAddress());
        compute.put(Deployment.CHALLENGER_REGISTRY, challengers.getContractAddress());
        compute.put(Deployment.DISPUTE_GAME, game.getContractAddress());
        return compute;
    }

    /** Deploys the circuits' verifiers and DataCommitments over them; returns its address. */
    private String deployCommitments(Map<String, String> core) {
        var web3j = chain.web3j();
        var tx = chain.transactions();
        var gas = chain.gas();
        AggregateVerifier8 verifier8 =
                Calls.send("deploying AggregateVerifier8", AggregateVerifier8.deploy(web3j, tx, gas));
        AggregateVerifier32 verifier32 =
                Calls.send("deploying AggregateVerifier32", AggregateVerifier32.deploy(web3j, tx, gas));
        ClaimVerifier32 claim32 = Calls.send("deploying ClaimVerifier32", ClaimVerifier32.deploy(web3j, tx, gas));
        progress.accept("deployed the circuits' verifiers at " + verifier8.getContractAddress() + ", "
                + verifier32.getContractAddress() + " and " + claim32.getContractAddress());
        DataCommitments commitments = Calls.send("deploying DataCommitments", DataCommitments.deploy(web3j, tx, gas,
                core.get(Deployment.DATA_REGISTRY), core.get(Deployment.REFINER_REGISTRY),
                verifier8.getContractAddress(), verifier32.getContractAddress(), claim32.getContractAddress()));
        progress.accept("deployed DataCommitments at " + commitments.getContractAddress());
        return commitments.getContractAddress();
    }

    /** SHA-256 of the sample DataDAO's program definition, as pinned on-chain. */
    public static byte[] sampleProgramDigest() {
        return Sha256.of(sampleProgram());
    }

    /** The sample DataDAO's program definition (the built-in declarative program's settings). */
    public static byte[] sampleProgram() {
        return resource(SAMPLE_PROGRAM_RESOURCE);
    }

    /** The sample DataDAO's refiner (the built-in declarative refiner's mapping). */
    public static byte[] sampleRefiner() {
        return resource(SAMPLE_REFINER_RESOURCE);
    }

    /** The definition of the sample refiner's schema: its tables, columns and types. */
    public static byte[] sampleSchema() {
        return resource(SAMPLE_SCHEMA_RESOURCE);
    }

    /** {@code bytes} published as a {@code data:} URL, so the devnet's samples need no storage service. */
    private static String dataUrl(byte[] bytes) {
        return "data:application/json;base64," + Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] resource(String name) {
        try (InputStream in = Deployer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }
}
