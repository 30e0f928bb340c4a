package org.datacoop.chain;

import java.io.IOException;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.TransactionReceiptProcessor;

/**
 * Signs and sends one account's transactions with nonces it assigns itself, so parallel callers of
 * one connection need no lock of their own: only assigning the nonce and sending are serialised,
 * and each caller awaits its receipt (web3j's receipt processor) outside that. The counter starts
 * from the node's pending transaction count; a send that fails (or that the node refuses) leaves no
 * gap, since the next send reads the pending count again. A nonce another sender of the same key
 * took first is refused by the node as too low; that send is tried once more with a fresh count.
 */
final class OrderedTransactions extends RawTransactionManager {
    private final Object sending = new Object();
    /** The next nonce to use; null when it must be read from the node (at first, and after a failed send). */
    private BigInteger next;

    OrderedTransactions(Web3j web3j, Credentials credentials, long chainId, TransactionReceiptProcessor receipts) {
        super(web3j, credentials, chainId, receipts);
    }

    /** Called by the sends below, with {@link #sending} held. */
    @Override
    protected BigInteger getNonce() throws IOException {
        if (next == null) {
            next = super.getNonce(); // eth_getTransactionCount(pending)
        }
        return next;
    }

    @Override
    public EthSendTransaction sendTransaction(BigInteger gasPrice, BigInteger gasLimit, String to, String data,
            BigInteger value, boolean constructor) throws IOException {
        return inOrder(() -> super.sendTransaction(gasPrice, gasLimit, to, data, value, constructor));
    }

    @Override
    public EthSendTransaction sendEIP1559Transaction(long chainId, BigInteger maxPriorityFeePerGas, BigInteger maxFeePerGas,
            BigInteger gasLimit, String to, String data, BigInteger value, boolean constructor) throws IOException {
        return inOrder(() -> super.sendEIP1559Transaction(chainId, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, data,
                value, constructor));
    }

    private interface Send {
        EthSendTransaction send() throws IOException;
    }

    private EthSendTransaction inOrder(Send send) throws IOException {
        synchronized (sending) {
            for (int attempt = 1; ; attempt++) {
                EthSendTransaction response;
                try {
                    response = send.send();
                } catch (IOException | RuntimeException e) {
                    next = null; // it may or may not have reached the node: the pending count tells
                    throw e;
                }
                if (!response.hasError()) {
                    next = next.add(BigInteger.ONE);
                    return response;
                }
                next = null;
                if (attempt > 1 || !isNonceTaken(response)) {
                    return response; // web3j turns the node's error into the caller's exception
                }
            }
        }
    }

    private static boolean isNonceTaken(EthSendTransaction response) {
        String message = String.valueOf(response.getError().getMessage()).toLowerCase();
        return message.contains("nonce too low") || message.contains("already known");
    }
}
