package org.datacoop.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.protocol.Address;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop faucet ADDRESS}: funds a wallet on the devnet that {@code coop up} runs. */
@Command(
        name = "faucet",
        mixinStandardHelpOptions = true,
        description = "Sends devnet ETH to ADDRESS from the devnet's funded account (devnets only).")
final class FaucetCommand extends ChainCommand {
    private static final BigDecimal MAX_ETHER = BigDecimal.valueOf(1000);

    @Parameters(paramLabel = "ADDRESS", description = "The wallet to fund (0x followed by 40 hex digits).")
    private String address;

    @Option(names = "--amount", paramLabel = "ETH", description = "How much ETH to send (default: 10, at most 1000).")
    private BigDecimal amount = BigDecimal.TEN;

    @Override
    public Integer call() throws Exception {
        Address to = Address.of(address);
        if (amount.signum() <= 0 || amount.compareTo(MAX_ETHER) > 0) {
            throw new IllegalArgumentException("--amount must be more than 0 and at most " + MAX_ETHER + " ETH");
        }
        Deployment deployment = Deployment.readFrom(dir());
        if (!deployment.devnet()) {
            throw new ChainException("the faucet only funds devnet wallets; this data dir is for chain "
                    + deployment.chainId() + " at " + deployment.rpcUrl());
        }
        String txHash;
        BigInteger balance;
        try (ChainConnection chain = ChainConnection.open(deployment.rpcUrl(), Anvil.DEV_ACCOUNT_KEY)) {
            txHash = chain.sendEther(to, amount);
            balance = chain.balance(to);
        } catch (ChainException e) {
            throw new ChainException(e.getMessage() + " (is `coop up` running on this data dir?)", e);
        }
        PrintWriter out = out();
        if (asJson()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("address", to.value());
            result.put("amountEth", amount.toPlainString());
            result.put("txHash", txHash);
            result.put("balanceWei", balance.toString());
            out.println(Json.write(result));
        } else {
            out.println("sent " + amount.toPlainString() + " ETH to " + to + " in transaction " + txHash);
            out.println("balance of " + to + ": " + new BigDecimal(balance, 18).stripTrailingZeros().toPlainString()
                    + " ETH");
        }
        return 0;
    }
}
