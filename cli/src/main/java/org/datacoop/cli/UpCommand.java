package org.datacoop.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployer;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.chain.devnet.Toolchain;
import org.datacoop.node.keys.NodeKeys;
import org.datacoop.protocol.Address;
import org.datacoop.storage.LocalBlobStore;
import org.datacoop.storage.StorageGateway;
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
            "Runs the local network: a devnet with the contracts and a sample DataDAO.",
            "",
            "Starts anvil on 127.0.0.1 with DataCoop's contracts and a sample DataDAO (id 1), or",
            "connects to any EVM JSON-RPC node with --rpc-url. Prints the RPC URL and each contract's",
            "name and address, one per line, writes them to DIR/deployment.json, and runs until Ctrl-C.",
            "A second run on the same data dir finds the same chain and the same contracts."
        })
final class UpCommand implements Callable<Integer> {
    @Mixin
    private DataDirOption dataDir;

    @Option(names = "--port", paramLabel = "PORT", description = "Devnet RPC port (default: a free one).")
    private int port;

    @Option(names = "--rpc-url", paramLabel = "URL", description = "Use this JSON-RPC node instead of a devnet.")
    private String rpcUrl;

    @Option(
            names = "--private-key",
            paramLabel = "HEX",
            description = "Key that deploys and administers, with --rpc-url (default: $COOP_PRIVATE_KEY).")
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

    @Option(names = "--json", description = "Print the deployment as one JSON object instead of lines.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir.resolve();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (deploy && rpcUrl == null) {
            throw new IllegalArgumentException("--deploy goes with --rpc-url (the devnet deploys by itself)");
        }
        try (DataDirLock lock = DataDirLock.acquire(dir)) {
            Optional<Anvil> anvil = Optional.empty();
            String url = rpcUrl;
            String key = rpcUrl == null ? Anvil.DEV_ACCOUNT_KEY : privateKeyFromOptionOrEnv();
            if (rpcUrl == null) {
                err.println("starting the devnet (anvil) with its state in " + dir + " ...");
                err.flush();
                anvil = Optional.of(Anvil.start(
                        Toolchain.discover(),
                        port,
                        Optional.of(dir.resolve("anvil-state.json")),
                        Optional.of(dir.resolve("anvil.log"))));
                url = anvil.get().rpcUrl();
            }
            CountDownLatch stopped = new CountDownLatch(1);
            anvil.ifPresent(node -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                node.close();
                err.println("stopped; the chain is saved in " + dir);
                err.flush();
                stopped.countDown();
            }, "coop-up-shutdown")));

            try (ChainConnection chain = ChainConnection.open(url, key);
                    StorageGateway storage = StorageGateway.start(
                            new LocalBlobStore(dir.resolve("blobs"), maxBlobBytes), "127.0.0.1", storagePort(dir))) {
                Deployment deployment = deployment(chain, dir, anvil.isPresent(), err)
                        .withService(Deployment.STORAGE_URL, storage.baseUrl());
                deployment.writeTo(dir);
                Optional<Address> validator = anvil.isPresent()
                        ? Optional.of(devnetValidator(chain, deployment, dir, err))
                        : Optional.empty();
                print(deployment, validator, out);
                err.println("ready: Ctrl-C stops " + (anvil.isPresent() ? "the devnet" : "coop up"));
                err.flush();
                stopped.await();
            }
        }
        return 0;
    }

    private Deployment deployment(ChainConnection chain, Path dir, boolean devnet, PrintWriter err) {
        if (Deployment.existsIn(dir) && !deploy) {
            Deployment known = Deployment.readFrom(dir).withRpcUrl(chain.rpcUrl());
            if (known.chainId() != chain.chainId() || known.devnet() != devnet) {
                throw new ChainException(dir.resolve(Deployment.FILE_NAME) + " is for chain " + known.chainId()
                        + (known.devnet() ? " (a devnet)" : "") + ", not this one (chain " + chain.chainId()
                        + "); use another --data-dir");
            }
            if (new DataCoopChain(chain, known).isDeployed()) {
                err.println("found the contracts of " + dir.resolve(Deployment.FILE_NAME));
                return known;
            }
            if (!devnet) {
                throw new ChainException("the contracts in " + dir.resolve(Deployment.FILE_NAME)
                        + " are not on the chain at " + chain.rpcUrl() + "; pass --deploy to deploy them");
            }
            err.println("the devnet state was lost; deploying the contracts again");
        } else if (!devnet && !deploy) {
            throw new ChainException("no deployment in " + dir + " for " + chain.rpcUrl()
                    + "; pass --deploy to deploy the contracts there");
        }
        err.println("deploying DataCoop's contracts as " + chain.account() + " ...");
        return new Deployer(chain, step -> {
                    err.println("  " + step);
                    err.flush();
                })
                .deploy(Deployer.Settings.DEFAULT, devnet);
    }

    private String privateKeyFromOptionOrEnv() {
        String key = privateKey != null ? privateKey : System.getenv("COOP_PRIVATE_KEY");
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("--rpc-url needs a key: pass --private-key or set COOP_PRIVATE_KEY");
        }
        return key;
    }

    /**
     * The storage port: as asked, else the one this data dir served before, since the urls of
     * blobs registered on-chain name it; a free one on a first run.
     */
    private int storagePort(Path dir) {
        if (storagePort != 0 || !Deployment.existsIn(dir)) {
            return storagePort;
        }
        String previous = Deployment.readFrom(dir).services().get(Deployment.STORAGE_URL);
        return previous == null ? 0 : URI.create(previous).getPort();
    }

    /**
     * The devnet's own validator: keys kept in {@code DIR/node}, registered in the pool once and
     * funded for its transactions, so contributions on the devnet are assigned to it at once.
     */
    private static Address devnetValidator(ChainConnection chain, Deployment deployment, Path dir, PrintWriter err) {
        NodeKeys keys = NodeKeys.loadOrCreate(dir.resolve("node"));
        DataCoopChain coop = new DataCoopChain(chain, deployment);
        Address address = keys.wallet().address();
        if (!coop.isRegisteredValidator(address)) {
            coop.registerValidator(keys.descriptor(""));
            chain.sendEther(address, BigDecimal.TEN);
            err.println("registered the devnet validator " + address + " in the TeePool");
        }
        return address;
    }

    private void print(Deployment deployment, Optional<Address> validator, PrintWriter out) {
        if (json) {
            out.println(deployment.toJson());
        } else {
            out.println("rpc-url " + deployment.rpcUrl());
            deployment.services().forEach((name, url) -> out.println(name + " " + url));
            validator.ifPresent(address -> out.println("validator " + address));
            deployment.contracts().forEach((name, address) -> out.println(name + " " + address));
        }
        out.flush();
    }
}
