package org.datacoop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.DatChain;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.ReadsClaims;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.query.QueryPermission;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.sdk.query.QueryClient;

/**
 * The demo's second half: the validated files are refined, a builder pays to query them, and a
 * contributor sells her file's earnings with its Data Anchoring Token.
 */
final class QueryStory {
    private static final Duration REFINE_TIMEOUT = Duration.ofSeconds(60);
    private static final BigDecimal PRICE_PER_COLUMN = new BigDecimal("0.005");
    static final String DENIED_SQL = "SELECT owner, sum(steps) AS steps FROM daily_steps GROUP BY owner";
    static final String PAID_SQL = "SELECT count(*) AS days, sum(steps) AS total_steps, round(avg(steps)) AS avg_steps,"
            + " round(sum(distance_km), 1) AS total_km FROM daily_steps";

    /** A contributor whose file was validated, and so refined. */
    record Contributor(String who, Address address) {}

    private final Deployment deployment;
    private final PrintWriter story;
    private final List<Contributor> contributors;
    private final ObjectNode json = Json.object();
    private Refiner refiner;
    private Wallet builder;

    QueryStory(Deployment deployment, PrintWriter story, List<Contributor> contributors) {
        this.deployment = deployment;
        this.story = story;
        this.contributors = contributors;
    }

    /** Waits until the validator, as the DataDAO's refinement service, has refined every validated file. */
    void refine(int number) {
        step(number, "The validated files become a table");
        try (ChainConnection reader = ChainConnection.open(deployment.rpcUrl(), Wallet.create())) {
            QueryChain queries = new QueryChain(reader, deployment);
            refiner = queries.refinersOf(deployment.sampleDlpId()).get(0);
            story.println("  DataDAO " + refiner.dlpId() + "'s refiner " + refiner.id() + " (\"" + refiner.name() + "\", schema "
                    + refiner.schemaId() + ") maps each day of an export to a row of table daily_steps:");
            story.println("  day DATE, steps BIGINT, distance_km DOUBLE (converted from metres), plus file_id and owner.");
            story.println("  The validator runs it inside its enclave right after each proof, writes Parquet, encrypts it");
            story.println("  to its own key, stores it and registers it on-chain with addRefinementWithPermission.");
            Instant deadline = Instant.now().plus(REFINE_TIMEOUT);
            long refined;
            while ((refined = queries.refinedFilesCount(refiner.id())) < contributors.size()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new ChainException("only " + refined + " of " + contributors.size() + " validated files were refined within "
                            + REFINE_TIMEOUT.toSeconds() + " s");
                }
                sleep();
            }
            for (long fileId : queries.refinedFiles(refiner.id(), 0)) {
                story.println("  file " + fileId + " refined: " + queries.refinement(fileId, refiner.id()).orElseThrow());
            }
            json.put("refinedFiles", refined);
        }
    }

    /** A builder is refused a column it holds no permission for, then pays for a query it may run. */
    void builderQueries(int number) {
        step(number, "A builder is granted two columns, and is refused a third");
        builder = Wallet.create();
        try (ChainConnection owner = ChainConnection.open(deployment.rpcUrl(), Anvil.DEV_ACCOUNT_KEY);
                ChainConnection asBuilder = ChainConnection.open(deployment.rpcUrl(), builder)) {
            String funded = owner.sendEther(builder.address(), BigDecimal.ONE);
            story.println("  builder " + builder.address() + " funded with 1 ETH in " + funded);
            QueryChain ownerQueries = new QueryChain(owner, deployment);
            BigInteger price = Ether.toWei(PRICE_PER_COLUMN, "price");
            for (String column : List.of("steps", "distance_km")) {
                QueryPermission permission = ownerQueries.addPermission(builder.address(), refiner.id(), "daily_steps", column,
                        price, Address.ZERO);
                story.println("  the DataDAO's owner grants permission " + permission.id() + ": " + permission.scope() + " at "
                        + Outcomes.tokens(price) + " ETH a query");
            }
            QueryChain queries = new QueryChain(asBuilder, deployment);
            QueryClient client = new QueryClient(new DataCoopChain(asBuilder, deployment), queries, builder);
            String deposit = queries.deposit(Address.ZERO, Ether.toWei(new BigDecimal("0.05"), "deposit"));
            story.println("  the builder deposits 0.05 ETH in the QueryEngine in " + deposit);
            story.println("  it asks: " + DENIED_SQL);
            try {
                client.query(DENIED_SQL, deployment.sampleDlpId(), Optional.empty());
                throw new IllegalStateException("the query service answered a query it should have refused");
            } catch (QueryClient.QueryRefused refused) {
                story.println("  refused (HTTP " + refused.status() + "): " + refused.getMessage());
            }
            BigInteger left = queries.deposits(Address.ZERO, builder.address());
            story.println("  its deposit is still " + Outcomes.tokens(left) + " ETH: nothing was charged");

            step(number + 1, "The builder pays for a query, and the contributors are paid for their rows");
            story.println("  it asks: " + PAID_SQL);
            QueryClient.Answer answer = client.query(PAID_SQL, deployment.sampleDlpId(), Optional.empty());
            story.println("  charged " + Outcomes.tokens(answer.price()) + " ETH on-chain in " + answer.txHash()
                    + ", then given the result, encrypted to its wallet:");
            story.println();
            var table = new java.io.StringWriter();
            QueryCommand.printTable(new PrintWriter(table, true), answer.columns(), answer.rows());
            table.toString().lines().forEach(line -> story.println("    " + line));
            story.println();
            QueryChain.Shares shares = ownerQueries.shares(deployment.sampleDlpId());
            story.println("  the QueryEngine split it: " + shares.protocolBps() / 100 + "% to the protocol, "
                    + shares.dataDaoBps() / 100 + "% to the DataDAO, the rest to the contributors by rows read:");
            answer.rowsRead().forEach(read -> read.rowsByFile().forEach((file, rows) ->
                    story.println("    file " + file + ": " + rows + " rows read")));
            ReadsClaims claims = new ChainSession(asBuilder, new DataCoopChain(asBuilder, deployment)).readsClaims();
            story.println("  the contributors' part waits under the root of the rows read the query settled, its leaves"
                    + " published at " + answer.leavesUrl());
            for (Contributor contributor : contributors) {
                BigInteger earned = claims.find(contributor.address(), Address.ZERO).amount();
                story.println("    " + contributor.who() + " earned " + Outcomes.tokens(earned) + " ETH (claim with `coop earnings --claim`)");
                json.put(contributor.who().toLowerCase() + "Earned", earned.toString());
            }
            story.println("    the DataDAO's owner, also the devnet's protocol treasury, earned "
                    + Outcomes.tokens(queries.earnings(Address.ZERO, owner.account())) + " ETH");
            json.put("deniedDepositLeft", left.toString());
            json.put("price", answer.price().toString());
            json.set("columns", Json.MAPPER.valueToTree(answer.columns()));
            json.set("rows", Json.MAPPER.valueToTree(answer.rows()));
        }
    }

    /**
     * {@code who} sees her file's Data Anchoring Token, claims what it earned so far (unclaimed shares go
     * to whoever holds the token when they are claimed) and sells it to a new holder; the builder's
     * next query pays that holder the file's share, not her.
     */
    void datChangesHands(int number, String who, Wallet seller) {
        step(number, who + " sells her file's Data Anchoring Token, and the next query pays its new holder");
        Wallet holder = Wallet.create();
        try (ChainConnection asSeller = ChainConnection.open(deployment.rpcUrl(), seller);
                ChainConnection asBuilder = ChainConnection.open(deployment.rpcUrl(), builder)) {
            ChainSession session = new ChainSession(asSeller, new DataCoopChain(asSeller, deployment));
            DatChain dats = session.dats();
            DatChain.DatToken token = dats.tokensOf(seller.address()).getFirst();
            story.println("  `coop dat list` as " + who + ": token " + token.tokenId() + ", DataDAO " + token.classId()
                    + ", file " + token.fileId() + ", shareRatio " + token.shareRatio() + " (her proof's score in basis points)");
            ReadsClaims claims = session.readsClaims();
            ReadsClaims.Found earned = claims.find(seller.address(), Address.ZERO);
            claims.claim(earned.pending());
            story.println("  she first claims what her file has earned, " + Outcomes.tokens(earned.amount())
                    + " ETH (`coop earnings --claim`): what is unclaimed goes to whoever holds the token");
            String sold = dats.transfer(token.tokenId(), holder.address());
            story.println("  `coop dat transfer " + token.tokenId() + " --to " + holder.address() + "` in " + sold);
            QueryChain queries = new QueryChain(asBuilder, deployment);
            QueryClient.Answer answer = new QueryClient(new DataCoopChain(asBuilder, deployment), queries, builder)
                    .query(PAID_SQL, deployment.sampleDlpId(), Optional.empty());
            story.println("  the builder runs its query again, charged " + Outcomes.tokens(answer.price()) + " ETH in "
                    + answer.txHash());
            BigInteger holderEarned = claims.find(holder.address(), Address.ZERO).amount();
            BigInteger sellerEarned = claims.find(seller.address(), Address.ZERO).amount();
            story.println("    the new holder " + holder.address() + " earned " + Outcomes.tokens(holderEarned)
                    + " ETH for file " + token.fileId() + "'s rows; " + who + " earned " + Outcomes.tokens(sellerEarned) + " ETH");
            json.put("datHolderEarned", holderEarned.toString());
            json.put(who.toLowerCase() + "EarnedAfterSale", sellerEarned.toString());
        }
    }

    ObjectNode json() {
        return json;
    }

    /** The builder of {@link #builderQueries}, holding permissions on steps and distance_km. */
    Wallet builder() {
        return builder;
    }

    List<Contributor> contributors() {
        return contributors;
    }

    private void step(int number, String title) {
        story.println();
        story.println("Step " + number + ". " + title);
        story.flush();
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException("interrupted while waiting for refinements", e);
        }
    }
}
