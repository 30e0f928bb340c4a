package org.datacoop.chain;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.response.TransactionReceiptProcessor;

/**
 * Awaits the receipts of one connection's transactions with a single poller for all of them: one
 * request per poll however many callers wait (a JSON-RPC batch of {@code eth_getTransactionReceipt}),
 * where web3j's polling processor has each waiting thread poll the node on its own. A validator with
 * many proofs in flight otherwise spends the RPC node's time on receipt polls. The poller runs only
 * while someone waits.
 */
final class ReceiptPoller extends TransactionReceiptProcessor {
    private final Web3j web3j;
    private final Duration every;
    private final Duration timeout;
    private final Map<String, CompletableFuture<TransactionReceipt>> waiting = new ConcurrentHashMap<>();
    /** The polling thread while there is one; guarded by {@code this}. */
    private Thread poller;
    private boolean closed;

    ReceiptPoller(Web3j web3j, Duration every, Duration timeout) {
        super(web3j);
        this.web3j = web3j;
        this.every = every;
        this.timeout = timeout;
    }

    @Override
    public TransactionReceipt waitForTransactionReceipt(String txHash) throws IOException, TransactionException {
        CompletableFuture<TransactionReceipt> receipt = waiting.computeIfAbsent(txHash, hash -> new CompletableFuture<>());
        try {
            startPolling();
            return receipt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TransactionException("no receipt for transaction " + txHash + " within " + timeout.toSeconds() + " s",
                    txHash);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while awaiting the receipt of " + txHash, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            waiting.remove(txHash);
        }
    }

    private synchronized void startPolling() {
        if (closed) {
            throw new IllegalStateException("the connection is closed");
        }
        if (poller == null) {
            poller = Thread.ofPlatform().name("receipt-poller").daemon().start(this::poll);
        }
    }

    /** Polls while anyone waits; the last one out ends the thread (a new wait starts another). */
    private void poll() {
        try {
            while (true) {
                synchronized (this) {
                    if (waiting.isEmpty() || closed) {
                        poller = null;
                        return;
                    }
                }
                pollOnce(List.copyOf(waiting.keySet()));
                Thread.sleep(every.toMillis());
            }
        } catch (InterruptedException e) {
            synchronized (this) {
                poller = null;
            }
        }
    }

    private void pollOnce(List<String> hashes) {
        try {
            if (hashes.size() == 1) {
                complete(hashes.get(0), web3j.ethGetTransactionReceipt(hashes.get(0)).send());
                return;
            }
            BatchRequest batch = web3j.newBatch();
            hashes.forEach(hash -> batch.add(web3j.ethGetTransactionReceipt(hash)));
            List<? extends Response<?>> responses = batch.send().getResponses();
            for (int i = 0; i < responses.size(); i++) {
                complete(hashes.get(i), (EthGetTransactionReceipt) responses.get(i));
            }
        } catch (IOException e) {
            // The node is unreachable: every waiter learns it, as each would polling on its own.
            hashes.forEach(hash -> {
                CompletableFuture<TransactionReceipt> receipt = waiting.get(hash);
                if (receipt != null) {
                    receipt.completeExceptionally(e);
                }
            });
        }
    }

    private void complete(String hash, EthGetTransactionReceipt response) throws IOException {
        if (response.hasError()) {
            throw new IOException("the node refused to give the receipt of " + hash + ": " + response.getError().getMessage());
        }
        response.getTransactionReceipt().ifPresent(receipt -> {
            CompletableFuture<TransactionReceipt> waiter = waiting.get(hash);
            if (waiter != null) {
                waiter.complete(receipt);
            }
        });
    }

    /** Stops polling; waiters left get no receipt. */
    synchronized void close() {
        closed = true;
        if (poller != null) {
            poller.interrupt();
        }
    }
}
