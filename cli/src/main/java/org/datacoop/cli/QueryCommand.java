package org.datacoop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.ReadsClaims;
import org.datacoop.sdk.query.QueryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code coop query "SQL" --dlp ID}: paid SQL over a DataDAO's refined tables. */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description = {
            "Runs SQL over a DataDAO's refined tables on its query service, paid from the wallet's deposit.",
            "",
            "The deposit is the wallet's in the QueryEngine. The service checks the wallet's permission for every "
                + "column first (an error names the column, and nothing is paid), charges the price on-chain, then "
                + "returns the result encrypted to the wallet. Unqualified tables are the DataDAO's; dlpN.table names "
                + "another's (join on owner). A deposit short of the price is topped up first, up to --max-price."
        })
final class QueryCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SQL", description = "One SELECT over refined tables.")
    private String sql;

    @Option(names = "--dlp", required = true, paramLabel = "ID", description = "The DataDAO whose tables are queried.")
    private long dlpId;

    @Option(names = "--max-price", paramLabel = "ETH", description = "The most to pay (default: the quoted price).")
    private BigDecimal maxPrice;

    @Option(names = "--price-only", description = "Print the price and the permissions used; run nothing, pay nothing.")
    private boolean priceOnly;

    @Option(names = "--json", description = "Print the result and the payment as JSON.")
    private boolean json;

    @Option(names = "--csv", description = "Print the result as CSV.")
    private boolean csv;

    @Mixin
    private WalletOptions wallet;

    @Mixin
    private DataDirOption dataDir;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        if (json && csv) {
            throw new IllegalArgumentException("give --json or --csv, not both");
        }
        var dir = dataDir.resolve();
        var signer = wallet.load(dir);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ChainSession session = ChainSession.open(dir, signer)) {
            QueryChain queries = session.queries();
            QueryClient client = new QueryClient(session.chain(), queries, signer);
            QueryClient.Quote quote = client.price(sql, dlpId);
            QueryClient.Expected expected = quote.expected();
            if (priceOnly) {
                out.println(json ? Json.write(priceJson(quote)) : "price " + Outcomes.tokens(quote.price())
                        + (quote.token().isZero() ? " ETH" : " of " + quote.token()) + " for permissions "
                        + String.join(", ", quote.permissions().stream().map(p -> p.id() + " (" + p.scope() + ")").toList())
                        + expected.notCharged().map(reason -> "; not charged: " + reason)
                                .orElse("; " + expected.rows() + " rows" + leftOut(expected.minGroupSize(),
                                        expected.suppressedGroups())));
                return 0;
            }
            // Refused here, before the deposit is topped up; the service refuses it too if asked.
            expected.notCharged().ifPresent(reason -> {
                throw new IllegalArgumentException(reason);
            });
            Optional<BigInteger> limit = Optional.ofNullable(maxPrice).map(p -> Ether.toWei(p, "--max-price"));
            BigInteger deposit = queries.deposits(quote.token(), signer.address());
            if (deposit.compareTo(quote.price()) < 0 && limit.map(l -> quote.price().compareTo(l) <= 0).orElse(true)) {
                BigInteger shortfall = quote.price().subtract(deposit);
                err.println("depositing " + Outcomes.tokens(shortfall) + " to the QueryEngine for this query");
                queries.deposit(quote.token(), shortfall);
            }
            QueryClient.Answer answer = client.query(quote, sql, dlpId, limit);
            if (json) {
                ObjectNode body = Json.object();
                body.set("columns", Json.MAPPER.valueToTree(answer.columns()));
                body.set("rows", Json.MAPPER.valueToTree(answer.rows()));
                putGroups(body, answer.minGroupSize(), answer.suppressedGroups());
                body.put("price", answer.price().toString());
                body.put("token", answer.token().value());
                body.put("queryId", answer.queryId());
                body.put("txHash", answer.txHash());
                body.set("rowsRead", Json.MAPPER.valueToTree(answer.rowsRead()));
                out.println(Json.write(body));
            } else if (csv) {
                out.println(answer.columns().stream().map(QueryCommand::csvCell).collect(Collectors.joining(",")));
                answer.rows().forEach(row -> out.println(row.stream().map(QueryCommand::csvCell).collect(Collectors.joining(","))));
            } else {
                printTable(out, answer.columns(), answer.rows());
                err.println(answer.rows().size() + " rows; paid " + Outcomes.tokens(answer.price())
                        + (answer.token().isZero() ? " ETH" : " of " + answer.token()) + " in " + answer.txHash()
                        + leftOut(answer.minGroupSize(), answer.suppressedGroups()));
            }
        } catch (QueryClient.QueryRefused e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return 0;
    }

    private static ObjectNode priceJson(QueryClient.Quote quote) {
        ObjectNode body = Json.object();
        body.put("price", quote.price());
        body.put("token", quote.token().value());
        body.put("service", quote.service().value());
        body.put("serviceUrl", quote.serviceUrl());
        body.set("permissions", Json.MAPPER.valueToTree(quote.permissions()));
        body.put("rows", quote.expected().rows());
        putGroups(body, quote.expected().minGroupSize(), quote.expected().suppressedGroups());
        body.put("chargeable", quote.expected().notCharged().isEmpty());
        quote.expected().notCharged().ifPresent(reason -> body.put("reason", reason));
        return body;
    }

    /** {@code suppressedGroups} is null when the service withholds it (see {@link QueryClient.Expected}). */
    private static void putGroups(ObjectNode body, long minGroupSize, OptionalLong suppressedGroups) {
        body.put("minGroupSize", minGroupSize);
        if (suppressedGroups.isPresent()) {
            body.put("suppressedGroups", suppressedGroups.getAsLong());
        } else {
            body.putNull("suppressedGroups");
        }
    }

    /** What the DataDAO's minimum group size left out, as far as the service tells it. */
    private static String leftOut(long minGroupSize, OptionalLong suppressedGroups) {
        if (minGroupSize <= 1) {
            return "";
        }
        if (suppressedGroups.isPresent()) {
            return "; " + suppressedGroups.getAsLong() + " groups left out (fewer than " + minGroupSize + " contributors each)";
        }
        return "; groups of fewer than " + minGroupSize + " contributors, if any, left out uncounted";
    }

    /** Prints rows as an aligned text table. */
    static void printTable(PrintWriter out, List<String> columns, List<List<Object>> rows) {
        List<Integer> widths = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            int width = columns.get(i).length();
            for (List<Object> row : rows) {
                width = Math.max(width, String.valueOf(row.get(i)).length());
            }
            widths.add(width);
        }
        StringBuilder header = new StringBuilder();
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            header.append(i == 0 ? "" : "  ").append(String.format("%-" + widths.get(i) + "s", columns.get(i)));
            rule.append(i == 0 ? "" : "  ").append("-".repeat(widths.get(i)));
        }
        out.println(header);
        out.println(rule);
        for (List<Object> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns.size(); i++) {
                Object value = row.get(i);
                String format = value instanceof Number ? "%" + widths.get(i) + "s" : "%-" + widths.get(i) + "s";
                line.append(i == 0 ? "" : "  ").append(String.format(format, value));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String csvCell(Object value) {
        if (value == null) {
            return "";
        }
        String text = String.valueOf(value);
        return text.matches(".*[\",\\n\\r].*") ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    /**
     * {@code coop earnings}: what the wallet earned from queries of its data, and claiming it. A query
     * credits the protocol and DataDAO shares at once; a contributor's share waits under the root the
     * query settled, and is found here through the leaves each query published.
     */
    @Command(name = "earnings", mixinStandardHelpOptions = true,
            description = "Shows what the wallet earned from queries that read its rows (or its DataDAO's share), and claims it.")
    static final class Earnings implements Callable<Integer> {
        @Option(names = "--claim", description = "Claim the shares of the wallet's files read by queries, then pay all earnings"
                + " out to the wallet.")
        private boolean claim;

        @Option(names = "--token", paramLabel = "ADDRESS", description = "An ERC-20 earned in (default: ether).")
        private String token;

        @Option(names = "--json", description = "Print as JSON.")
        private boolean json;

        @Mixin
        private WalletOptions wallet;

        @Mixin
        private DataDirOption dataDir;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            var dir = dataDir.resolve();
            var signer = wallet.load(dir);
            var tokenAddress = token == null ? org.datacoop.protocol.Address.ZERO : org.datacoop.protocol.Address.of(token);
            try (ChainSession session = ChainSession.open(dir, signer)) {
                QueryChain queries = session.queries();
                ReadsClaims.Found found = session.readsClaims().find(signer.address(), tokenAddress);
                BigInteger credited = queries.earnings(tokenAddress, signer.address());
                BigInteger earned = credited.add(found.amount());
                List<QueryChain.ReadsClaim> readsClaims = List.of();
                String claimTx = null;
                if (claim) {
                    readsClaims = session.readsClaims().claim(found.pending());
                    if (queries.earnings(tokenAddress, signer.address()).signum() > 0) {
                        claimTx = queries.claim(tokenAddress).txHash();
                    }
                }
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    ObjectNode body = Json.object();
                    body.put("address", signer.address().value());
                    body.put("earned", earned.toString());
                    body.put("credited", credited.toString());
                    body.put("claimable", found.amount().toString());
                    body.put("claimableFiles", found.leaves());
                    body.put("token", tokenAddress.value());
                    var txs = body.putArray("claimReadsTxs");
                    readsClaims.forEach(c -> txs.add(c.txHash()));
                    body.put("claimTx", claimTx);
                    var problems = body.putArray("problems");
                    found.problems().forEach(problems::add);
                    out.println(Json.write(body));
                } else {
                    String unit = token == null ? " ETH" : " of " + token;
                    out.println(signer.address() + " earned " + Outcomes.tokens(earned) + unit + (claim
                            ? (claimTx == null ? "; nothing to pay out" : "; claimed in " + claimTx)
                            : found.leaves() == 0 ? ""
                                    : " (" + Outcomes.tokens(found.amount()) + unit + " of it for " + found.leaves()
                                            + " reads of its files, claimed with --claim)"));
                    found.problems().forEach(problem -> spec.commandLine().getErr().println("warning: " + problem));
                }
            }
            return 0;
        }
    }
}
