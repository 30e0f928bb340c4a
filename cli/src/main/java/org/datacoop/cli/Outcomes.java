package org.datacoop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.datacoop.protocol.FileProof;
import org.datacoop.sdk.contribute.Contribution;
import org.datacoop.sdk.contribute.Outcome;

/** How the CLI shows a contribution and its outcome: in words, or as JSON. */
public final class Outcomes {
    private Outcomes() {}

    /** {@code amount} of an 18-decimal token, in whole tokens. */
    public static String tokens(BigInteger amount) {
        return new BigDecimal(amount, 18).stripTrailingZeros().toPlainString();
    }

    static String score(BigInteger scaled) {
        return new BigDecimal(scaled, 18).stripTrailingZeros().toPlainString();
    }

    /** A transaction {@code coop contribute} sent: its JSON field, what it did in words, its hash. */
    record Sent(String field, String words, String hash) {}

    /** The transactions of {@code contribution}, in the order sent, each named for what it did. */
    static List<Sent> transactions(Contribution contribution) {
        List<Sent> sent = new ArrayList<>();
        contribution.registerTx().ifPresent(tx -> sent.add(new Sent("register", "registered the file", tx)));
        contribution.feeTx().ifPresent(tx -> sent.add(new Sent("feePayment", "paid the validation fee", tx)));
        contribution.keyShareTx().ifPresent(tx -> sent.add(new Sent("keyShare", "shared the key with the validator", tx)));
        return sent;
    }

    /** The same as one JSON object: {@code register}, {@code feePayment}, {@code keyShare}, each when sent. */
    static ObjectNode transactionsJson(Contribution contribution) {
        ObjectNode node = Json.object();
        transactions(contribution).forEach(tx -> node.put(tx.field(), tx.hash()));
        return node;
    }

    static void print(Outcome outcome, PrintWriter out) {
        out.println("job " + outcome.job().id() + ": " + outcome.job().status().name().toLowerCase());
        outcome.proof().ifPresent(proof -> {
            out.println("proof " + proof.index() + " of file " + proof.fileId() + ": score " + score(proof.score())
                    + ", by validator " + proof.validator());
            out.println("attestation " + proof.data().proofUrl());
        });
        if (outcome.rewarded()) {
            out.println("reward " + tokens(outcome.reward()) + " " + outcome.tokenSymbol()
                    + outcome.rewardTx().map(tx -> " in transaction " + tx).orElse(" (paid before)"));
        } else {
            out.println("no reward: " + outcome.why().orElse("none due"));
        }
    }

    static ObjectNode json(Outcome outcome) {
        ObjectNode node = Json.object();
        node.put("jobId", outcome.job().id());
        node.put("status", outcome.job().status().name());
        if (!outcome.job().failureReason().isEmpty()) {
            node.put("failureReason", outcome.job().failureReason());
        }
        outcome.proof().ifPresent(proof -> node.set("proof", proof(proof)));
        ObjectNode reward = node.putObject("reward");
        reward.put("amount", outcome.reward().toString());
        reward.put("tokens", tokens(outcome.reward()));
        reward.put("symbol", outcome.tokenSymbol());
        outcome.rewardTx().ifPresent(tx -> reward.put("txHash", tx));
        outcome.why().ifPresent(why -> reward.put("why", why));
        return node;
    }

    static ObjectNode proof(FileProof proof) {
        ObjectNode node = Json.object();
        node.put("index", proof.index());
        node.put("jobId", proof.jobId());
        node.put("validator", proof.validator().value());
        node.put("score", score(proof.score()));
        node.put("dlpId", proof.data().dlpId());
        node.put("programDigest", proof.data().programDigest());
        node.put("metadata", proof.data().metadata());
        node.put("proofUrl", proof.data().proofUrl());
        node.put("addedAtBlock", proof.addedAtBlock());
        return node;
    }
}
