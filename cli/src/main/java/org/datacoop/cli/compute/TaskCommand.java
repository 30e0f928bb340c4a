package org.datacoop.cli.compute;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.datacoop.chain.ComputeChain;
import org.datacoop.cli.ChainCommand;
import org.datacoop.cli.ChainSession;
import org.datacoop.cli.Ether;
import org.datacoop.cli.Json;
import org.datacoop.cli.JsonOption;
import org.datacoop.cli.Outcomes;
import org.datacoop.cli.SigningCommand;
import org.datacoop.protocol.Address;
import org.datacoop.sdk.compute.ComputeClient;
import org.datacoop.sdk.query.QueryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop task}: compute tasks over a DataDAO's refined data, proved by the worker's enclave. */
@Command(
        name = "task",
        mixinStandardHelpOptions = true,
        description = {
            "Submits, follows, reads, re-checks and refunds compute tasks over DataDAOs' refined data.",
            "",
            "A task runs an allowed algorithm over a permitted SQL selection on the DataDAO's worker, inside its "
                + "enclave; the worker signs the result and an attestation report, the Verifier checks them on-chain "
                + "and the Settlement pays the worker, the DataDAO, the contributors whose rows were read and the "
                + "protocol. The output is encrypted to the requester."
        },
        subcommands = {TaskCommand.Submit.class, TaskCommand.Show.class, TaskCommand.Result.class, TaskCommand.Verify.class,
            TaskCommand.Refund.class, TaskCommand.Challenge.class})
public final class TaskCommand {
    /** Given here it applies to the subcommand: {@code coop task --json show ID}. */
    @Mixin
    private JsonOption json;

    @Command(name = "submit", mixinStandardHelpOptions = true, description = {
        "Submits a task and pays its worker's fee and its data price into escrow.",
        "",
        "Before anything is paid it checks that every DataDAO the SQL reads allows the algorithm, that the wallet "
            + "holds a permission for every column (an error names the column), that a model names a verified task "
            + "of this wallet, and the price. The task's inputs are encrypted to the worker and stored; the chain "
            + "keeps their hashes. Unproved by its deadline, the task is refundable with `coop task refund`.",
        "",
        "--mode op: the worker proposes its result with its trace's root and a bond instead of proving it; the "
            + "result is verified and paid once its challenge window (a number of blocks) has passed unchallenged."
    })
    static final class Submit extends SigningCommand {
        @Option(names = "--dlp", required = true, paramLabel = "ID", description = "The DataDAO whose tables the SQL selects from.")
        private long dlpId;

        @Option(names = "--sql", required = true, paramLabel = "SQL", description = "One SELECT of the rows to compute over.")
        private String sql;

        @Option(names = "--algorithm", required = true, paramLabel = "NAME|DIGEST",
                description = "A built-in (logistic-regression, linear-regression, predict, evaluate) or an allowed digest.")
        private String algorithm;

        @Option(names = "--params", paramLabel = "JSON", defaultValue = "{}",
                description = "The algorithm's params, a JSON object (training: {\"features\": [...], \"label\": ...}).")
        private String params;

        @Option(names = "--model", paramLabel = "TASK_ID|DIR",
                description = "For predict or evaluate: a verified training task of this wallet, or the directory of its output.")
        private String model;

        @Option(names = "--mode", paramLabel = "MODE", defaultValue = "tee",
                description = "How the result is verified: tee (proved and paid at once) or op (optimistic: proposed, "
                        + "then verified and paid once its challenge window has passed).")
        private String mode;

        @Option(names = "--worker-fee", paramLabel = "ETH", defaultValue = "0.001",
                description = "What the worker is paid for computing, in ether (default: ${DEFAULT-VALUE}).")
        private BigDecimal workerFee;

        @Option(names = "--max-price", paramLabel = "ETH", description = "The most the data may cost (default: the quoted price).")
        private BigDecimal maxPrice;

        @Option(names = "--deadline-minutes", paramLabel = "N", defaultValue = "30",
                description = "Minutes the worker has to prove it before it is refundable (default: ${DEFAULT-VALUE}).")
        private long deadlineMinutes;

        @Option(names = "--wait", description = "Wait until the task is verified, failed or refunded (until its deadline).")
        private boolean await;

        @Override
        public Integer call() {
            ComputeChain.Mode verifyMode = switch (mode.toLowerCase(Locale.ROOT)) {
                case "tee" -> ComputeChain.Mode.TEE;
                case "op" -> ComputeChain.Mode.OP;
                default -> throw new IllegalArgumentException("--mode " + mode
                        + " is not supported; the verify modes are tee and op (tee+zk is not built yet)");
            };
            if (deadlineMinutes < 1) {
                throw new IllegalArgumentException("--deadline-minutes must be at least 1, not " + deadlineMinutes);
            }
            var signer = signer();
            PrintWriter out = out();
            PrintWriter err = err();
            try (ChainSession session = session(signer)) {
                ComputeClient client = Clients.compute(session, signer);
                Duration deadline = Duration.ofMinutes(deadlineMinutes);
                ComputeClient.Submitted submitted = client.submit(new ComputeClient.Request(dlpId, sql, algorithm, params,
                        Optional.ofNullable(model), Ether.toWei(workerFee, "--worker-fee"),
                        Optional.ofNullable(maxPrice).map(p -> Ether.toWei(p, "--max-price")), deadline, verifyMode));
                err.println("task " + submitted.taskId() + " submitted to worker " + submitted.quote().worker() + ", paying "
                        + Outcomes.tokens(submitted.paid()) + " ETH into escrow in " + submitted.txHash());
                err.flush();
                Optional<ComputeChain.Record> record = Optional.empty();
                if (await) {
                    record = Optional.of(client.waitFor(submitted.taskId(), deadline, line -> {
                        err.println(line);
                        err.flush();
                    }));
                }
                if (asJson()) {
                    ObjectNode body = Json.object();
                    body.put("taskId", submitted.taskId());
                    body.put("txHash", submitted.txHash());
                    body.put("worker", submitted.quote().worker().value());
                    body.put("specUrl", submitted.specUrl());
                    body.put("workerFee", submitted.workerFee().toString());
                    body.put("dataPrice", submitted.quote().dataPrice().toString());
                    body.put("paid", submitted.paid().toString());
                    body.set("permissionIds", Json.MAPPER.valueToTree(submitted.quote().permissionIds()));
                    body.set("refinerIds", Json.MAPPER.valueToTree(submitted.quote().refinerIds()));
                    body.set("dlpIds", Json.MAPPER.valueToTree(submitted.quote().dlpIds()));
                    record.ifPresent(r -> putRecord(body, r));
                    out.println(Json.write(body));
                } else {
                    out.println(submitted.taskId()); // alone on stdout, for TASK=$(coop task submit ...)
                    record.ifPresent(r -> err.println(describe(r)));
                }
                return record.map(r -> r.status() == ComputeChain.Status.VERIFIED ? 0 : 1).orElse(0);
            } catch (QueryClient.QueryRefused e) {
                // the query service's refusal of the selection, naming the column: the caller's input
                throw new IllegalArgumentException(e.getMessage());
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {
        "Shows a task, its execution record and where its payment stands.",
        "",
        "Read from the chain: the requester, worker, algorithm, model and params hashes, the data's refiners and "
            + "permissions, the price, the deadline, then the record's status, result hash, data root and output; "
            + "for an OP task once proposed, its challenge window: the last block a challenge may come in, and "
            + "where the chain is."
    })
    static final class Show extends ChainCommand {
        @Parameters(paramLabel = "ID", description = "The task id (0x and 64 hex digits).")
        private String taskId;

        @Override
        public Integer call() {
            ComputeClient.TaskView view;
            try (ChainSession session = readOnly()) {
                view = Clients.reader(session).show(taskId);
            }
            ComputeChain.Task t = view.task();
            PrintWriter out = out();
            if (asJson()) {
                ObjectNode body = Json.object();
                body.put("taskId", t.taskId());
                body.put("requester", t.requester().value());
                body.put("worker", t.worker().value());
                body.put("token", t.token().value());
                body.put("submittedAt", t.submittedAt());
                body.put("deadline", t.deadline());
                body.put("workerFee", t.workerFee().toString());
                body.put("dataPrice", t.dataPrice().toString());
                body.put("sqlHash", t.sqlHash());
                body.put("algorithmDigest", t.algorithmDigest());
                ComputeClient.AlgorithmRef algorithm = ComputeClient.algorithm(t.algorithmDigest());
                body.put("algorithm", algorithm.label());
                body.put("modelId", t.modelId());
                body.put("paramsHash", t.paramsHash());
                body.set("refinerIds", Json.MAPPER.valueToTree(t.refinerIds()));
                body.set("permissionIds", Json.MAPPER.valueToTree(t.permissionIds()));
                body.put("specUrl", t.specUrl());
                body.put("mode", t.mode().name().toLowerCase(Locale.ROOT));
                putRecord(body, view.record());
                body.put("escrow", view.escrow());
                view.proposal().ifPresent(p -> {
                    ObjectNode window = body.putObject("window");
                    window.put("status", p.status().name().toLowerCase(Locale.ROOT));
                    window.put("windowEnd", p.windowEnd());
                    window.put("block", view.block());
                    window.put("traceRoot", p.traceRoot());
                    window.put("traceLength", p.traceLength());
                    window.put("bond", p.bond().toString());
                    window.put("disputes", p.disputes());
                });
                view.dispute().ifPresent(d -> {
                    ObjectNode dispute = body.putObject("dispute");
                    dispute.put("phase", d.phase().name().toLowerCase(Locale.ROOT));
                    dispute.put("challenger", d.challenger().value());
                    dispute.put("dlpId", d.dlpId());
                    dispute.put("lo", d.lo());
                    dispute.put("hi", d.hi());
                    dispute.put("agreed", d.agreed());
                    dispute.put("workerAtHi", d.workerAtHi());
                    dispute.put("challengerAtHi", d.challengerAtHi());
                    dispute.put("deadline", d.deadline());
                    var moves = dispute.putArray("moves");
                    view.moves().forEach(m -> moves.addObject().put("mover", m.mover().value()).put("lo", m.lo())
                            .put("hi", m.hi()).put("mid", m.mid()).put("midState", m.midState()));
                });
                out.println(Json.write(body));
                return 0;
            }
            out.println("task " + t.taskId());
            out.println("  requester   " + t.requester());
            out.println("  worker      " + t.worker());
            out.println("  mode        " + t.mode().name().toLowerCase(Locale.ROOT));
            out.println("  algorithm   " + ComputeClient.algorithm(t.algorithmDigest()).label());
            out.println("  model       " + (t.modelId().matches("0x0+") ? "none" : t.modelId()));
            out.println("  data        refiners " + t.refinerIds() + ", permissions " + t.permissionIds());
            out.println("  paid        " + Outcomes.tokens(t.workerFee()) + " ETH to the worker, " + Outcomes.tokens(t.dataPrice())
                    + " ETH for the data");
            out.println("  deadline    " + Instant.ofEpochSecond(t.deadline()));
            out.println("  " + describe(view.record()).replace("\n", "\n  "));
            out.println("  escrow      " + view.escrow());
            view.proposal().ifPresent(p -> out.println("  window      " + window(p, view.block())));
            view.dispute().ifPresent(d -> {
                out.println("  dispute     " + dispute(d, view.task().worker(), view.block()));
                view.moves().forEach(m -> out.println("    move " + m.number() + " by " + (m.mover().equals(view.task().worker())
                        ? "the worker" : "the challenger") + ": states " + m.lo() + " to " + m.hi() + " in dispute"
                        + (m.mid() == 0 ? "" : "; its state at " + m.mid() + " is " + m.midState())));
            });
            return 0;
        }
    }

    @Command(name = "result", mixinStandardHelpOptions = true, description = {
        "Decrypts a verified task's output into a directory (its requester only).",
        "",
        "The output is fetched from storage, opened with the wallet's key and checked against the result hash the "
            + "chain recorded before any file is written."
    })
    static final class Result extends SigningCommand {
        @Parameters(paramLabel = "ID", description = "The task id (0x and 64 hex digits).")
        private String taskId;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "An empty or new directory for the output.")
        private Path output;

        @Override
        public Integer call() {
            var signer = signer();
            List<Path> files;
            try (ChainSession session = session(signer)) {
                files = Clients.compute(session, signer).result(taskId, output);
            }
            PrintWriter out = out();
            Path root = output.toAbsolutePath().normalize();
            if (asJson()) {
                ObjectNode body = Json.object().put("taskId", taskId).put("output", root.toString());
                var array = body.putArray("files");
                files.forEach(f -> array.add(root.relativize(f.toAbsolutePath().normalize()).toString()));
                out.println(Json.write(body));
            } else {
                files.forEach(f -> out.println(f.toAbsolutePath().normalize()));
            }
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = {
        "Re-checks a task's proof from the chain and storage, trusting neither the worker nor this node.",
        "",
        "The report is read back from the transaction that proved the task: its signature must recover to the "
            + "task's worker, its fields must equal the task's and the record's, its enclave the TeePool's record "
            + "of the worker, its roots those rebuilt from the published leaves, and the Verifier must say verified. "
            + "Exits 1 when a check fails."
    })
    static final class Verify extends ChainCommand {
        @Parameters(paramLabel = "ID", description = "The task id (0x and 64 hex digits).")
        private String taskId;

        @Override
        public Integer call() {
            List<ComputeClient.Check> checks;
            try (ChainSession session = readOnly()) {
                checks = Clients.reader(session).verify(taskId);
            }
            boolean passed = checks.stream().allMatch(ComputeClient.Check::passed);
            PrintWriter out = out();
            if (asJson()) {
                ObjectNode body = Json.object().put("taskId", taskId).put("verified", passed);
                body.set("checks", Json.MAPPER.valueToTree(checks));
                out.println(Json.write(body));
            } else {
                checks.forEach(c -> out.println((c.passed() ? "pass  " : "FAIL  ") + c.name() + ": " + c.detail()));
                out.println(passed ? "task " + taskId + " verifies" : "task " + taskId + " does NOT verify");
            }
            return passed ? 0 : 1;
        }
    }

    @Command(name = "refund", mixinStandardHelpOptions = true, description = {
        "Refunds a failed task, or one unproved past its deadline, to its requester.",
        "",
        "Anyone may send it; the escrow goes to the requester's Settlement earnings, paid out with a claim."
    })
    static final class Refund extends SigningCommand {
        @Parameters(paramLabel = "ID", description = "The task id (0x and 64 hex digits).")
        private String taskId;

        @Override
        public Integer call() {
            var signer = signer();
            String tx;
            try (ChainSession session = session(signer)) {
                tx = Clients.compute(session, signer).refund(taskId);
            }
            PrintWriter out = out();
            out.println(asJson() ? Json.write(Json.object().put("taskId", taskId).put("txHash", tx))
                    : "task " + taskId + " refunded in " + tx);
            return 0;
        }
    }

    @Command(name = "challenge", mixinStandardHelpOptions = true, description = {
        "Has a challenger validator check an optimistic (OP) task's result now.",
        "",
        "The validator, a challenger of a DataDAO the task reads, re-executes the task in its enclave and disputes "
            + "the result with its bond if its own differs; coop task show then follows the dispute. Its challengers "
            + "check every result they see proposed: this is for one proposed before the validator joined."
    })
    static final class Challenge extends ChainCommand {
        @Parameters(paramLabel = "ID", description = "The task id (0x and 64 hex digits).")
        private String taskId;

        @Option(names = "--validator", required = true, paramLabel = "ADDRESS", description = "The challenger's address.")
        private String validator;

        @Override
        public Integer call() {
            ComputeClient.Challenge challenge;
            try (ChainSession session = readOnly()) {
                challenge = Clients.reader(session).challenge(taskId, Address.of(validator));
            }
            PrintWriter out = out();
            if (asJson()) {
                out.println(Json.write(Json.object().put("taskId", challenge.taskId()).put("validator",
                        challenge.validator().value()).put("state", challenge.state()).put("reason", challenge.reason())));
            } else {
                out.println("task " + challenge.taskId() + ": validator " + challenge.validator() + " is " + challenge.state()
                        + (challenge.reason().isEmpty() ? "" : " (" + challenge.reason() + ")"));
            }
            return 0;
        }
    }

    private static void putRecord(ObjectNode body, ComputeChain.Record record) {
        body.put("status", record.status().name().toLowerCase(Locale.ROOT));
        body.put("resultHash", record.resultHash());
        body.put("dataRoot", record.dataRoot());
        body.put("outputUrl", record.outputUrl());
        body.put("failureReason", record.failureReason());
    }

    /** Where an OP result's challenge window stands, in words. */
    private static String window(ComputeChain.Proposal p, long block) {
        return switch (p.status()) {
            case OPEN -> block <= p.windowEnd()
                    ? "open until block " + p.windowEnd() + " (now " + block + "): verified once " + (p.windowEnd() + 1 - block)
                            + " more block(s) pass unchallenged"
                    : "passed at block " + p.windowEnd() + " (now " + block + "): anyone may finalize it; its worker does";
            case DISPUTED -> "disputed (" + p.disputes() + " dispute(s)): the window resumes if the worker wins";
            case FAULTED, UNDECIDED, REJECTED -> "the result was rejected by a dispute (" + p.status().name().toLowerCase(Locale.ROOT) + ")";
            case ACCEPTED -> "passed unchallenged; the result was accepted";
            case NONE -> "none";
        };
    }

    /** Where an OP result's latest dispute stands, in words: only state hashes, never data. */
    private static String dispute(ComputeChain.Dispute d, Address worker, long block) {
        String by = "by challenger " + d.challenger() + " for DataDAO " + d.dlpId();
        return switch (d.phase()) {
            case BISECTING -> by + ": bisecting states " + d.lo() + " to " + d.hi() + "; the " + (d.workerTurn() ? "worker" : "challenger")
                    + " moves by block " + d.deadline() + " (now " + block + ")";
            case STEP -> by + ": step " + d.lo() + " (from agreed state " + d.agreed() + ") awaits the referees by block "
                    + d.deadline() + " (now " + block + ")";
            case WORKER_WON -> by + ": the worker " + worker + " won; the challenger's bond was slashed";
            case CHALLENGER_WON -> by + ": the challenger won; the worker " + worker + " was slashed at step " + d.lo();
            case UNDECIDED -> by + ": undecided (the referees did not decide step " + d.lo() + " in time); bonds returned";
            case NONE -> "none";
        };
    }

    private static String describe(ComputeChain.Record record) {
        String status = "status      " + record.status().name().toLowerCase(Locale.ROOT);
        return switch (record.status()) {
            case VERIFIED -> status + "\nresult      " + record.resultHash() + "\ndata root   " + record.dataRoot()
                    + "\noutput      " + record.outputUrl();
            case FAILED -> status + ": " + record.failureReason();
            default -> status;
        };
    }
}
