package org.datacoop.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployer;
import org.datacoop.chain.VanaMoksha;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.chain.devnet.Toolchain;
import org.datacoop.node.ValidatorService;
import org.datacoop.node.job.JobSettings;
import org.datacoop.storage.LocalBlobStore;
import org.datacoop.storage.StorageGateway;
import org.datacoop.web.WebApp;

/**
 * The pieces {@code coop up} and {@code coop demo} run in one process: the chain (a devnet, or a
 * given RPC node), the deployment, the storage gateway, the web app and the validator, started in
 * that order and stopped in reverse.
 */
final class LocalNetwork implements AutoCloseable {
    /**
     * What to start.
     *
     * @param rpcUrl a JSON-RPC node to use instead of a devnet; null for a devnet
     * @param key the deployer's and maintainer's key with {@code rpcUrl}
     * @param deploy with {@code rpcUrl}: deploy there instead of reusing the data dir's deployment
     * @param validator whether to run this data dir's validator in the same process (devnets only:
     *     elsewhere a validator needs its own funded account, and runs as {@code coop node run})
     * @param vanaMoksha whether the devnet stands in for Vana's Moksha testnet ({@link VanaMoksha})
     */
    record Options(int port, String rpcUrl, String key, boolean deploy, int storagePort, long maxBlobBytes,
            boolean validator, int validatorPort, boolean vanaMoksha, int webPort) {
        static Options devnet() {
            return new Options(0, null, null, false, 0, 1L << 30, true, 0, false, 0);
        }
    }

    private final Optional<Anvil> anvil;
    private final ChainConnection chain;
    private final StorageGateway storage;
    private final WebApp web;
    private final Deployment deployment;
    private final Optional<ValidatorService> validator;
    private final Optional<DataDirLock> validatorLock;

    private LocalNetwork(Optional<Anvil> anvil, ChainConnection chain, StorageGateway storage, WebApp web,
            Deployment deployment, Optional<ValidatorService> validator, Optional<DataDirLock> validatorLock) {
        this.anvil = anvil;
        this.chain = chain;
        this.storage = storage;
        this.web = web;
        this.deployment = deployment;
        this.validator = validator;
        this.validatorLock = validatorLock;
    }

    static LocalNetwork start(Path dir, Options options, PrintWriter err) {
        Optional<Anvil> anvil = Optional.empty();
        ChainConnection chain = null;
        StorageGateway storage = null;
        WebApp web = null;
        Optional<DataDirLock> validatorLock = Optional.empty();
        try {
            String url = options.rpcUrl();
            String key = options.rpcUrl() == null ? Anvil.DEV_ACCOUNT_KEY : options.key();
            if (options.rpcUrl() == null) {
                say(err, "starting the devnet (anvil) with its state in " + dir + " ...");
                Path state = dir.resolve("anvil-state.json");
                Anvil.stopOrphan(state); // before the port check: an anvil a killed run left behind holds the port
                anvil = Optional.of(Anvil.start(Toolchain.discover(), rpcPort(dir, options.port()),
                        options.vanaMoksha() ? VanaMoksha.CHAIN_ID : Anvil.CHAIN_ID, Optional.of(state),
                        Optional.of(dir.resolve("anvil.log"))));
                url = anvil.get().rpcUrl();
            }
            chain = ChainConnection.open(url, key);
            // the web app's port first: the gateway admits the page's cross-origin requests by its origin
            web = WebApp.bind("127.0.0.1", keptServicePort(dir, Deployment.WEB_URL, options.webPort(), "--web-port"));
            storage = StorageGateway.start(new LocalBlobStore(dir.resolve("blobs"), options.maxBlobBytes()), "127.0.0.1",
                    keptServicePort(dir, Deployment.STORAGE_URL, options.storagePort(), "--storage-port"),
                    Optional.of(web.url()));
            Deployment deployment = deployment(chain, dir, anvil.isPresent(), options.deploy(), options.vanaMoksha(), err)
                    .withService(Deployment.STORAGE_URL, storage.baseUrl())
                    .withService(Deployment.WEB_URL, web.url());
            deployment.writeTo(dir);
            web.serve(deployment);
            Optional<ValidatorService> validator = Optional.empty();
            if (options.validator() && anvil.isPresent()) {
                say(err, "starting the validator ...");
                validatorLock = Optional.of(DataDirLock.acquire(dir.resolve("node"), "validator"));
                validator = Optional.of(ValidatorService.start(deployment, dir.resolve("node"), JobSettings.DEFAULT,
                        "127.0.0.1", options.validatorPort(), Optional.of(key)));
                say(err, "validator " + validator.get().address() + " answers at " + validator.get().url());
            }
            return new LocalNetwork(anvil, chain, storage, web, deployment, validator, validatorLock);
        } catch (RuntimeException e) {
            validatorLock.ifPresent(DataDirLock::close);
            if (storage != null) {
                storage.close();
            }
            if (web != null) {
                web.close();
            }
            if (chain != null) {
                chain.close();
            }
            anvil.ifPresent(Anvil::close);
            throw e;
        }
    }

    Deployment deployment() {
        return deployment;
    }

    Optional<ValidatorService> validator() {
        return validator;
    }

    boolean devnet() {
        return anvil.isPresent();
    }

    private static Deployment deployment(ChainConnection chain, Path dir, boolean devnet, boolean deploy, boolean vanaMoksha,
            PrintWriter err) {
        if (Deployment.existsIn(dir) && !deploy) {
            Deployment known = Deployment.readFrom(dir).withRpcUrl(chain.rpcUrl());
            if (known.chainId() != chain.chainId() || known.devnet() != devnet) {
                throw new ChainException(dir.resolve(Deployment.FILE_NAME) + " is for chain " + known.chainId()
                        + (known.devnet() ? " (a devnet)" : "") + ", not this one (chain " + chain.chainId() + "); "
                        + (known.chainId() == VanaMoksha.CHAIN_ID && !vanaMoksha
                                ? "it is the Moksha stand-in: pass --vana-moksha again, or use another --data-dir"
                                : "use another --data-dir"));
            }
            if (new DataCoopChain(chain, known).isDeployed()) {
                say(err, "found the contracts of " + dir.resolve(Deployment.FILE_NAME));
                return known;
            }
            if (!devnet) {
                throw new ChainException("the contracts in " + dir.resolve(Deployment.FILE_NAME)
                        + " are not on the chain at " + chain.rpcUrl() + "; pass --deploy to deploy them");
            }
            say(err, "the devnet state was lost; deploying the contracts again");
        } else if (!devnet && !deploy) {
            throw new ChainException("no deployment in " + dir + " for " + chain.rpcUrl()
                    + "; pass --deploy to deploy the contracts there");
        }
        say(err, "deploying DataCoop's contracts as " + chain.account() + " ...");
        Deployer deployer = new Deployer(chain, step -> say(err, "  " + step));
        if (vanaMoksha) {
            return deployer.deploy(Deployer.Settings.DEFAULT, devnet,
                    core -> VanaMoksha.relocate(chain.rpcUrl(), chain.chainId(), core));
        }
        return deployer.deploy(Deployer.Settings.DEFAULT, devnet);
    }

    /**
     * The devnet's RPC port: as asked, else the one this data dir's devnet had before, so that the
     * rpc-url a user configured (cast, a wallet, the README's example) survives a restart; a free
     * one on a first run.
     */
    private static int rpcPort(Path dir, int asked) {
        if (asked != 0 || !Deployment.existsIn(dir)) {
            return asked;
        }
        Deployment previous = Deployment.readFrom(dir);
        return previous.devnet() ? keptPort(URI.create(previous.rpcUrl()).getPort(), "the devnet's rpc-url", "--port") : 0;
    }

    /**
     * A service's port: as asked, else the one this data dir served it on before (the urls of blobs
     * registered on-chain name the storage port; a bookmarked web app names its own); a free one on a
     * first run.
     */
    private static int keptServicePort(Path dir, String service, int asked, String option) {
        if (asked != 0 || !Deployment.existsIn(dir)) {
            return asked;
        }
        String previous = Deployment.readFrom(dir).services().get(service);
        return previous == null ? 0 : keptPort(URI.create(previous).getPort(), "the " + service, option);
    }

    /**
     * {@code port}, which this data dir used before, once it is known to be free: taken, it would
     * otherwise fail deep inside anvil or the HTTP server with a message that names neither the
     * port's history nor the way out.
     */
    private static int keptPort(int port, String whatNamesIt, String option) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress("127.0.0.1", port));
            return port;
        } catch (IOException e) {
            throw new UncheckedIOException("port " + port + " is taken: this data dir used it for " + whatNamesIt
                    + " and keeps it across restarts; stop what listens there, or pass " + option
                    + " PORT to use another", e);
        }
    }

    private static void say(PrintWriter err, String line) {
        err.println(line);
        err.flush();
    }

    @Override
    public void close() {
        validator.ifPresent(ValidatorService::close);
        validatorLock.ifPresent(DataDirLock::close);
        web.close();
        storage.close();
        chain.close();
        anvil.ifPresent(Anvil::close);
    }
}
