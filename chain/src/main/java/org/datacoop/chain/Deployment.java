package org.datacoop.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.datacoop.protocol.Address;

/**
 * Where DataCoop's contracts live on one chain: what {@code coop up} prints and writes to
 * {@code deployment.json}.
 *
 * @param chainId the chain the contracts are on
 * @param rpcUrl the JSON-RPC endpoint last used to reach it
 * @param devnet whether the chain is the local anvil devnet (then the faucet works)
 * @param deployer the account that deployed and administers the contracts
 * @param sampleDlpId the sample DataDAO created with the deployment
 * @param deploymentBlock the block of the deployment's first transaction: event scans start there,
 *     as nothing of DataCoop's is older; 0 in a file written before it was recorded
 * @param contracts contract name to address, in deployment order
 * @param services what {@code coop up} serves beside the chain, name to url (e.g. {@code storage-url})
 */
public record Deployment(
        long chainId,
        String rpcUrl,
        boolean devnet,
        String deployer,
        long sampleDlpId,
        long deploymentBlock,
        Map<String, String> contracts,
        Map<String, String> services) {
    public static final String FILE_NAME = "deployment.json";

    public static final String DATA_REGISTRY = "DataRegistry";
    public static final String DATA_ANCHORING_TOKEN = "DataAnchoringToken";
    public static final String DLP_REGISTRY = "DataLiquidityPoolRegistry";
    public static final String TEE_POOL = "TeePool";
    public static final String SAMPLE_DLP = "DataLiquidityPool";
    public static final String SAMPLE_TOKEN = "DataDaoToken";
    public static final String REFINER_REGISTRY = "DataRefinerRegistry";
    public static final String QUERY_ENGINE = "QueryEngine";
    public static final String EXECUTION_RECORD = "ExecutionRecord";
    public static final String SETTLEMENT = "Settlement";
    public static final String TASK_COORDINATOR = "TaskCoordinator";
    public static final String VERIFIER = "Verifier";
    public static final String CHALLENGER_REGISTRY = "ChallengerRegistry";
    public static final String DISPUTE_GAME = "DisputeGame";
    public static final String DATA_COMMITMENTS = "DataCommitments";
    public static final String OWNERSHIP_REGISTRY = "OwnershipRegistry";
    public static final String OPERATOR_TEMPLATES = "OperatorTemplates";
    public static final String DATA_UNIONS = "DataUnions";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static final String STORAGE_URL = "storage-url";
    /** The service name of the web app's url, also its origin: the storage gateway and the node admit its requests. */
    public static final String WEB_URL = "web-url";

    public Deployment {
        if (deploymentBlock < 0) {
            throw new ChainException("the deployment block cannot be negative (" + deploymentBlock + ")");
        }
        contracts = Collections.unmodifiableMap(new LinkedHashMap<>(contracts));
        services = services == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(services));
    }

    /** The address of contract {@code name}; fails naming the contract when it is not in the deployment. */
    public Address address(String name) {
        String address = contracts.get(name);
        if (address == null) {
            throw new ChainException("the deployment has no contract named " + name);
        }
        return Address.of(address);
    }

    /** The same contracts reached through another endpoint (anvil's port changes between runs). */
    public Deployment withRpcUrl(String newRpcUrl) {
        return new Deployment(chainId, newRpcUrl, devnet, deployer, sampleDlpId, deploymentBlock, contracts, services);
    }

    /** The same contracts with a service's url recorded. */
    public Deployment withService(String name, String url) {
        Map<String, String> more = new LinkedHashMap<>(services);
        more.put(name, url);
        return new Deployment(chainId, rpcUrl, devnet, deployer, sampleDlpId, deploymentBlock, contracts, more);
    }

    /** The url of service {@code name}, when recorded. */
    public Optional<String> findService(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /** The url of service {@code name}; fails naming it and the fix when {@code coop up} did not record it. */
    public String service(String name) {
        String url = services.get(name);
        if (url == null) {
            throw new ChainException("the deployment records no " + name + " (is it from a `coop up` that serves it?)");
        }
        return url;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new ChainException("could not write the deployment as JSON", e);
        }
    }

    /** Writes {@code DIR/deployment.json} atomically, so a crash leaves the old file or the new one. */
    public void writeTo(Path dataDir) {
        Path target = dataDir.resolve(FILE_NAME);
        Path partial = dataDir.resolve(FILE_NAME + ".partial");
        try {
            Files.createDirectories(dataDir);
            Files.writeString(partial, toJson());
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ChainException("could not write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code DIR/deployment.json}; fails naming the file when it is missing or malformed. */
    public static Deployment readFrom(Path dataDir) {
        Path source = dataDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(source)) {
            throw ChainException.notFound("no deployment at " + source + " (run `coop up` first, or pass --data-dir)");
        }
        try {
            return JSON.readValue(source.toFile(), Deployment.class);
        } catch (IOException e) {
            throw new ChainException(source + " is not a valid deployment file: " + e.getMessage(), e);
        }
    }

    public static boolean existsIn(Path dataDir) {
        return Files.isRegularFile(dataDir.resolve(FILE_NAME));
    }
}
