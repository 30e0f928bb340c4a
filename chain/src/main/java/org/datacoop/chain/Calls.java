package org.datacoop.chain;

import java.io.IOException;
import java.util.List;
import org.datacoop.protocol.IoFailures;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/** Runs web3j calls, whose {@code send()} declares {@code Exception}, as one named failure. */
final class Calls {
    private Calls() {}

    static <T> T send(String what, RemoteCall<T> call) {
        try {
            return call.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException(what + " was interrupted", e);
        } catch (Exception e) {
            throw new ChainException(what + " failed: " + IoFailures.describe(e), e);
        }
    }

    /** The logs {@code filter} matches, oldest first. */
    static List<Log> logs(ChainConnection chain, EthFilter filter, String what) {
        try {
            EthLog response = chain.web3j().ethGetLogs(filter).send();
            // An RPC node refusing the range (too many results, say) answers an error and no logs.
            if (response.hasError()) {
                throw new ChainException(what + " failed: the node answered " + response.getError().getMessage());
            }
            return response.getLogs().stream().map(result -> (Log) result.get()).toList();
        } catch (IOException e) {
            throw new ChainException(what + " failed: " + IoFailures.describe(e), e);
        }
    }
}
