package org.datacoop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.datacoop.chain.Deployment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code coop up}: the whole local network in one process, in the foreground. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the local network: a devnet with the contracts, a sample DataDAO, storage and a validator.",
            "",
            "Starts anvil on 127.0.0.1 with DataCoop's contracts and a sample DataDAO (id 1), or "
                + "connects to any EVM JSON-RPC node with --rpc-url; serves storage; runs this data dir's "
                + "validator (keys in DIR/node), registered in the TeePool and validating every job assigned "
                + "to it; serves the web app (web-url) on 127.0.0.1. Prints the RPC URL, the services, the validator and each contract's name and address, "
                + "one per line, writes them to DIR/deployment.json, and runs until Ctrl-C. A second run on "
                + "the same data dir finds the same chain, contracts, files and unfinished jobs."
        })
final class UpCommand implements Callable<Integer> {
    @Mixin
    private DataDirOption dataDir;

    @Option(names = "--port", paramLabel = "PORT", description = "Devnet RPC port (default: a free one).")
    private int port;

    @Option(names = "--rpc-url", paramLabel = "URL", description = "Use this JSON-RPC node instead of a devnet.")
    private String rpcUrl;

    @Option(
            names = "--private-key-file",
            paramLabel = "FILE",
            description = "File holding the key that deploys and administers, with --rpc-url (default: $COOP_PRIVATE_KEY).")
    private Path privateKeyFile;

    @Option(
            names = "--private-key",
            paramLabel = "HEX",
            description = "The key itself; other users can read it in the process list, so prefer --private-key-file.")
    private String privateKey;

    @Option(names = "--deploy", description = "With --rpc-url: deploy the contracts there (else reuse DIR's).")
    private boolean deploy;

    @Option(names = "--storage-port", paramLabel = "PORT", description = "Storage gateway port (default: a free one).")
    private int storagePort;

    @Option(
            names = "--max-blob-bytes",
            paramLabel = "BYTES",
            description = "Largest blob the storage gateway accepts (default: 1 GiB).")
    private long maxBlobBytes = 1L << 30;

    @Option(
            names = "--web-port",
            paramLabel = "PORT",
            description = "Port of the web app, on 127.0.0.1 (default: the one this data dir used before, else a free one).")
    private int webPort;

    @Mixin
    private JsonOption json;

    @Option(names = "--no-validator", description = "Do not run the devnet's validator in this process (run one with coop node run).")
    private boolean noValidator;

    @Option(names = "--validator-port", paramLabel = "PORT", description = "Validator API port (default: a free one).")
    private int validatorPort;

    @Option(
            names = "--vana-moksha",
            description = "Run the devnet as a stand-in for Vana's Moksha testnet: chain id 14800 and the contracts at the "
                    + "addresses Vana's SDK looks them up, so that SDK runs unchanged.")
    private boolean vanaMoksha;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir.resolve();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (vanaMoksha && rpcUrl != null) {
            throw new IllegalArgumentException("--vana-moksha goes with the devnet, not with --rpc-url");
        }
        if (deploy && rpcUrl == null) {
            throw new IllegalArgumentException("--deploy goes with --rpc-url (the devnet deploys by itself)");
        }
        try (DataDirLock lock = DataDirLock.acquire(dir)) {
            UpStatus.clear(dir); // a killed run's: not ready until this one is
            String key = rpcUrl == null ? null : privateKey();
            CountDownLatch stopped = new CountDownLatch(1);
            LocalNetwork network = LocalNetwork.start(dir, new LocalNetwork.Options(port, rpcUrl, key, deploy, storagePort,
                    maxBlobBytes, !noValidator, validatorPort, vanaMoksha, webPort), err);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                UpStatus.clear(dir);
                network.close();
                err.println("stopped" + (network.devnet() ? "; the chain is saved in " + dir : ""));
                err.flush();
                stopped.countDown();
            }, "coop-up-shutdown"));
            UpStatus.write(dir, print(network, out));
            err.println("ready: Ctrl-C stops " + (network.devnet() ? "the devnet" : "coop up"));
            err.flush();
            stopped.await();
        }
        return 0;
    }

    private String privateKey() {
        return Secrets.of(spec).find(Secrets.Secret.PRIVATE_KEY, privateKey, privateKeyFile)
                .orElseThrow(() -> new IllegalArgumentException(
                        "--rpc-url needs a key: pass --private-key-file or set COOP_PRIVATE_KEY"));
    }

    /** Prints what {@code coop up} serves; returns it as the name-value lines it prints without --json. */
    private Map<String, String> print(LocalNetwork network, PrintWriter out) throws IOException {
        Deployment deployment = network.deployment();
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("rpc-url", deployment.rpcUrl());
        lines.putAll(deployment.services());
        network.validator().ifPresent(validator -> {
            lines.put("validator", validator.address().value());
            lines.put("validator-url", validator.url());
        });
        lines.putAll(deployment.contracts());
        if (json.on()) {
            ObjectNode root = (ObjectNode) Json.MAPPER.readTree(deployment.toJson());
            network.validator().ifPresent(validator -> {
                root.put("validator", validator.address().value());
                root.put("validatorUrl", validator.url());
            });
            out.println(root);
        } else {
            lines.forEach((name, value) -> out.println(name + " " + value));
        }
        out.flush();
        return lines;
    }
}
