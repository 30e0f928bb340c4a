package org.datacoop.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import org.datacoop.chain.QueryChain;
import org.datacoop.protocol.Address;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coop deposit withdraw}: what is left of a query deposit, paid back to the wallet. */
@Command(
        name = "withdraw",
        mixinStandardHelpOptions = true,
        description = {
            "Pays back to the wallet what it deposited in the QueryEngine for queries and has not spent.",
            "",
            "--amount of it, or --all. A deposit short of the amount is refused before any transaction."
        })
final class DepositWithdrawCommand extends SigningCommand {
    static final class Amount {
        @Option(names = "--amount", required = true, paramLabel = "ETH",
                description = "How much, in ether (or whole tokens with --token).")
        BigDecimal amount;

        @Option(names = "--all", required = true, description = "The whole deposit.")
        boolean all;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Amount amount;

    @Option(names = "--token", paramLabel = "ADDRESS", description = "The ERC-20 deposited (default: ether).")
    private String token;

    @Override
    public Integer call() {
        BigInteger asked = amount.all ? null : Ether.toWei(amount.amount, "--amount");
        if (asked != null && asked.signum() == 0) {
            throw new IllegalArgumentException("--amount must be more than 0");
        }
        Address currency = token == null ? Address.ZERO : Address.of(token);
        String unit = token == null ? " ETH" : " of token " + currency;
        var signer = signer();
        BigInteger withdrawn;
        BigInteger left;
        String tx;
        try (ChainSession session = session(signer)) {
            QueryChain queries = session.queries();
            BigInteger deposit = queries.deposits(currency, signer.address());
            if (deposit.signum() == 0) {
                throw new IllegalArgumentException(signer.address() + " has no deposit" + unit + " to withdraw");
            }
            withdrawn = asked == null ? deposit : asked;
            if (withdrawn.compareTo(deposit) > 0) {
                throw new IllegalArgumentException(signer.address() + " has " + Outcomes.tokens(deposit) + unit
                        + " deposited, less than the " + Outcomes.tokens(withdrawn) + " asked for");
            }
            tx = queries.withdrawDeposit(currency, withdrawn);
            left = queries.deposits(currency, signer.address());
        }
        PrintWriter out = out();
        if (asJson()) {
            out.println(Json.write(Json.object().put("token", currency.value()).put("withdrawn", Outcomes.tokens(withdrawn))
                    .put("left", Outcomes.tokens(left)).put("txHash", tx)));
        } else {
            out.println("withdrew " + Outcomes.tokens(withdrawn) + unit + ", " + Outcomes.tokens(left) + " left (transaction "
                    + tx + ")");
        }
        return 0;
    }
}
