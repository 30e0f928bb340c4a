package org.datacoop.cli.compute;

import org.datacoop.chain.Deployment;
import org.datacoop.chain.Wallet;
import org.datacoop.cli.ChainSession;
import org.datacoop.sdk.compute.ComputeClient;
import org.datacoop.storage.HttpBlobStore;

/** The {@link ComputeClient} of a command's session: the deployment's storage gateway for specs, outputs and leaves. */
final class Clients {
    private Clients() {}

    static ComputeClient compute(ChainSession session, Wallet wallet) {
        HttpBlobStore storage = new HttpBlobStore(session.chain().deployment().service(Deployment.STORAGE_URL));
        return new ComputeClient(session.chain(), session.queries(), session.compute(), wallet, storage,
                HttpBlobStore::fetchBytes);
    }

    /** For commands that only read the chain and storage: without a wallet, it cannot submit or decrypt. */
    static ComputeClient reader(ChainSession session) {
        return compute(session, null);
    }
}
