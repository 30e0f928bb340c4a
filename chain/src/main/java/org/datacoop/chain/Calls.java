package org.datacoop.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.datacoop.protocol.IoFailures;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Runs web3j calls, whose {@code send()} declares {@code Exception}, as one named failure; reads
 * event logs in bounded block ranges.
 */
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

    /**
     * Calls view {@code function} of {@code contract} (no transaction) and decodes its outputs; a revert
     * fails naming the contract's error, which web3j's generated calls garble.
     */
    @SuppressWarnings("rawtypes")
    static List<Type> view(ChainConnection chain, String contract, Function function, String what) {
        EthCall call;
        try {
            call = chain.web3j().ethCall(Transaction.createEthCallTransaction(chain.account().value(), contract,
                    FunctionEncoder.encode(function)), DefaultBlockParameterName.LATEST).send();
        } catch (IOException e) {
            throw new ChainException(what + " failed: " + IoFailures.describe(e), e);
        }
        if (call.hasError()) {
            throw new ChainException(what + " failed: " + Reverts.describe(call.getError()));
        }
        return FunctionReturnDecoder.decode(call.getValue(), function.getOutputParameters());
    }

    /**
     * The logs of {@code contract} in blocks {@code fromBlock..toBlock} that the topics {@code topics}
     * adds select, oldest first, read {@link BlockRange#MAX_BLOCKS} blocks per call.
     */
    static List<Log> logs(ChainConnection chain, String contract, long fromBlock, long toBlock, Consumer<EthFilter> topics,
            String what) {
        return logs(chain, contract, fromBlock, toBlock, BlockRange.MAX_BLOCKS, topics, what);
    }

    /** As {@link #logs(ChainConnection, String, long, long, Consumer, String)}, {@code maxBlocks} blocks per call. */
    static List<Log> logs(ChainConnection chain, String contract, long fromBlock, long toBlock, long maxBlocks,
            Consumer<EthFilter> topics, String what) {
        List<Log> logs = new ArrayList<>();
        for (BlockRange range : BlockRange.split(fromBlock, toBlock, maxBlocks)) {
            EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(range.from())),
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(range.to())), contract);
            topics.accept(filter);
            logs.addAll(logs(chain, filter, what + " in blocks " + range.from() + ".." + range.to()));
        }
        return logs;
    }

    private static List<Log> logs(ChainConnection chain, EthFilter filter, String what) {
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
