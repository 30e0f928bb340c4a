package org.datacoop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.node.attestation.AttestationCheck;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.DataDao;
import org.datacoop.protocol.FileProof;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.protocol.storage.StorageException;
import org.datacoop.sdk.contribute.Contributor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop job}: a validation job as the chain, its validator and its attestation tell it. */
@Command(
        name = "job",
        mixinStandardHelpOptions = true,
        description = "Shows or cancels validation jobs.",
        subcommands = {JobCommand.Show.class, JobCommand.Cancel.class})
final class JobCommand {
    /** Made on first use: picocli builds every command at start-up, and a client costs ~0.2 s of it. */
    private static final class ValidatorApi {
        static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** Given here it applies to the subcommand: {@code coop job --json ...}. */
    @Mixin
    private JsonOption json;

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {
                "Shows job ID as the chain, its validator and its attestation tell it.",
                "",
                "Its status on-chain (or why it failed), its proof, its reward (paid, not yet claimed, or none and why), "
                    + "the validator's own view of it, and whether its attestation verifies: signed by the job's validator, "
                    + "with the file and proof fields the chain holds."
            })
    static final class Show extends ChainCommand {
        @Parameters(paramLabel = "ID", description = "The job id.")
        private long jobId;

        @Override
        public Integer call() {
            PrintWriter out = out();
            try (ChainSession session = readOnly()) {
                DataCoopChain chain = session.chain();
                ValidationJob job = chain.job(jobId);
                ContributedFile file = chain.file(job.fileId());
                Optional<FileProof> proof = chain.proofsOf(job.fileId()).stream().filter(p -> p.jobId() == jobId).findFirst();
                Reward reward = Reward.of(job, proof, chain.dataDao(job.dlpId()), chain.rewardPaid(job.dlpId(), job.fileId()));
                Optional<JsonNode> nodeView = nodeView(chain.validator(job.validator()).url(), jobId);
                Optional<List<String>> check = proof.map(p -> check(file, p));

                ObjectNode body = Json.object();
                body.put("jobId", job.id());
                body.put("fileId", job.fileId());
                body.put("dlpId", job.dlpId());
                body.put("status", job.status().name());
                if (!job.failureReason().isEmpty()) {
                    body.put("failureReason", job.failureReason());
                }
                body.put("validator", job.validator().value());
                body.put("payer", job.payer().value());
                body.put("bidWei", job.bidWei().toString());
                proof.ifPresent(p -> body.set("proof", Outcomes.proof(p)));
                body.set("reward", reward.json());
                nodeView.ifPresent(view -> body.set("validatorView", view));
                check.ifPresent(problems -> {
                    body.put("attestationVerified", problems.isEmpty());
                    body.set("attestationProblems", Json.MAPPER.valueToTree(problems));
                });
                if (asJson()) {
                    out.println(Json.write(body));
                    return 0;
                }
                out.println("job " + job.id() + ": " + job.status().name().toLowerCase()
                        + (job.failureReason().isEmpty() ? "" : " (" + job.failureReason() + ")"));
                out.println("file " + job.fileId() + " for DataDAO " + job.dlpId() + ", owned by " + file.owner());
                out.println("validator " + job.validator() + ", paid " + job.bidWei() + " wei by " + job.payer());
                nodeView.ifPresent(view -> out.println("validator's view: " + view.path("state").asText()
                        + (view.has("reason") ? " (" + view.path("reason").asText() + ")" : "")));
                proof.ifPresent(p -> {
                    out.println("proof " + p.index() + ": score " + Outcomes.score(p.score()) + ", metadata " + p.data().metadata());
                    out.println("attestation " + p.data().proofUrl());
                });
                check.ifPresent(problems -> out.println(problems.isEmpty()
                        ? "attestation verifies: signed by the job's validator, subject and proof match the chain"
                        : "attestation does NOT verify: " + String.join("; ", problems)));
                out.println("reward " + reward.words());
            }
            return 0;
        }

        private static List<String> check(ContributedFile file, FileProof proof) {
            try {
                return AttestationCheck.mismatches(AttestationCheck.fetch(proof.data().proofUrl()), file, proof);
            } catch (StorageException | IllegalArgumentException e) {
                return List.of("cannot read it: " + e.getMessage());
            }
        }

        /** The validator's own record of the job, when its API answers. */
        private static Optional<JsonNode> nodeView(String validatorUrl, long jobId) {
            if (validatorUrl == null || validatorUrl.isBlank()) {
                return Optional.empty();
            }
            try {
                HttpResponse<String> response = ValidatorApi.HTTP.send(HttpRequest.newBuilder(URI.create(validatorUrl + "/jobs/" + jobId))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 ? Optional.of(Json.MAPPER.readTree(response.body())) : Optional.empty();
            } catch (IOException | IllegalArgumentException e) {
                return Optional.empty(); // the validator is optional to this view; the chain is the record
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /**
     * A job's reward as the chain tells it: none (and why), paid, or earned and not yet claimed. A
     * proof's reward is paid only when its owner claims it, so "0 paid" alone would hide what is due.
     */
    private record Reward(State state, BigInteger amount, String symbol, String why, long fileId) {
        enum State { NONE, PAID, CLAIMABLE }

        static Reward of(ValidationJob job, Optional<FileProof> proof, DataDao dao, BigInteger paid) {
            String symbol = dao.tokenSymbol();
            long fileId = job.fileId();
            return switch (job.status()) {
                case NONE, SUBMITTED -> new Reward(State.NONE, BigInteger.ZERO, symbol, "job open", fileId);
                case FAILED -> new Reward(State.NONE, BigInteger.ZERO, symbol, "validation failed", fileId);
                case CANCELED -> new Reward(State.NONE, BigInteger.ZERO, symbol, "job cancelled", fileId);
                case COMPLETED -> {
                    if (paid.signum() > 0) {
                        yield new Reward(State.PAID, paid, symbol, "", fileId);
                    }
                    BigInteger due = proof.map(p -> job.rewardFor(p.score())).orElse(BigInteger.ZERO);
                    yield due.signum() > 0
                            ? new Reward(State.CLAIMABLE, due, symbol, "", fileId)
                            : new Reward(State.NONE, BigInteger.ZERO, symbol,
                                    proof.map(p -> Contributor.unpaid(job, p)).orElse("scored 0"), fileId);
                }
            };
        }

        String words() {
            String tokens = Outcomes.tokens(amount) + " " + symbol;
            return switch (state) {
                case PAID -> "paid: " + tokens;
                case CLAIMABLE -> "not yet claimed (" + tokens + " claimable with coop reward " + fileId + ")";
                case NONE -> "none: " + why;
            };
        }

        ObjectNode json() {
            ObjectNode node = Json.object();
            node.put("state", state.name().toLowerCase(Locale.ROOT));
            node.put("amount", amount.toString());
            node.put("tokens", Outcomes.tokens(amount));
            node.put("symbol", symbol);
            if (state == State.NONE) {
                node.put("why", why);
            }
            if (state == State.CLAIMABLE) {
                node.put("claimWith", "coop reward " + fileId);
            }
            return node;
        }
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = {
                "Cancels job ID, which the wallet paid for, and claims the fee back.",
                "",
                "A failed job is cancelled at once, an open one after the TeePool's cancel delay."
            })
    static final class Cancel extends SigningCommand {
        @Parameters(paramLabel = "ID", description = "The job id.")
        private long jobId;

        @Override
        public Integer call() {
            PrintWriter out = out();
            try (ChainSession session = session()) {
                DataCoopChain chain = session.chain();
                ValidationJob job = chain.job(jobId);
                if (!job.payer().equals(session.connection().account())) {
                    throw new CoopException(ErrorCode.REFUSED, "job " + jobId + " was paid by " + job.payer() + ", not by this wallet ("
                            + session.connection().account() + ")");
                }
                if (job.status() != ValidationJob.Status.SUBMITTED && job.status() != ValidationJob.Status.FAILED) {
                    throw new CoopException(ErrorCode.REFUSED, "job " + jobId + " is " + job.status().name().toLowerCase()
                            + "; only an open or failed job can be cancelled");
                }
                long availableAt = job.addedAtSeconds() + chain.cancelDelaySeconds();
                // The chain's clock decides, as the contract compares with block.timestamp.
                if (job.status() == ValidationJob.Status.SUBMITTED && chain.latestBlockSeconds() < availableAt) {
                    throw new CoopException(ErrorCode.REFUSED, "job " + jobId + " is still open; it can be cancelled from "
                            + Instant.ofEpochSecond(availableAt) + " (the TeePool's cancel delay)");
                }
                String cancelTx = chain.cancelJob(jobId);
                BigInteger refund = chain.claimable(session.connection().account());
                String claimTx = chain.claim();
                if (asJson()) {
                    ObjectNode body = Json.object();
                    body.put("jobId", jobId);
                    body.put("cancelTx", cancelTx);
                    body.put("claimTx", claimTx);
                    body.put("refundWei", refund.toString());
                    out.println(Json.write(body));
                } else {
                    out.println("cancelled job " + jobId + " in transaction " + cancelTx);
                    out.println("claimed " + refund + " wei back in transaction " + claimTx);
                }
            }
            return 0;
        }
    }
}
