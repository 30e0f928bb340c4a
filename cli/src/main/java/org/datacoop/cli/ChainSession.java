package org.datacoop.cli;

import java.nio.file.Path;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.CommitmentsChain;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.DatChain;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.ReadsClaims;
import org.datacoop.chain.Wallet;
import org.datacoop.storage.HttpBlobStore;

/** The contracts of a data dir's deployment, for one command, signing as a wallet or only reading. */
public record ChainSession(ChainConnection connection, DataCoopChain chain) implements AutoCloseable {
    /** A fixed key for reading: a random one costs every read-only command ~0.3 s at start-up. */
    private static final Wallet READER = Wallet.fromPrivateKey("0x" + "0".repeat(63) + "1");

    /** Refinement, permissions and payments on the same connection. */
    public QueryChain queries() {
        return new QueryChain(connection, chain.deployment());
    }

    /** Data Anchoring Tokens on the same connection. */
    public DatChain dats() {
        return new DatChain(connection, chain.deployment());
    }

    /** Finds and claims shares of paid queries through the leaves documents the services published. */
    public ReadsClaims readsClaims() {
        return new ReadsClaims(chain, queries(), dats(), HttpBlobStore::fetchBytes);
    }

    public static ChainSession open(Path dataDir, Wallet wallet) {
        Deployment deployment = Deployment.readFrom(dataDir);
        ChainConnection connection = ChainConnection.open(deployment.rpcUrl(), wallet);
        try {
            return new ChainSession(connection, new DataCoopChain(connection, deployment));
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** For reading only: it signs nothing, so any key will do. */
    public static ChainSession readOnly(Path dataDir) {
        return open(dataDir, READER);
    }

    /** Commitments to refined data and the claims proved about them, on the same connection. */
    public CommitmentsChain commitments() {
        return CommitmentsChain.required(connection, chain.deployment());
    }

    /** Compute tasks on the same connection. */
    public ComputeChain compute() {
        return new ComputeChain(connection, chain.deployment());
    }

    @Override
    public void close() {
        connection.close();
    }
}
