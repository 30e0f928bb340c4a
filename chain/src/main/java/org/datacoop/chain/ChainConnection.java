package org.datacoop.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.IoFailures;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.Transfer;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.DynamicEIP1559GasProvider;
import org.web3j.utils.Convert;
import org.web3j.utils.Numeric;

/**
 * A signing connection to one JSON-RPC node: the node, the account that signs, its chain id, and
 * how transactions are priced, numbered ({@link OrderedTransactions}: callers may send in parallel)
 * and awaited ({@link ReceiptPoller}: one poller for all of them). Only this package sees the web3j types inside it.
 */
public final class ChainConnection implements AutoCloseable {
    private static final Duration RECEIPT_POLL = Duration.ofMillis(10);
    private static final Duration RECEIPT_TIMEOUT = Duration.ofMinutes(2);
    private static final BigInteger GAS_MARGIN_PERCENT = BigInteger.valueOf(125);
    private static final BigInteger ONE_HUNDRED = BigInteger.valueOf(100);

    private final String rpcUrl;
    private final Web3j web3j;
    private final Credentials credentials;
    private final long chainId;
    private final ReceiptPoller receipts;
    private final TransactionManager transactions;
    private final ContractGasProvider gas;

    private ChainConnection(String rpcUrl, Web3j web3j, Credentials credentials, long chainId) {
        this.rpcUrl = rpcUrl;
        this.web3j = web3j;
        this.credentials = credentials;
        this.chainId = chainId;
        this.receipts = new ReceiptPoller(web3j, RECEIPT_POLL, RECEIPT_TIMEOUT);
        this.transactions = new OrderedTransactions(web3j, credentials, chainId, receipts);
        this.gas = new Eip1559Gas(web3j, chainId);
    }

    /** web3j's EIP-1559 pricing, with a margin on the gas limit and a fee cap that always covers the tip. */
    private static final class Eip1559Gas extends DynamicEIP1559GasProvider {
        private final Web3j web3j;
        /** The tip this thread's transaction was just given: web3j asks for the tip, then for the cap. */
        private final ThreadLocal<BigInteger> tip = new ThreadLocal<>();

        Eip1559Gas(Web3j web3j, long chainId) {
            super(web3j, chainId);
            this.web3j = web3j;
        }

        /**
         * A margin over the estimate: it is made against the latest state, and a transaction sent in
         * parallel may change that state before this one runs (a validation fee credited to a balance
         * just claimed to zero writes a fresh storage slot). Unused gas is not paid for.
         */
        @Override
        public BigInteger getGasLimit(Transaction transaction) {
            EthEstimateGas estimate;
            try {
                estimate = web3j.ethEstimateGas(transaction).send();
            } catch (IOException e) {
                throw new ChainException("estimating a transaction's gas failed: " + IoFailures.describe(e), e);
            }
            if (estimate.hasError()) {
                // A refusal, named: web3j's own estimate drops the revert data.
                throw new ChainException(Reverts.describe(estimate.getError()));
            }
            return estimate.getAmountUsed().multiply(GAS_MARGIN_PERCENT).divide(ONE_HUNDRED);
        }

        @Override
        public BigInteger getMaxPriorityFeePerGas() {
            BigInteger given = super.getMaxPriorityFeePerGas();
            tip.set(given);
            return given;
        }

        /**
         * Twice the base fee plus the tip this transaction was given. web3j's own cap adds a tip read
         * anew, and in a burst the node's suggestion can rise between the two reads: a cap below the
         * tip is refused ("max priority fee per gas higher than max fee per gas").
         */
        @Override
        public BigInteger getMaxFeePerGas() {
            BigInteger given = tip.get();
            tip.remove();
            if (given == null) {
                return super.getMaxFeePerGas();
            }
            try {
                BigInteger baseFee = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock()
                        .getBaseFeePerGas();
                return baseFee.shiftLeft(1).add(given);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the base fee of the latest block", e);
            }
        }
    }

    /**
     * Connects to {@code rpcUrl} and signs with {@code privateKeyHex}.
     *
     * @throws ChainException if the key is malformed or the node does not answer
     */
    public static ChainConnection open(String rpcUrl, String privateKeyHex) {
        return open(rpcUrl, Wallet.fromPrivateKey(privateKeyHex));
    }

    /** Connects to {@code rpcUrl} and signs with {@code wallet}. */
    public static ChainConnection open(String rpcUrl, Wallet wallet) {
        Credentials credentials = wallet.credentials();
        Web3j web3j = Web3j.build(new HttpService(rpcUrl));
        try {
            long chainId = web3j.ethChainId().send().getChainId().longValueExact();
            return new ChainConnection(rpcUrl, web3j, credentials, chainId);
        } catch (IOException | RuntimeException e) {
            web3j.shutdown();
            throw new ChainException("no JSON-RPC node answers at " + rpcUrl + ": " + IoFailures.describe(e), e);
        }
    }

    static Credentials credentials(String privateKeyHex) {
        if (privateKeyHex == null || privateKeyHex.isBlank()) {
            throw new ChainException("no private key given (use --private-key or COOP_PRIVATE_KEY)");
        }
        String hex = Numeric.cleanHexPrefix(privateKeyHex.strip());
        if (!hex.matches("[0-9a-fA-F]{64}")) {
            throw new ChainException("the private key is not 32 bytes of hex");
        }
        return Credentials.create(hex);
    }

    public String rpcUrl() {
        return rpcUrl;
    }

    public long chainId() {
        return chainId;
    }

    /** The newest block number. */
    public long blockNumber() {
        try {
            return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
        } catch (IOException e) {
            throw new ChainException("reading the block number from " + rpcUrl() + " failed: " + IoFailures.describe(e), e);
        }
    }

    public Address account() {
        return Address.of(credentials.getAddress());
    }

    /** The wei balance of {@code account} at the latest block. */
    public BigInteger balance(Address account) {
        try {
            return web3j.ethGetBalance(account.value(), DefaultBlockParameterName.LATEST).send().getBalance();
        } catch (IOException e) {
            throw new ChainException("could not read the balance of " + account + " from " + rpcUrl, e);
        }
    }

    /** Whether a contract is deployed at {@code contract}. */
    public boolean hasCode(Address contract) {
        try {
            String code = web3j.ethGetCode(contract.value(), DefaultBlockParameterName.LATEST).send().getCode();
            return code != null && !code.equals("0x") && !code.isEmpty();
        } catch (IOException e) {
            throw new ChainException("could not read the code at " + contract + " from " + rpcUrl, e);
        }
    }

    /**
     * Sends {@code ether} from this connection's account to {@code to} and waits for the receipt.
     *
     * @return the transaction hash
     */
    public String sendEther(Address to, BigDecimal ether) {
        TransactionReceipt receipt = Calls.send(
                "sending " + ether.toPlainString() + " ETH to " + to,
                new Transfer(web3j, transactions).sendFunds(to.value(), ether, Convert.Unit.ETHER));
        return receipt.getTransactionHash();
    }

    Web3j web3j() {
        return web3j;
    }

    TransactionManager transactions() {
        return transactions;
    }

    ContractGasProvider gas() {
        return gas;
    }

    @Override
    public void close() {
        receipts.close();
        web3j.shutdown();
    }
}
