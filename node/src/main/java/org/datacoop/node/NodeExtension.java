package org.datacoop.node;

import java.nio.file.Path;
import java.util.ServiceLoader;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployment;
import org.datacoop.node.api.NodeApi;
import org.datacoop.node.enclave.Enclave;
import org.datacoop.node.job.JobSettings;
import org.datacoop.node.program.ProgramSandbox;
import org.datacoop.node.query.QueryService;
import org.datacoop.storage.HttpBlobStore;

/**
 * A capability that runs inside a validator beside its jobs, found on the class path
 * ({@link ServiceLoader}): the compute worker is one. It lives in a module of its own that depends on
 * the node, so the node does not grow with every capability and does not depend on them.
 */
public interface NodeExtension {
    /** What a running validator shares with its extensions; {@code api} takes the endpoints they add. */
    record Context(Deployment deployment, Path dir, Enclave enclave, ChainConnection connection, DataCoopChain chain,
            QueryService queries, HttpBlobStore storage, ProgramSandbox sandbox, JobSettings settings, Object chainWrites,
            NodeApi api) {}

    /** Starts the extension for a validator that has started; closed before the validator closes. */
    AutoCloseable start(Context context);
}
