package org.datacoop.chain;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.IoFailures;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.Transfer;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.DynamicEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Convert;
import org.web3j.utils.Numeric;

/**
 * A signing connection to one JSON-RPC node: the node, the account that signs, its chain id, and
 * how transactions are priced, numbered ({@link OrderedTransactions}: callers may send in parallel)
 * and awaited. Only this package sees the web3j types inside it.
 */
public final class ChainConnection implements AutoCloseable {
    private static final long RECEIPT_POLL_MILLIS = 10;
    private static final int RECEIPT_POLL_ATTEMPTS = 12_000;
    private static final BigInteger GAS_MARGIN_PERCENT = BigInteger.valueOf(125);
    private static final BigInteger ONE_HUNDRED = BigInteger.valueOf(100);

    private final String rpcUrl;
    private final Web3j web3j;
    private final Credentials credentials;
    private final long chainId;
    private final TransactionManager transactions;
    private final ContractGasProvider gas;

    private ChainConnection(String rpcUrl, Web3j web3j, Credentials credentials, long chainId) {
        this.rpcUrl = rpcUrl;
        this.web3j = web3j;
        this.credentials = credentials;
        this.chainId = chainId;
        this.transactions = new OrderedTransactions(
                web3j,
                credentials,
                chainId,
                new PollingTransactionReceiptProcessor(web3j, RECEIPT_POLL_MILLIS, RECEIPT_POLL_ATTEMPTS));
        this.gas = new DynamicEIP1559GasProvider(web3j, chainId) {
            /**
             * A margin over the estimate: it is made against the latest state, and a transaction sent in
             * parallel may change that state before this one runs (a validation fee credited to a balance
             * just claimed to zero writes a fresh storage slot). Unused gas is not paid for.
             */
            @Override
            public BigInteger getGasLimit(Transaction transaction) {
                return super.getGasLimit(transaction).multiply(GAS_MARGIN_PERCENT).divide(ONE_HUNDRED);
            }
        };
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
        web3j.shutdown();
    }
}
