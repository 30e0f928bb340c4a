package org.datacoop.sdk.compute;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.OwnershipChain.Scope;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.TaskSpec;
import org.datacoop.chain.Wallet;
import org.datacoop.compute.AlgorithmDigest;
import org.datacoop.compute.ComputeException;
import org.datacoop.compute.ResultBundle;
import org.datacoop.compute.builtin.Builtin;
import org.datacoop.compute.builtin.TrainingParams;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.Sha256;
import org.datacoop.protocol.Validator;
import org.datacoop.protocol.crypto.CryptoException;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.sdk.node.NodeHttp;
import org.datacoop.sdk.query.QueryClient;
import org.datacoop.storage.HttpBlobStore;

/**
 * A builder's side of compute-to-data in TEE mode: allowlist algorithms (a DataDAO's owner), price and
 * submit a task over a permitted SQL selection, follow it, read its output (encrypted to the requester),
 * re-check its proof without trusting the worker, and get refunded or paid. Everything a submission can
 * be refused for is checked before anything is paid: the algorithm's allowance by every DataDAO read,
 * the column permissions, the model and the price. The output is encrypted to the wallet's key, or to a
 * result key of the client's own ({@link #withResultKey}).
 */
public final class ComputeClient {
    /** A model or an output larger than this is refused when unpacked. */
    public static final long MAX_OUTPUT_BYTES = TaskSpec.MAX_BYTES;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NO_MODEL = "0x" + "0".repeat(64);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final DataCoopChain chain;
    private final QueryChain queries;
    private final ComputeChain compute;
    private final Wallet wallet;
    private final HttpBlobStore storage;
    private final Function<String, byte[]> fetch;
    private final Optional<BigInteger> resultKey;

    /**
     * @param storage where the task's spec is uploaded (the deployment's storage gateway)
     * @param fetch reads a stored blob by its url: outputs, leaves documents
     */
    public ComputeClient(DataCoopChain chain, QueryChain queries, ComputeChain compute, Wallet wallet, HttpBlobStore storage,
            Function<String, byte[]> fetch) {
        this(chain, queries, compute, wallet, storage, fetch, Optional.empty());
    }

    private ComputeClient(DataCoopChain chain, QueryChain queries, ComputeChain compute, Wallet wallet, HttpBlobStore storage,
            Function<String, byte[]> fetch, Optional<BigInteger> resultKey) {
        this.chain = chain;
        this.queries = queries;
        this.compute = compute;
        this.wallet = wallet;
        this.storage = storage;
        this.fetch = fetch;
        this.resultKey = resultKey;
    }

    /**
     * This client with outputs encrypted to the secp256k1 key {@code privateKey} instead of the wallet's:
     * a task's spec names its public key and the task's sqlHash binds it ({@link TaskSpec#resultKeySqlHash}).
     * For a wallet that signs but cannot decrypt, as the web app's; and to read the output of a task the
     * web app submitted, with the result key it made.
     */
    public ComputeClient withResultKey(BigInteger privateKey) {
        return new ComputeClient(chain, queries, compute, wallet, storage, fetch, Optional.of(privateKey));
    }

    /** One check of {@link #verify}, passed or not, with what it compared. */
    public record Check(String name, boolean passed, String detail) {}

    // ---- algorithms

    /** An algorithm as named by a requester: its digest and, for a built-in, its descriptor. */
    public record AlgorithmRef(String digest, Optional<String> descriptor) {
        /** The descriptor when there is one, else the digest: what people read and what a spec names. */
        public String label() {
            return descriptor.orElse(digest);
        }
    }

    /** A built-in by its name or descriptor ({@code logistic-regression}), or any algorithm by its digest. */
    public static AlgorithmRef algorithm(String nameOrDigest) {
        Optional<Builtin> builtin = Builtin.byName(nameOrDigest);
        if (builtin.isPresent()) {
            return new AlgorithmRef(builtin.get().digest().toString(), Optional.of(builtin.get().descriptor()));
        }
        AlgorithmDigest digest;
        try {
            digest = AlgorithmDigest.parse(nameOrDigest);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown algorithm '" + nameOrDigest + "': neither a built-in ("
                    + String.join(", ", Arrays.stream(Builtin.values()).map(Builtin::shortName).toList())
                    + ") nor a digest (0x and 64 hex digits)");
        }
        return new AlgorithmRef(digest.toString(), Builtin.byDigest(digest).map(Builtin::descriptor));
    }

    /** Allows an algorithm on DataDAO {@code dlpId}'s data (its owner only); returns the transaction hash. */
    public String allowAlgorithm(long dlpId, String nameOrDigest) {
        AlgorithmRef algorithm = algorithm(nameOrDigest);
        requireOwner(dlpId);
        if (compute.isAlgorithmAllowed(dlpId, algorithm.digest())) {
            throw new IllegalArgumentException("DataDAO " + dlpId + " already allows " + algorithm.label());
        }
        return compute.allowAlgorithm(dlpId, algorithm.digest());
    }

    /** Takes an algorithm off DataDAO {@code dlpId}'s allowlist (its owner only); returns the transaction hash. */
    public String disallowAlgorithm(long dlpId, String nameOrDigest) {
        AlgorithmRef algorithm = algorithm(nameOrDigest);
        requireOwner(dlpId);
        if (!compute.isAlgorithmAllowed(dlpId, algorithm.digest())) {
            throw new IllegalArgumentException("DataDAO " + dlpId + " does not allow " + algorithm.label());
        }
        return compute.disallowAlgorithm(dlpId, algorithm.digest());
    }

    /** The allowlist is its owner's: refused here with the owner named, rather than as a revert. */
    private void requireOwner(long dlpId) {
        chain.requireDataDao(dlpId);
        Address owner = queries.dataDaoOwner(dlpId);
        if (!owner.equals(compute.account())) {
            throw new IllegalArgumentException("only DataDAO " + dlpId + "'s owner " + owner + " manages its algorithms, not "
                    + compute.account());
        }
    }

    /** The algorithms DataDAO {@code dlpId} allows, with the built-ins' descriptors. */
    public List<AlgorithmRef> algorithms(long dlpId) {
        chain.requireDataDao(dlpId);
        return compute.allowedAlgorithms(dlpId).stream()
                .map(d -> new AlgorithmRef(d, Builtin.byDigest(AlgorithmDigest.parse(d)).map(Builtin::descriptor)))
                .toList();
    }

    // ---- quote and submit

    /**
     * What a task over {@code sql} would read and cost: the permissions and refiners it uses, the DataDAOs
     * those belong to, the data price the TaskCoordinator charges, and the worker (the DataDAO's query
     * service). Fails naming the column the wallet may not read, or the data whose owner set terms and
     * granted no license of the scope {@code algorithm} needs (training if it may train a model, else compute).
     */
    public record Quote(List<Long> permissionIds, List<Long> refinerIds, List<Long> dlpIds, Address token,
            BigInteger dataPrice, Address worker) {}

    public Quote quote(long dlpId, String sql, String algorithm) {
        QueryClient.SelectionQuote priced = new QueryClient(chain, queries, wallet).priceSelection(sql, dlpId,
                Scope.ofTask(Builtin.mayTrain(algorithm)));
        if (!priced.token().isZero()) {
            throw new IllegalArgumentException("the selection is priced in the ERC-20 " + priced.token()
                    + "; tasks are paid in ether here");
        }
        List<Long> permissionIds = priced.permissions().stream().map(QueryClient.PermissionUse::id).sorted().toList();
        Set<Long> dlpIds = new LinkedHashSet<>();
        priced.refinerIds().forEach(id -> dlpIds.add(queries.refiner(id).dlpId()));
        BigInteger dataPrice = compute.quote(wallet.address(), priced.token(), permissionIds);
        return new Quote(permissionIds, priced.refinerIds(), List.copyOf(dlpIds), priced.token(), dataPrice, priced.service());
    }

    /**
     * A task to submit.
     *
     * @param model the model for inference or evaluation: the id of a verified task this wallet requested
     *     (its output is fetched and decrypted), or a directory holding such an output
     * @param maxPrice the most the data may cost (default: the quoted price)
     * @param mode how the result is verified: TEE (proved and paid at once) or OP (proposed, then verified and
     *     paid once its challenge window has passed unchallenged); TEE_ZK is not built yet
     */
    public record Request(long dlpId, String sql, String algorithm, String params, Optional<String> model,
            BigInteger workerFee, Optional<BigInteger> maxPrice, Duration deadline, ComputeChain.Mode mode) {
        public Request {
            params = params == null || params.isBlank() ? "{}" : params;
            if (mode == ComputeChain.Mode.TEE_ZK) {
                throw new IllegalArgumentException("the TEE_ZK verify mode is not built yet; use TEE or OP");
            }
            if (workerFee.signum() < 0) {
                throw new IllegalArgumentException("the worker fee must not be negative");
            }
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("the deadline must be in the future");
            }
        }
    }

    /** A submitted task: its id, what it paid (worker fee plus data price) and where. */
    public record Submitted(String taskId, Quote quote, BigInteger workerFee, BigInteger paid, String specUrl, String txHash) {}

    /**
     * Checks {@code request} (the algorithm's allowance by every DataDAO it reads, the column permissions,
     * the params of a training, the model, the price), then encrypts its spec to the worker, uploads it
     * and submits the task paying the worker's fee and the data price. Nothing is paid if a check fails.
     */
    public Submitted submit(Request request) {
        AlgorithmRef algorithm = algorithm(request.algorithm());
        requireParams(algorithm, request.params());
        Quote quote = quote(request.dlpId(), request.sql(), algorithm.descriptor().orElse(algorithm.digest()));
        for (long dlpId : quote.dlpIds()) {
            if (!compute.isAlgorithmAllowed(dlpId, algorithm.digest())) {
                throw new IllegalArgumentException("DataDAO " + dlpId + " does not allow algorithm " + algorithm.label()
                        + (algorithm.descriptor().isPresent() ? " (" + algorithm.digest() + ")" : "")
                        + " on its data; its owner allows it with `coop algorithm allow`");
            }
        }
        Optional<Model> model = request.model().map(this::model);
        BigInteger maxPrice = request.maxPrice().orElse(quote.dataPrice());
        if (quote.dataPrice().compareTo(maxPrice) > 0) {
            throw new IllegalArgumentException("the data costs " + quote.dataPrice() + " wei, more than the maximum of "
                    + maxPrice);
        }
        Validator worker = chain.findValidator(quote.worker()).orElseThrow(() -> new ChainException(
                "the worker " + quote.worker() + " is not registered in the TeePool"));
        if (worker.secp256k1PublicKey() == null || worker.secp256k1PublicKey().length == 0) {
            throw new ChainException("the worker " + quote.worker() + " publishes no secp256k1 key to encrypt the task to");
        }
        TaskSpec spec = new TaskSpec(request.dlpId(), request.sql(), algorithm.label(), request.params(),
                resultKey.map(KeyWrapping::secp256k1PublicKey).orElseGet(wallet::publicKey), model.map(Model::bundle));
        String wrapped = spec.sealTo(specReaders(chain, queries, worker, quote.dlpIds(), request.mode()));
        String specUrl = storage.urlOf(storage.put(new ByteArrayInputStream(wrapped.getBytes(StandardCharsets.UTF_8))));
        long deadline = chain.latestBlockSeconds() + request.deadline().toSeconds();
        String sqlHash = resultKey.isPresent() ? spec.resultKeySqlHash() : spec.sqlHash();
        ComputeChain.TaskRequest task = new ComputeChain.TaskRequest(sqlHash, quote.refinerIds(), quote.permissionIds(),
                algorithm.digest(), model.map(Model::taskId).orElse(NO_MODEL), spec.paramsHash(), quote.worker(),
                quote.token(), request.workerFee(), maxPrice, deadline, specUrl, request.mode());
        BigInteger value = request.workerFee().add(quote.dataPrice());
        ComputeChain.Submitted submitted = compute.submitTask(task, value);
        return new Submitted(submitted.taskId(), quote, request.workerFee(), value, specUrl, submitted.txHash());
    }

    /**
     * Who may open the spec: the worker; for an OP task also the active refinement services of the
     * DataDAOs read (the worker first, then by address, at most {@link TaskSpec#MAX_READERS}), who may
     * re-execute it to challenge the result or to referee its dispute.
     */
    public static Map<Address, byte[]> specReaders(DataCoopChain chain, QueryChain queries, Validator worker,
            List<Long> dlpIds, ComputeChain.Mode mode) {
        Map<Address, byte[]> readers = new LinkedHashMap<>();
        readers.put(worker.address(), worker.secp256k1PublicKey());
        if (mode == ComputeChain.Mode.OP) {
            dlpIds.stream().flatMap(dlpId -> queries.refinementServices(dlpId).stream()).distinct()
                    .sorted(Comparator.comparing(Address::value))
                    .map(chain::findValidator).flatMap(Optional::stream)
                    .filter(v -> v.active() && v.secp256k1PublicKey() != null && v.secp256k1PublicKey().length > 0)
                    .limit(TaskSpec.MAX_READERS - 1L)
                    .forEach(v -> readers.putIfAbsent(v.address(), v.secp256k1PublicKey()));
        }
        return readers;
    }

    /** How a challenger's check of an OP result stands: {@code checking}, {@code disputing}, {@code agreed} or {@code disputed}. */
    public record Challenge(String taskId, Address validator, String state, String reason) {}

    /**
     * Asks {@code validator}, a challenger of a DataDAO the task reads, to check OP task {@code taskId}'s
     * result now ({@code POST /challenge} at its TeePool url): it re-executes the task and disputes a
     * different result. Its refusal (not a challenger there, no OP result) fails naming why.
     */
    public Challenge challenge(String taskId, Address validator) {
        Validator node = chain.findValidator(validator).filter(Validator::active).orElseThrow(() ->
                new IllegalArgumentException(validator + " is not an active validator in the TeePool"));
        JsonNode answer = NodeHttp.post(node.url() + "/challenge", JSON.createObjectNode().put("task_id", taskId),
                "validator " + validator, (status, message) -> new IllegalArgumentException(message));
        return new Challenge(answer.path("task_id").asText(), validator, answer.path("state").asText(),
                answer.path("reason").asText());
    }

    /** A training's params are checked here, before payment, as the worker would check them. */
    private static void requireParams(AlgorithmRef algorithm, String params) {
        try {
            JsonNode node = JSON.readTree(params);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("the params must be a JSON object, not " + params);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the params are not JSON: " + e.getOriginalMessage());
        }
        Optional<Builtin> builtin = algorithm.descriptor().flatMap(Builtin::byDescriptor);
        if (builtin.isPresent() && (builtin.get() == Builtin.LOGISTIC_REGRESSION || builtin.get() == Builtin.LINEAR_REGRESSION)) {
            try {
                TrainingParams.parse(params);
            } catch (ComputeException e) {
                throw new IllegalArgumentException(builtin.get().descriptor() + ": " + e.getMessage());
            }
        }
    }

    private record Model(String taskId, byte[] bundle) {}

    /** A model named by a verified task's id, or a directory holding the output of one this wallet requested. */
    private Model model(String taskIdOrDir) {
        if (taskIdOrDir.matches("0[xX][0-9a-fA-F]{64}")) {
            String taskId = taskIdOrDir.toLowerCase(Locale.ROOT);
            ComputeChain.Record record = compute.record(taskId);
            if (record.status() != ComputeChain.Status.VERIFIED) {
                throw new IllegalArgumentException("unknown model " + taskId + ": no verified task has that id"
                        + (record.status() == ComputeChain.Status.NONE ? "" : " (the task is " + record.status() + ")"));
            }
            return new Model(taskId, output(taskId));
        }
        Path dir = Path.of(taskIdOrDir);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("unknown model " + taskIdOrDir + ": neither a task id (0x and 64 hex digits)"
                    + " nor a directory");
        }
        byte[] bundle = ResultBundle.of(dir);
        String resultHash = Hex.prefixed(Sha256.of(bundle));
        return compute.tasksRequestedBy(wallet.address()).stream()
                .filter(id -> compute.record(id).status() == ComputeChain.Status.VERIFIED
                        && compute.record(id).resultHash().equalsIgnoreCase(resultHash))
                .findFirst()
                .map(id -> new Model(id, bundle))
                .orElseThrow(() -> new IllegalArgumentException("unknown model " + dir + ": it is not the output of a verified"
                        + " task of " + wallet.address() + " (its result hash " + resultHash + " is none of theirs)"));
    }

    // ---- follow, read, check

    /**
     * A task as the chain keeps it, its record, where its payment stands, and for an OP task whose
     * result was proposed, its proposal in the DisputeGame (its challenge window), its latest dispute
     * and that dispute's moves, and the chain's block.
     */
    public record TaskView(ComputeChain.Task task, ComputeChain.Record record, String escrow,
            Optional<ComputeChain.Proposal> proposal, Optional<ComputeChain.Dispute> dispute,
            List<ComputeChain.Move> moves, long block) {}

    public TaskView show(String taskId) {
        ComputeChain.Task task = task(taskId);
        ComputeChain.Record record = compute.record(task.taskId());
        Optional<ComputeChain.Proposal> proposal = task.mode() == ComputeChain.Mode.OP
                ? compute.proposal(task.taskId()) : Optional.empty();
        String escrow = switch (record.status()) {
            case SUBMITTED -> chain.latestBlockSeconds() > task.deadline()
                    ? "held; refundable (the deadline passed unproved)" : "held in escrow until the proof or the deadline";
            case PROPOSED -> "held while the result's challenge window runs (optimistic mode)";
            case VERIFIED -> "paid out to the worker, the DataDAO, the contributors and the protocol";
            case FAILED -> "held; refundable (the worker failed the task)";
            case REFUNDED -> "refunded to the requester";
            case NONE -> "none";
        };
        Optional<ComputeChain.Dispute> dispute = proposal.isPresent() ? compute.dispute(task.taskId()) : Optional.empty();
        List<ComputeChain.Move> moves = dispute.isPresent() ? compute.moves(task.taskId()) : List.of();
        return new TaskView(task, record, escrow, proposal, dispute, moves, compute.blockNumber());
    }

    /**
     * Waits until task {@code taskId} is verified, failed or refunded, or {@code timeout} passes (then
     * fails naming where it stands); {@code progress} hears each change of status.
     */
    public ComputeChain.Record waitFor(String taskId, Duration timeout, Consumer<String> progress) {
        task(taskId);
        Instant end = Instant.now().plus(timeout);
        ComputeChain.Status seen = null;
        while (true) {
            ComputeChain.Record record = compute.record(taskId);
            if (record.status() != seen) {
                seen = record.status();
                progress.accept("task " + taskId + " is " + seen.name().toLowerCase(Locale.ROOT)
                        + (seen == ComputeChain.Status.FAILED ? ": " + record.failureReason() : ""));
            }
            if (seen != ComputeChain.Status.SUBMITTED && seen != ComputeChain.Status.PROPOSED) {
                return record;
            }
            if (Instant.now().isAfter(end)) {
                throw new ChainException("task " + taskId + " is still " + seen.name().toLowerCase(Locale.ROOT)
                        + (seen == ComputeChain.Status.PROPOSED ? " (in its challenge window)" : ", unproved") + " after "
                        + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChainException("interrupted while waiting for task " + taskId, e);
            }
        }
    }

    /**
     * Decrypts task {@code taskId}'s output (this wallet must be its requester), checks it hashes to the
     * recorded result hash, and unpacks it into {@code dir} (created if missing, must be empty).
     */
    public List<Path> result(String taskId, Path dir) {
        byte[] bundle = output(taskId);
        try {
            if (Files.isDirectory(dir)) {
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException(dir + " is not empty; give an empty or new directory");
                    }
                }
            }
            ResultBundle.unpack(bundle, dir, MAX_OUTPUT_BYTES);
            List<Path> files = new ArrayList<>();
            try (var walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the output into " + dir, e);
        }
    }

    /** The output bundle of a verified task this wallet requested, checked against its result hash. */
    private byte[] output(String taskId) {
        ComputeChain.Task task = task(taskId);
        if (!task.requester().equals(wallet.address())) {
            throw new IllegalArgumentException("task " + taskId + " was requested by " + task.requester() + ", not by "
                    + wallet.address() + ": its output is encrypted to its requester only");
        }
        ComputeChain.Record record = compute.record(taskId);
        if (record.status() != ComputeChain.Status.VERIFIED) {
            throw new IllegalArgumentException("task " + taskId + " is " + record.status() + ", not verified: it has no output"
                    + (record.status() == ComputeChain.Status.FAILED ? " (" + record.failureReason() + ")" : ""));
        }
        byte[] bundle;
        try {
            String sealed = new String(fetch.apply(record.outputUrl()), StandardCharsets.UTF_8).strip();
            bundle = resultKey.isPresent() ? new KeyWrapping().unwrapEcies(sealed, resultKey.get()) : wallet.unwrapEcies(sealed);
        } catch (CryptoException e) {
            throw new IllegalArgumentException("the output of task " + taskId + " at " + record.outputUrl()
                    + " does not open with " + (resultKey.isPresent() ? "the result key" : "this wallet's key"));
        }
        String hash = Hex.prefixed(Sha256.of(bundle));
        if (!hash.equalsIgnoreCase(record.resultHash())) {
            throw new IllegalArgumentException("the output of task " + taskId + " hashes to " + hash + ", not to its recorded"
                    + " result hash " + record.resultHash());
        }
        return bundle;
    }

    /**
     * Re-checks task {@code taskId}'s proof from the chain and storage without trusting the worker:
     * the proving transaction's report and signature, the report against the task, its record and the
     * TeePool, the leaves document against the report's roots, and the Verifier's answer. Every check is
     * returned, passed or not.
     */
    public List<Check> verify(String taskId) {
        ComputeChain.Task task = task(taskId);
        ComputeChain.Record record = compute.record(task.taskId());
        return ProofCheck.run(new ProofCheck.Evidence(task, record, compute.proof(task.taskId()),
                chain.findValidator(task.worker()),
                reportHash -> compute.teeResultDigest(task.taskId(), record.resultHash(), reportHash),
                fetch, () -> compute.verifyResult(task.taskId())));
    }

    // ---- payments

    /** Refunds a failed task, or one unproved past its deadline, to the requester's Settlement earnings. */
    public String refund(String taskId) {
        TaskView view = show(taskId);
        ComputeChain.Status status = view.record().status();
        boolean due = status == ComputeChain.Status.FAILED
                || status == ComputeChain.Status.SUBMITTED && chain.latestBlockSeconds() > view.task().deadline();
        if (!due) {
            throw new IllegalArgumentException("task " + taskId + " is " + status.name().toLowerCase(Locale.ROOT)
                    + (status == ComputeChain.Status.SUBMITTED ? " and its deadline " + view.task().deadline() + " has not passed" : "")
                    + ": only a failed task, or one unproved past its deadline, is refunded");
        }
        return compute.refund(view.task().taskId());
    }

    /** What {@code account} may claim from the Settlement, in ether. */
    public BigInteger earnings(Address account) {
        return compute.earnings(Address.ZERO, account);
    }

    /** Pays this wallet's Settlement earnings out to it; returns the transaction hash, or empty with nothing to claim. */
    public Optional<String> claim() {
        if (earnings(wallet.address()).signum() == 0) {
            return Optional.empty();
        }
        return Optional.of(compute.claim(Address.ZERO));
    }

    private ComputeChain.Task task(String taskId) {
        if (!taskId.matches("0[xX][0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("a task id is 0x and 64 hex digits, not '" + taskId + "'");
        }
        return compute.task(taskId.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> ChainException.notFound("unknown task " + taskId));
    }
}
