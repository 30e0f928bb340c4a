package org.datacoop.cli.claim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.datacoop.chain.Wallet;
import org.datacoop.cli.ChainCommand;
import org.datacoop.cli.ChainSession;
import org.datacoop.cli.Json;
import org.datacoop.cli.JsonOption;
import org.datacoop.cli.SigningCommand;
import org.datacoop.sdk.claim.ClaimClient;
import org.datacoop.sdk.claim.ClaimClient.Claim;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code coop claim}: zero-knowledge dataset claims about a file's refined rows, proved and recorded on-chain. */
@Command(
        name = "claim",
        mixinStandardHelpOptions = true,
        description = {
            "Proves and lists dataset claims: \"at least N rows of a column are at least K\" about a file's rows.",
            "",
            "When a file is refined, the validator's enclave commits on-chain to each numeric column of its rows. "
                + "A claim is proved against that commitment by the same enclave, with a zero-knowledge proof that "
                + "shows nothing but the claim (not the rows, their count or any sum), and is checked and recorded "
                + "by DataCommitments. Only the file's owner may have a claim proved; one that does not hold is "
                + "refused."
        },
        subcommands = {ClaimCommand.Prove.class, ClaimCommand.Show.class})
public final class ClaimCommand {
    /** Given here it applies to the subcommand: {@code coop claim --json show ...}. */
    @Mixin
    private JsonOption json;

    /** The file and refiner a claim is about. */
    static final class Target {
        @Option(names = "--file", required = true, paramLabel = "ID", description = "The file the claim is about.")
        long fileId;

        @Option(names = "--refiner", defaultValue = "1", paramLabel = "ID",
                description = "The refiner whose output the claim is about (default: ${DEFAULT-VALUE}, the devnet's sample refiner).")
        long refinerId;
    }

    @Command(name = "prove", mixinStandardHelpOptions = true, description = {
        "Has the validator that committed to the file's column prove a claim about it, and records it on-chain.",
        "",
        "The wallet must own the file: it signs the claim, and the validator checks that before it proves "
            + "anything. Proving takes about a second. Example: `coop claim prove --file 1 --column "
            + "daily_steps.steps --at-least 7000 --rows 30`."
    })
    static final class Prove extends SigningCommand {
        @Mixin
        private Target target;

        @Option(names = "--column", required = true, paramLabel = "TABLE.COLUMN",
                description = "A committed numeric column, e.g. daily_steps.steps (coop claim show lists them).")
        private String column;

        @Option(names = "--at-least", required = true, paramLabel = "K",
                description = "The value the claimed rows reach, in the column's own units (e.g. 7000, or 5.25).")
        private BigDecimal atLeast;

        @Option(names = "--rows", required = true, paramLabel = "N", description = "How many rows the claim says reach it.")
        private long rows;

        @Override
        public Integer call() {
            if (rows < 1) {
                throw new IllegalArgumentException("--rows must be at least 1, got " + rows);
            }
            Wallet signer = signer();
            Claim claim;
            try (ChainSession session = session(signer)) {
                claim = new ClaimClient(session.chain(), session.commitments(), signer)
                        .prove(target.fileId, target.refinerId, column, atLeast, rows);
            }
            PrintWriter out = out();
            if (asJson()) {
                out.println(Json.write(json(claim)));
            } else {
                out.println("claim recorded in " + claim.txHash() + ": file " + claim.fileId() + " has at least "
                        + claim.rows() + " rows with " + claim.column() + " >= " + claim.atLeast().toPlainString()
                        + " (proved by " + claim.prover() + ")");
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {
        "Lists the file's committed columns and the claims recorded about them, read from the chain."
    })
    static final class Show extends ChainCommand {
        @Mixin
        private Target target;

        @Override
        public Integer call() {
            List<String> columns;
            List<Claim> claims;
            try (ChainSession session = readOnly()) {
                columns = session.commitments().commitmentsOf(target.fileId, target.refinerId).stream()
                        .map(recorded -> recorded.column().name() + " (" + recorded.column().rows() + " rows, scale "
                                + recorded.column().scale() + ")")
                        .toList();
                claims = new ClaimClient(session.chain(), session.commitments(), null).claims(target.fileId,
                        target.refinerId);
            }
            PrintWriter out = out();
            if (asJson()) {
                ObjectNode body = Json.object().put("fileId", target.fileId).put("refinerId", target.refinerId);
                ArrayNode committed = body.putArray("committedColumns");
                columns.forEach(committed::add);
                ArrayNode list = body.putArray("claims");
                claims.forEach(claim -> list.add(json(claim)));
                out.println(Json.write(body));
                return 0;
            }
            out.println("file " + target.fileId + " as refiner " + target.refinerId + " refined it");
            out.println("  committed: " + (columns.isEmpty() ? "nothing" : String.join(", ", columns)));
            if (claims.isEmpty()) {
                out.println("  no claims");
            }
            for (Claim claim : claims) {
                out.println("  claim: at least " + claim.rows() + " rows with " + claim.column() + " >= "
                        + claim.atLeast().toPlainString() + ", proved by " + claim.prover() + " at "
                        + Instant.ofEpochSecond(claim.recordedAt()));
            }
            return 0;
        }
    }

    private static ObjectNode json(Claim claim) {
        ObjectNode node = Json.object().put("fileId", claim.fileId()).put("refinerId", claim.refinerId())
                .put("column", claim.column()).put("rows", claim.rows()).put("atLeast", claim.atLeast().toPlainString())
                .put("prover", claim.prover().value());
        if (!claim.txHash().isEmpty()) {
            node.put("txHash", claim.txHash());
        }
        if (claim.recordedAt() != 0) {
            node.put("recordedAt", claim.recordedAt());
        }
        return node;
    }
}
