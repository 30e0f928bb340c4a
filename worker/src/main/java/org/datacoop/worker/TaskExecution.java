package org.datacoop.worker;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.OwnershipChain.Scope;
import org.datacoop.chain.ReadsDocument;
import org.datacoop.chain.TaskReport;
import org.datacoop.chain.TaskSpec;
import org.datacoop.chain.Wallet;
import org.datacoop.compute.Algorithm;
import org.datacoop.compute.Compute;
import org.datacoop.compute.ComputeException;
import org.datacoop.compute.ComputeResult;
import org.datacoop.compute.ResultBundle;
import org.datacoop.compute.TaskInput;
import org.datacoop.compute.builtin.Builtin;
import org.datacoop.compute.trace.Trace;
import org.datacoop.compute.trace.Traces;
import org.datacoop.node.enclave.Enclave;
import org.datacoop.node.enclave.Workspace;
import org.datacoop.node.query.QueryService;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.Sha256;
import org.datacoop.protocol.Validator;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.protocol.query.RowsRead;
import org.datacoop.query.QueryException;
import org.datacoop.query.engine.QueryResult;
import org.datacoop.storage.HttpBlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.utils.Numeric;

/**
 * One task, from the chain's record to its proof: authorise it (still open, before its deadline, its
 * spec opening with this enclave's key and matching every hash the chain keeps, its algorithm one
 * this worker runs, its model the verified output the task names), select its rows inside the
 * enclave under the permissions it paid for, run the algorithm, encrypt the output to the requester,
 * publish the rows read, and sign and submit the attestation: as a TEE proof, or, for an OP task,
 * as a proposed result with its trace (kept in the journal first) and the worker's bond, which
 * {@link #finalizeIfDue} ends once its challenge window has passed. Whatever the task asks that
 * cannot be done is a {@link Refused} naming it, which the worker records on-chain.
 */
final class TaskExecution {
    private static final Logger LOG = LoggerFactory.getLogger(TaskExecution.class);
    private static final long MAX_MODEL_BYTES = 64L << 20;

    /** The task cannot be run as asked; the message says why and is recorded on-chain. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /** How a run ended. */
    enum Outcome { PROVED, ALREADY_PROVED, ALREADY_FAILED, EXPIRED, PROPOSED }

    private final ComputeChain compute;
    private final DataCoopChain chain;
    private final Enclave enclave;
    private final QueryService queries;
    private final HttpBlobStore storage;
    private final Algorithms algorithms;
    private final TaskJournal journal;
    private final Object chainWrites;
    private final DishonestTraces dishonesty;

    TaskExecution(ComputeChain compute, DataCoopChain chain, Enclave enclave, QueryService queries, HttpBlobStore storage,
            Algorithms algorithms, TaskJournal journal, Object chainWrites, DishonestTraces dishonesty) {
        this.compute = compute;
        this.chain = chain;
        this.enclave = enclave;
        this.queries = queries;
        this.storage = storage;
        this.algorithms = algorithms;
        this.journal = journal;
        this.chainWrites = chainWrites;
        this.dishonesty = dishonesty;
    }

    /** Runs {@code taskId} to its end here; throws {@link Refused} for a task it will not run. */
    Outcome run(String taskId) {
        ComputeChain.Record record = compute.record(taskId);
        switch (record.status()) {
            case VERIFIED -> {
                return Outcome.ALREADY_PROVED;
            }
            case FAILED -> {
                return Outcome.ALREADY_FAILED;
            }
            case REFUNDED -> {
                return Outcome.EXPIRED;
            }
            case PROPOSED -> {
                return Outcome.PROPOSED; // an optimistic result, submitted: its window decides now
            }
            case NONE -> throw new IllegalStateException("task " + taskId + " is not on-chain");
            case SUBMITTED -> { }
        }
        ComputeChain.Task task = compute.task(taskId).orElseThrow();
        if (task.mode() == ComputeChain.Mode.TEE_ZK) {
            throw new Refused("this worker proves tasks in TEE and OP modes; TEE_ZK mode is not run here yet");
        }
        if (chain.head().seconds() >= task.deadline()) {
            return Outcome.EXPIRED;
        }
        TaskSpec spec = openSpec(task);
        try (Workspace workspace = enclave.openWorkspace(-1)) {
            Run run = compute(task, spec, workspace);
            ComputeResult result = run.result();
            String outputUrl = publish(new KeyWrapping().wrapEcies(ResultBundle.of(result.output()), spec.requesterPublicKey())
                    .getBytes(StandardCharsets.UTF_8));
            String leavesUrl = publish(new ReadsDocument(taskId, run.reads()).toJson());
            if (chain.head().seconds() >= task.deadline()) {
                LOG.info("[taskId:{}] computed after its deadline; its requester may be refunded", taskId);
                return Outcome.EXPIRED; // the Verifier would refuse the proof
            }
            if (task.mode() == ComputeChain.Mode.OP) {
                Trace trace = trace(taskId, run);
                // The trace's last state is the result: a dishonest test worker's is not its output's hash.
                TaskReport report = report(task, Hex.prefixed(trace.state((int) trace.length())), run.reads(), leavesUrl,
                        outputUrl);
                propose(task, report, sign(taskId, report), trace);
                return Outcome.PROPOSED;
            }
            TaskReport report = report(task, result.resultHashHex(), run.reads(), leavesUrl, outputUrl);
            synchronized (chainWrites) {
                compute.submitTeeProof(taskId, result.resultHashHex(), sign(taskId, report), report.encode());
            }
            LOG.info("[taskId:{}] proved {} over {} rows: resultHash {}", taskId, run.algorithm().describe(), run.rows(),
                    result.resultHashHex());
            return Outcome.PROVED;
        }
    }

    /**
     * Re-executes OP task {@code taskId} as a challenger or a referee does: the worker's own path (the
     * spec, sealed to this node too; this node's own selection under the permissions the task paid for;
     * the algorithm) in this enclave, publishing and submitting nothing. Returns its trace, from the
     * initial state of the rows this node read, so rows the worker left out or added show at state 0.
     */
    Trace reexecute(String taskId) {
        ComputeChain.Task task = compute.task(taskId).orElseThrow(() -> new Refused("there is no task " + taskId));
        if (task.mode() != ComputeChain.Mode.OP) {
            throw new Refused("task " + taskId + " is a " + task.mode() + " task, not an OP one");
        }
        TaskSpec spec = openSpec(task);
        try (Workspace workspace = enclave.openWorkspace(-1)) {
            return trace(taskId, compute(task, spec, workspace));
        }
    }

    /** What running a task here gave: its algorithm, input and result, and the rows read. */
    private record Run(Algorithm algorithm, TaskInput input, ComputeResult result, List<RowsRead> reads, int rows) {}

    /** Selects the task's rows in this node's query engine and runs its algorithm over them in {@code workspace}. */
    private Run compute(ComputeChain.Task task, TaskSpec spec, Workspace workspace) {
        Algorithm algorithm = algorithms.of(spec, task, workspace.file("program"));
        QueryResult rows = select(spec, task);
        List<RowsRead> reads = rows.rowsRead().stream().filter(r -> !r.rowsByFile().isEmpty()).toList();
        if (reads.isEmpty()) {
            throw new Refused("the task's SQL read no refined file");
        }
        Path parquet = SelectedRows.write(rows, workspace.inputDir().resolve("rows.parquet"));
        TaskInput input = TaskInput.of(parquet, spec.params());
        Optional<Path> model = model(spec, task, workspace.file("model"));
        if (model.isPresent()) {
            input = input.withModel(model.get());
        }
        try {
            return new Run(algorithm, input, Compute.run(algorithm, input, workspace.outputDir()), reads, rows.rows().size());
        } catch (ComputeException e) {
            throw new Refused(algorithm.describe() + " failed: " + e.getMessage());
        }
    }

    /** The run's trace (corrupted on a node told to lie, for tests), while its workspace is still open. */
    private Trace trace(String taskId, Run run) {
        byte[] initial = compute.initialState(taskId, TaskReport.dataRootOf(run.reads()));
        return dishonesty.apply(Traces.of(run.algorithm(), run.input(), initial, run.result()));
    }

    private byte[] sign(String taskId, TaskReport report) {
        return enclave.identity().signDigest(compute.teeResultDigest(taskId, report.resultHash(), report.hash()));
    }

    /**
     * Finalizes OP task {@code taskId}, proposed by this worker, once nothing can stop it: its window
     * passed with no dispute running (the result is verified and paid, the bond returned), or a dispute
     * rejected it (recorded failed). Empty while it waits; how it ended otherwise. Anyone may finalize:
     * the worker does, as its fee and bond wait for it.
     */
    Optional<Outcome> finalizeIfDue(String taskId) {
        if (compute.record(taskId).status() == ComputeChain.Status.PROPOSED) {
            ComputeChain.Proposal proposal = compute.proposal(taskId).orElseThrow(() -> new IllegalStateException("task "
                    + taskId + " is proposed but the DisputeGame has no proposal for it"));
            boolean due = switch (proposal.status()) {
                case OPEN -> compute.blockNumber() > proposal.windowEnd();
                case FAULTED, UNDECIDED -> true;
                case DISPUTED, NONE, ACCEPTED, REJECTED -> false; // a dispute runs (played by no one here yet)
            };
            if (!due) {
                return Optional.empty();
            }
            synchronized (chainWrites) {
                compute.finalizeResult(taskId);
            }
        }
        ComputeChain.Record record = compute.record(taskId);
        LOG.info("[taskId:{}] finalized: {}", taskId, record.status());
        return switch (record.status()) {
            case VERIFIED -> Optional.of(Outcome.PROVED);
            case FAILED -> Optional.of(Outcome.ALREADY_FAILED);
            case REFUNDED -> Optional.of(Outcome.EXPIRED);
            case NONE, SUBMITTED, PROPOSED -> throw new IllegalStateException("task " + taskId + " is " + record.status()
                    + " after its OP result was finalized");
        };
    }

    /** Records the refusal on-chain (the requester may then be refunded at once). */
    void fail(String taskId, String reason) {
        synchronized (chainWrites) {
            if (compute.record(taskId).status() == ComputeChain.Status.SUBMITTED) {
                compute.failTask(taskId, reason.length() > 500 ? reason.substring(0, 500) + "..." : reason);
            }
        }
    }

    private TaskSpec openSpec(ComputeChain.Task task) {
        byte[] sealed = Algorithms.fetch(task.specUrl(), (2L * TaskSpec.MAX_BYTES + 1024) * TaskSpec.MAX_READERS,
                "the task's spec");
        TaskSpec spec;
        try {
            spec = TaskSpec.parse(enclave.identity().unwrapEcies(TaskSpec.sealedFor(new String(sealed, StandardCharsets.US_ASCII),
                    enclave.identity().address())));
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        } catch (RuntimeException e) {
            throw new Refused("the task's spec does not open with this worker's key " + enclave.identity().address()
                    + ": encrypt it (ECIES) to the worker's secp256k1 key in the TeePool");
        }
        // A result key the requester bound into the sqlHash of its own transaction is as much its choice as its own key.
        boolean resultKeyBound = spec.resultKeySqlHash().equalsIgnoreCase(task.sqlHash());
        if (!resultKeyBound && !spec.sqlHash().equalsIgnoreCase(task.sqlHash())) {
            throw new Refused("the spec's dlpId, SQL and result key do not hash to the task's sqlHash");
        }
        if (!spec.paramsHash().equalsIgnoreCase(task.paramsHash())) {
            throw new Refused("the spec's params do not hash to the task's paramsHash");
        }
        if (!resultKeyBound) {
            Address requester = Wallet.addressOf(spec.requesterPublicKey());
            if (!requester.equals(task.requester())) {
                throw new Refused("the spec's requesterPublicKey is " + requester + "'s, not the requester " + task.requester()
                        + "'s: the output would go to someone else");
            }
        }
        return spec;
    }

    private QueryResult select(TaskSpec spec, ComputeChain.Task task) {
        QueryResult rows;
        try {
            rows = queries.selectForTask(spec.sql(), spec.dlpId(), task.requester(), Set.copyOf(task.permissionIds()),
                    licenseScope(spec));
        } catch (QueryException e) {
            throw new Refused("the task's SQL cannot be run under the permissions it paid for: " + e.getMessage());
        }
        Set<Long> paid = new HashSet<>(task.refinerIds());
        for (RowsRead read : rows.rowsRead()) {
            if (!read.rowsByFile().isEmpty() && !paid.contains(read.refinerId())) {
                throw new Refused("the task's SQL reads refiner " + read.refinerId() + ", which the task does not pay for");
            }
        }
        return rows;
    }

    /**
     * What license data with terms needs for this task: {@code compute} for a built-in that applies a model
     * (predict, evaluate); {@code training} for a built-in that trains one and for any program, which may.
     */
    static Scope licenseScope(TaskSpec spec) {
        return Scope.ofTask(Builtin.mayTrain(spec.algorithm()));
    }

    /** The model the task names, checked to be the verified output of task {@code modelId}, unpacked. */
    private Optional<Path> model(TaskSpec spec, ComputeChain.Task task, Path dir) {
        boolean named = !task.modelId().equals(Numeric.toHexString(new byte[32]));
        if (!named) {
            if (spec.model().isPresent()) {
                throw new Refused("the spec carries a model but the task names no modelId");
            }
            return Optional.empty();
        }
        byte[] bundle = spec.model().orElseThrow(() -> new Refused("the task applies model " + task.modelId()
                + " but its spec carries no model (the output of that task)"));
        String recorded = compute.record(task.modelId()).resultHash();
        if (!Numeric.toHexString(Sha256.of(bundle)).equalsIgnoreCase(recorded)) {
            throw new Refused("the model in the spec is not the verified output of task " + task.modelId()
                    + " (its SHA-256 is not that task's resultHash " + recorded + ")");
        }
        try {
            ResultBundle.unpack(bundle, dir, MAX_MODEL_BYTES);
        } catch (ComputeException e) {
            throw new Refused(e.getMessage());
        }
        return Optional.of(dir);
    }

    private String publish(byte[] bytes) {
        return storage.urlOf(storage.put(new ByteArrayInputStream(bytes)));
    }

    /** The attestation report a TEE proof and an OP result both carry. */
    private TaskReport report(ComputeChain.Task task, String resultHash, List<RowsRead> reads, String leavesUrl,
            String outputUrl) {
        Address me = enclave.identity().address();
        Validator self = chain.findValidator(me).orElseThrow(() -> new IllegalStateException("this worker " + me
                + " is not in the TeePool"));
        return new TaskReport(task.taskId(), task.modelId(), task.algorithmDigest(), task.paramsHash(),
                resultHash, self.enclaveType(), self.measurement(), chain.head().seconds(), reads, leavesUrl,
                outputUrl);
    }

    /** Keeps the trace, then proposes the result with it and the worker's bond. */
    private void propose(ComputeChain.Task task, TaskReport report, byte[] signature, Trace trace) {
        journal.saveTrace(task.taskId(), trace);
        BigInteger bond = compute.disputeConfig().workerBond();
        synchronized (chainWrites) {
            compute.submitOptimisticResult(task.taskId(), report.resultHash(), signature, report.encode(), trace.rootHex(),
                    trace.length(), bond);
        }
        LOG.info("[taskId:{}] proposed resultHash {} with a trace of {} steps (root {}) and a bond of {} wei", task.taskId(),
                report.resultHash(), trace.length(), trace.rootHex(), bond);
    }
}
