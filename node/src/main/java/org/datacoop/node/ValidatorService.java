package org.datacoop.node;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.CommitmentsChain;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.node.api.NodeApi;
import org.datacoop.node.api.NodeServer;
import org.datacoop.node.enclave.Enclave;
import org.datacoop.node.enclave.SoftwareEnclave;
import org.datacoop.node.job.JobSettings;
import org.datacoop.node.job.ValidatorNode;
import org.datacoop.node.program.ProgramSandbox;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Validator;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.slf4j.LoggerFactory;

/**
 * A whole validator: the software enclave with its keys in the node dir, its HTTP API, its place in
 * the TeePool (registered with its url and public keys, the url kept current), and the job engine.
 */
public final class ValidatorService implements AutoCloseable {
    private final ChainConnection connection;
    private final NodeServer server;
    private final ValidatorNode node;
    private final List<AutoCloseable> extensions;

    private ValidatorService(ChainConnection connection, NodeServer server, ValidatorNode node,
            List<AutoCloseable> extensions) {
        this.connection = connection;
        this.server = server;
        this.node = node;
        this.extensions = extensions;
    }

    /**
     * Starts a validator for {@code deployment} with its state in {@code dir}.
     *
     * @param maintainerKey a key holding the TeePool's maintainer role, to register this validator
     *     (and fund it, on a devnet) when it is not yet registered; without one an unregistered
     *     validator stops with what a maintainer needs to register it
     */
    public static ValidatorService start(Deployment deployment, Path dir, JobSettings settings, String host, int port,
            Optional<String> maintainerKey) {
        ProgramSandbox sandbox = ProgramSandbox.choose(dir, settings.unsafeNoSandbox());
        Enclave enclave = SoftwareEnclave.open(dir, sandbox.area());
        NodeServer server = NodeServer.bind(host, port); // first: a port in use is refused before anything else
        ChainConnection connection = null;
        try {
            connection = ChainConnection.open(deployment.rpcUrl(), enclave.identity());
            requireDevnetForDishonesty(settings, connection.chainId());
            DataCoopChain chain = new DataCoopChain(connection, deployment);
            register(chain, enclave.descriptor(server.url()), deployment, maintainerKey);
            QueryChain queries = new QueryChain(connection, deployment);
            maintainerKey.ifPresent(key -> trustForSampleDataDao(deployment, key, queries, enclave.identity().address()));
            ValidatorNode node = new ValidatorNode(chain, queries, enclave, dir, settings, server.url(), sandbox,
                    CommitmentsChain.of(connection, deployment));
            NodeApi api = new NodeApi(node);
            server.serve(api, deployment.findService(Deployment.WEB_URL));
            node.start();
            List<AutoCloseable> extensions = new ArrayList<>();
            NodeExtension.Context context = new NodeExtension.Context(deployment, dir, enclave, connection, chain,
                    node.queries(), node.storage(), sandbox, settings, node.chainWrites(), api);
            try {
                for (NodeExtension extension : ServiceLoader.load(NodeExtension.class)) {
                    extensions.add(extension.start(context));
                }
            } catch (RuntimeException e) {
                closeAll(extensions);
                node.close();
                throw e;
            }
            return new ValidatorService(connection, server, node, extensions);
        } catch (RuntimeException e) {
            server.close();
            if (connection != null) {
                connection.close();
            }
            throw e;
        }
    }

    /**
     * A node that lies on purpose exists for end-to-end tests of OP disputes: it is refused, by name, on
     * any chain but the devnet's, as the chain itself answers (a deployment file could say anything).
     */
    static void requireDevnetForDishonesty(JobSettings settings, long chainId) {
        if (settings.dishonestOpStep().isPresent() && chainId != Anvil.CHAIN_ID) {
            throw new IllegalArgumentException("--dishonest-op-step is for tests on the devnet (chain " + Anvil.CHAIN_ID
                    + ") only; this chain is " + chainId);
        }
    }

    private static void register(DataCoopChain chain, Validator self, Deployment deployment, Optional<String> maintainerKey) {
        Address address = self.address();
        Optional<Validator> known = chain.findValidator(address);
        if (known.isEmpty() || !known.get().active()) {
            String key = maintainerKey.orElseThrow(() -> new ChainException("validator " + address
                    + (known.isEmpty() ? " is not registered in the TeePool" : " was removed from the TeePool")
                    + "; a maintainer registers it with url " + self.url()
                    + ", secp256k1 key 0x" + HexFormat.of().formatHex(self.secp256k1PublicKey())
                    + " and RSA key\n" + KeyWrapping.toPem(KeyWrapping.rsaPublicKeyFromDer(self.rsaPublicKey()))));
            try (ChainConnection maintainer = ChainConnection.open(deployment.rpcUrl(), key)) {
                new DataCoopChain(maintainer, deployment).registerValidator(self);
                if (deployment.devnet() && maintainer.balance(address).signum() == 0) {
                    maintainer.sendEther(address, BigDecimal.TEN); // gas for its proofs
                }
            }
            return;
        }
        Validator registered = known.get();
        if (!registered.url().equals(self.url())) {
            chain.updateValidatorUrl(self.url());
        }
        // Keys made anew (a lost key file) are published, or contributors would wrap to keys it cannot open.
        if (!Arrays.equals(registered.rsaPublicKey(), self.rsaPublicKey())
                || !Arrays.equals(registered.secp256k1PublicKey(), self.secp256k1PublicKey())) {
            chain.updateValidatorKeys(self.rsaPublicKey(), self.secp256k1PublicKey());
        }
    }

    /**
     * Makes this node the refinement and query service of the deployment's sample DataDAO when the
     * maintainer key owns it (as on a devnet), so validated files are refined and can be queried.
     */
    private static void trustForSampleDataDao(Deployment deployment, String maintainerKey, QueryChain queries,
            Address self) {
        long dlpId = deployment.sampleDlpId();
        if (queries.isRefinementService(dlpId, self)) {
            return;
        }
        try (ChainConnection maintainer = ChainConnection.open(deployment.rpcUrl(), maintainerKey)) {
            QueryChain asMaintainer = new QueryChain(maintainer, deployment);
            if (asMaintainer.dataDaoOwner(dlpId).equals(maintainer.account())) {
                asMaintainer.addRefinementService(dlpId, self);
            }
        }
    }

    public Address address() {
        return node.address();
    }

    /** The validator's own chain connection, signing with its enclave's key: what its operator's chain actions use. */
    public ChainConnection connection() {
        return connection;
    }

    /** Where the validator's API answers. */
    public String url() {
        return server.url();
    }

    public ValidatorNode node() {
        return node;
    }

    @Override
    public void close() {
        closeAll(extensions);
        node.close();
        server.close();
        connection.close();
    }

    /** Closes extensions, the last started first; one failing to close does not keep the rest open. */
    private static void closeAll(List<AutoCloseable> extensions) {
        for (AutoCloseable extension : extensions.reversed()) {
            try {
                extension.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(ValidatorService.class).warn("closing {} failed: {}", extension, e.toString());
            }
        }
    }
}
