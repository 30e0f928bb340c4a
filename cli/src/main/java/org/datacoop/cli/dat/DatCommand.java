package org.datacoop.cli.dat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DatChain;
import org.datacoop.chain.DatChain.DatToken;
import org.datacoop.chain.ReadsClaims;
import org.datacoop.chain.Wallet;
import org.datacoop.cli.ChainCommand;
import org.datacoop.cli.ChainSession;
import org.datacoop.cli.Ether;
import org.datacoop.cli.Json;
import org.datacoop.cli.JsonOption;
import org.datacoop.cli.SigningCommand;
import org.datacoop.protocol.Address;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop dat}: the Data Anchoring Tokens of rewarded files, whose holders earn the files' reads. */
@Command(
        name = "dat",
        mixinStandardHelpOptions = true,
        description = {
            "Lists, shows and transfers Data Anchoring Tokens: one per file a DataDAO rewarded.",
            "",
            "A DataDAO's pool mints a file's token to its contributor with the reward. Whoever holds it is paid "
                + "that file's share of every query and compute payment that reads its rows (claimed with "
                + "`coop earnings --claim`), so transferring the token sells the file's earnings, those not yet "
                + "claimed included. A token's id is its DataDAO's id (its class) times 2^128 plus the file's id.",
            "",
            "Besides the reads, ERC-8028's class revenue: anyone may settle a payment to a DataDAO's class (`coop dat "
                + "settle`), shared among its live tokens by shareRatio and claimed by each token's holder (`coop dat "
                + "claim`). An expired token leaves the class's share once anyone retires it (`coop dat retire`), keeping "
                + "what it earned."
        },
        subcommands = {DatCommand.ListTokens.class, DatCommand.Show.class, DatCommand.Transfer.class,
            DatCommand.Settle.class, DatCommand.Claim.class, DatCommand.Retire.class})
public final class DatCommand {
    /** The largest ERC-1155 token id. */
    private static final BigInteger MAX_ID = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    /** Given here it applies to the subcommand: {@code coop dat --json list}. */
    @Mixin
    private JsonOption json;

    @Command(name = "list", mixinStandardHelpOptions = true, description = {
        "Lists the tokens the wallet holds, or those of another address.",
        "",
        "For each: its id, its DataDAO (the class), the file it anchors, its shareRatio (the proof's score in "
            + "basis points), what is left of its value quota and when that quota expires. Only reads the chain: "
            + "no password is asked when the keystore names its address."
    })
    static final class ListTokens extends SigningCommand {
        @Option(names = "--owner", paramLabel = "ADDRESS", description = "Whose tokens to list (default: the wallet's).")
        private String owner;

        @Override
        public Integer call() {
            Address whose = owner == null ? walletAddress() : Address.of(owner);
            List<DatToken> tokens;
            try (ChainSession session = readOnly()) {
                tokens = session.dats().tokensOf(whose);
            }
            PrintWriter out = out();
            if (asJson()) {
                ObjectNode body = Json.object().put("owner", whose.value());
                ArrayNode list = body.putArray("tokens");
                tokens.forEach(token -> list.add(json(token)));
                out.println(Json.write(body));
                return 0;
            }
            if (tokens.isEmpty()) {
                out.println(whose + " holds no Data Anchoring Token");
            }
            for (DatToken token : tokens) {
                out.println("token " + token.tokenId() + "  DataDAO " + token.classId() + "  file " + token.fileId()
                        + "  shareRatio " + token.shareRatio() + "  value " + token.value() + "  expires " + expiry(token));
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {
        "Shows one token: its class, file, holder, shareRatio, value quota and expiry, and what its file has earned.",
        "",
        "The earnings are the file's unclaimed shares (in ETH) of the paid queries that read its rows through "
            + "the DataDAO's refiners: they go to whoever holds the token when they are claimed."
    })
    static final class Show extends ChainCommand {
        @Parameters(paramLabel = "TOKEN_ID", description = "The token's id, in decimal or 0x-hex (see `coop dat list` or `coop files`).")
        private String tokenId;

        @Override
        public Integer call() {
            BigInteger id = tokenId(tokenId);
            DatToken token;
            ReadsClaims.Found earned;
            BigInteger classRevenue;
            try (ChainSession session = readOnly()) {
                token = session.dats().token(id).orElseThrow(() -> ChainException.notFound("token " + id + " was never minted"));
                earned = session.readsClaims().find(token, Address.ZERO);
                classRevenue = session.dats().pendingRevenue(id);
            }
            PrintWriter out = out();
            if (asJson()) {
                out.println(Json.write(json(token).put("pendingEarnings", earned.amount().toString())
                        .put("pendingReads", earned.leaves()).put("pendingClassRevenue", classRevenue.toString())));
                return 0;
            }
            out.println("token " + token.tokenId());
            out.println("  DataDAO " + token.classId() + " (its class), file " + token.fileId());
            out.println("  held by " + token.holder());
            out.println("  shareRatio " + token.shareRatio() + ", value " + token.value() + ", expires " + expiry(token));
            out.println("  pending from reads: " + earned.amount() + " wei over " + earned.leaves()
                    + " unclaimed reads (paid to the holder by `coop earnings --claim`)");
            out.println("  pending class revenue: " + classRevenue + " wei (paid to the holder by `coop dat claim`)");
            earned.problems().forEach(problem -> err().println("warning: " + problem));
            return 0;
        }
    }

    @Command(name = "transfer", mixinStandardHelpOptions = true, description = {
        "Transfers a token the wallet holds to another address.",
        "",
        "From then on the new holder is paid the file's share of every read, those not yet claimed included. "
            + "Only the holder can transfer a token: anyone else is refused, naming the holder, and nothing is sent."
    })
    static final class Transfer extends SigningCommand {
        @Parameters(paramLabel = "TOKEN_ID", description = "The token's id, in decimal or 0x-hex.")
        private String tokenId;

        @Option(names = "--to", required = true, paramLabel = "ADDRESS", description = "The new holder.")
        private String to;

        @Override
        public Integer call() {
            BigInteger id = tokenId(tokenId);
            Address recipient = Address.of(to);
            Wallet signer = signer();
            String tx;
            try (ChainSession session = session(signer)) {
                tx = session.dats().transfer(id, recipient);
            }
            PrintWriter out = out();
            if (asJson()) {
                out.println(Json.write(Json.object().put("tokenId", id.toString()).put("from", signer.address().value())
                        .put("to", recipient.value()).put("txHash", tx)));
            } else {
                out.println("token " + id + " transferred from " + signer.address() + " to " + recipient + " in " + tx);
            }
            return 0;
        }
    }

    @Command(name = "settle", mixinStandardHelpOptions = true, description = {
        "Pays revenue to a DataDAO's class: shared among its live tokens by shareRatio, each holder claiming its part.",
        "",
        "Anyone may pay (a DataDAO sharing an income with its contributors, a buyer paying for a dataset as a "
            + "whole). A token minted later earns only what is settled after it. A class with no live token is "
            + "refused by name and nothing is sent."
    })
    static final class Settle extends SigningCommand {
        @Option(names = "--class", required = true, paramLabel = "DLP_ID", description = "The DataDAO whose class is paid.")
        private long classId;

        @Option(names = "--amount", required = true, paramLabel = "ETH", description = "How much to pay, in ETH.")
        private BigDecimal amount;

        @Override
        public Integer call() {
            BigInteger wei = Ether.toWei(amount, "--amount");
            String tx;
            BigInteger totalShare;
            try (ChainSession session = session()) {
                tx = session.dats().settleRevenue(classId, wei);
                totalShare = session.dats().classRevenue(classId).totalShare();
            }
            if (asJson()) {
                out().println(Json.write(Json.object().put("classId", classId).put("amount", wei.toString())
                        .put("totalShare", totalShare.toString()).put("txHash", tx)));
            } else {
                out().println(wei + " wei settled to DataDAO " + classId + "'s class, shared by a total share of "
                        + totalShare + " in " + tx);
            }
            return 0;
        }
    }

    @Command(name = "claim", mixinStandardHelpOptions = true, description = {
        "Pays a token's holder its pending class revenue (in ETH); the holder or an operator it approved for all.",
        "",
        "The revenue of reads is claimed with `coop earnings --claim`; this is what `coop dat settle` paid the class."
    })
    static final class Claim extends OnToken {
        @Override
        public Integer call() {
            return run(DatChain::claimRevenue,
                    (id, claimed) -> Json.object().put("tokenId", id.toString()).put("amount", claimed.amount().toString())
                            .put("holder", claimed.holder().value()).put("txHash", claimed.txHash()),
                    (id, claimed) -> claimed.amount() + " wei of class revenue paid to " + claimed.holder() + " for token "
                            + id + " in " + claimed.txHash());
        }
    }

    @Command(name = "retire", mixinStandardHelpOptions = true, description = {
        "Takes an expired token out of its class's total share, so later revenue goes to the live tokens; anyone may.",
        "",
        "The token keeps what it earned until then, still claimed by its holder. A token that has not expired, "
            + "never expires or is already retired is refused by name."
    })
    static final class Retire extends OnToken {
        @Override
        public Integer call() {
            return run(DatChain::retire, (id, tx) -> Json.object().put("tokenId", id.toString()).put("txHash", tx),
                    (id, tx) -> "token " + id + " retired from its class's share in " + tx);
        }
    }

    /** A signing subcommand on one token: runs its transaction and prints the outcome. */
    abstract static class OnToken extends SigningCommand {
        @Parameters(paramLabel = "TOKEN_ID", description = "The token's id, in decimal or 0x-hex.")
        private String tokenId;

        <T> int run(BiFunction<DatChain, BigInteger, T> action, BiFunction<BigInteger, T, ObjectNode> asJson,
                BiFunction<BigInteger, T, String> asText) {
            BigInteger id = tokenId(tokenId);
            T outcome;
            try (ChainSession session = session()) {
                outcome = action.apply(session.dats(), id);
            }
            out().println(asJson() ? Json.write(asJson.apply(id, outcome)) : asText.apply(id, outcome));
            return 0;
        }
    }

    /** A token id as the user typed it: decimal, or hex after 0x. */
    static BigInteger tokenId(String text) {
        BigInteger id;
        try {
            id = text.startsWith("0x") || text.startsWith("0X") ? new BigInteger(text.substring(2), 16) : new BigInteger(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a token id: '" + text + "' (expected a decimal number or 0x and hex digits)");
        }
        if (id.signum() < 0 || id.compareTo(MAX_ID) > 0) {
            throw new IllegalArgumentException("not a token id: " + text + " (token ids are 0 to 2^256 - 1)");
        }
        return id;
    }

    private static ObjectNode json(DatToken token) {
        return Json.object().put("tokenId", token.tokenId().toString()).put("classId", token.classId())
                .put("fileId", token.fileId()).put("holder", token.holder().value()).put("shareRatio", token.shareRatio())
                .put("value", token.value().toString()).put("expireAt", token.expireAt());
    }

    private static String expiry(DatToken token) {
        return token.expireAt() == 0 ? "never" : Instant.ofEpochSecond(token.expireAt()).toString();
    }
}
