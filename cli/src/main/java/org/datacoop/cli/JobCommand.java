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
import java.util.Optional;
import java.util.concurrent.Callable;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.node.attestation.AttestationCheck;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.FileProof;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.protocol.storage.StorageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code coop job}: a validation job as the chain, its validator and its attestation tell it. */
@Command(
        name = "job",
        mixinStandardHelpOptions = true,
        description = "Shows or cancels validation jobs.",
        subcommands = {JobCommand.Show.class, JobCommand.Cancel.class})
final class JobCommand {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {
                "Shows job ID: its status on-chain (or why it failed), its proof and reward, the validator's",
                "own view of it, and whether its attestation verifies: signed by the job's validator, with",
                "the file and proof fields the chain holds."
            })
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "ID", description = "The job id.")
        private long jobId;

        @Option(names = "--json", description = "Print it as JSON.")
        private boolean json;

        @Mixin
        private DataDirOption dataDir;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (ChainSession session = ChainSession.readOnly(dataDir.resolve())) {
                DataCoopChain chain = session.chain();
                ValidationJob job = chain.job(jobId);
                ContributedFile file = chain.file(job.fileId());
                Optional<FileProof> proof = chain.proofsOf(job.fileId()).stream().filter(p -> p.jobId() == jobId).findFirst();
                BigInteger reward = chain.rewardPaid(job.dlpId(), job.fileId());
                String symbol = chain.dataDao(job.dlpId()).tokenSymbol();
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
                body.put("reward", Outcomes.tokens(reward));
                body.put("symbol", symbol);
                nodeView.ifPresent(view -> body.set("validatorView", view));
                check.ifPresent(problems -> {
                    body.put("attestationVerified", problems.isEmpty());
                    body.set("attestationProblems", Json.MAPPER.valueToTree(problems));
                });
                if (json) {
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
                out.println("reward paid: " + Outcomes.tokens(reward) + " " + symbol);
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
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(validatorUrl + "/jobs/" + jobId))
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

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = {
                "Cancels job ID (the wallet must have paid for it) and claims the fee back: at once for a",
                "failed job, after the TeePool's cancel delay for one still open."
            })
    static final class Cancel implements Callable<Integer> {
        @Parameters(paramLabel = "ID", description = "The job id.")
        private long jobId;

        @Option(names = "--json", description = "Print the transactions and the refund as JSON.")
        private boolean json;

        @Mixin
        private WalletOptions wallet;

        @Mixin
        private DataDirOption dataDir;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (ChainSession session = ChainSession.open(dataDir.resolve(), wallet.load(dataDir.resolve()))) {
                DataCoopChain chain = session.chain();
                ValidationJob job = chain.job(jobId);
                if (!job.payer().equals(session.connection().account())) {
                    throw new IllegalArgumentException("job " + jobId + " was paid by " + job.payer() + ", not by this wallet ("
                            + session.connection().account() + ")");
                }
                if (job.status() != ValidationJob.Status.SUBMITTED && job.status() != ValidationJob.Status.FAILED) {
                    throw new IllegalArgumentException("job " + jobId + " is " + job.status().name().toLowerCase()
                            + "; only an open or failed job can be cancelled");
                }
                long availableAt = job.addedAtSeconds() + chain.cancelDelaySeconds();
                // The chain's clock decides, as the contract compares with block.timestamp.
                if (job.status() == ValidationJob.Status.SUBMITTED && chain.latestBlockSeconds() < availableAt) {
                    throw new IllegalArgumentException("job " + jobId + " is still open; it can be cancelled from "
                            + Instant.ofEpochSecond(availableAt) + " (the TeePool's cancel delay)");
                }
                String cancelTx = chain.cancelJob(jobId);
                BigInteger refund = chain.claimable(session.connection().account());
                String claimTx = chain.claim();
                if (json) {
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
