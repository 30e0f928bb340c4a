package org.datacoop.node.query;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.OwnershipChain.Scope;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.QueryRequestDigest;
import org.datacoop.chain.ReadsDocument;
import org.datacoop.chain.Wallet;
import org.datacoop.node.enclave.Enclave;
import org.datacoop.node.enclave.Workspace;
import org.datacoop.node.program.ProgramException;
import org.datacoop.node.refine.Refinery;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.protocol.query.QueryPermission;
import org.datacoop.protocol.query.QueryRequest;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.protocol.query.RowsRead;
import org.datacoop.query.QueryException;
import org.datacoop.query.engine.CatalogTable;
import org.datacoop.query.engine.PermissionCheck;
import org.datacoop.query.engine.QueryPlan;
import org.datacoop.query.engine.QueryPlanner;
import org.datacoop.query.engine.QueryResult;
import org.datacoop.query.engine.RefinedStore;
import org.datacoop.storage.HttpBlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query engine inside the enclave. A query arrives with its SQL and the builder's EIP-712
 * signature of a {@link QueryRequest}; the service checks the signature and the request, loads any
 * newly refined files of the DataDAOs involved, plans the SQL (only refined tables, every column
 * resolved), checks that the builder holds an approved permission for every column, runs it with
 * DuckDB, refuses a result that releases nothing (no row matched, or every group fell below the
 * minimum group size) before anything is charged, charges the price on-chain (split by the QueryEngine between the protocol, the DataDAO
 * and the owners of the rows read), and only then returns the result, encrypted to the result key the
 * request names, else to the key that signed it.
 */
public final class QueryService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);
    private static final long MAX_RESULT_ROWS = 100_000;

    private final QueryChain queries;
    private final DataCoopChain chain;
    private final Enclave enclave;
    private final Refinery refinery;
    private final HttpBlobStore storage;
    private final Object chainWrites;
    private final RefinedStore store;
    private final QueryPlanner planner;
    private final ChainView view;
    private final PermissionIndex permissions;
    private final TermsIndex terms;
    /** Per refiner, the files refined with no key for this node yet: a service may share one later. */
    private final Map<Long, Set<Long>> unkeyed = new ConcurrentHashMap<>();
    private final Map<Long, Long> unkeyedRetriedAt = new ConcurrentHashMap<>();

    public QueryService(QueryChain queries, DataCoopChain chain, Enclave enclave, Refinery refinery, HttpBlobStore storage,
            Path loadDir, Object chainWrites) {
        this.queries = queries;
        this.storage = storage;
        this.chain = chain;
        this.enclave = enclave;
        this.refinery = refinery;
        this.chainWrites = chainWrites;
        this.store = new RefinedStore(loadDir);
        this.planner = new QueryPlanner(this::table);
        this.view = new ChainView(chain::head);
        this.permissions = new PermissionIndex(queries);
        this.terms = new TermsIndex(chain.ownership());
    }

    /**
     * What a query would cost its caller and the permissions it would use; {@code expected} (rows,
     * groups left out, or why it would not be charged) only for a quote signed by the caller, since it
     * is learnt by running the query. Nothing is charged or released.
     */
    public record Quote(BigInteger price, Address token, List<QueryPermission> permissions, QueryPlan plan,
            Optional<QueryResult.Summary> expected) {}

    /**
     * Checks and prices {@code sql} for {@code caller} without running it: permissions and prices are
     * public on-chain, so anyone may ask. Fails naming what the caller may not read.
     */
    public Quote quote(String sql, long dlpId, Address caller) {
        Checked checked = check(sql, dlpId, caller);
        return new Quote(checked.charge().price(), checked.charge().token(), checked.charge().permissions(), checked.plan(),
                Optional.empty());
    }

    /**
     * Checks, prices and runs a signed query once to tell its signer what it would return. Only the
     * grantee's own signature opens this: an unsigned summary would let anyone test filters against
     * a grantee's permissions for free, as often as they liked.
     */
    public Quote quote(SignedQuery query) {
        Address signer = Wallet.addressOf(verify(query));
        Checked checked = check(query.sql(), query.dlpId(), signer);
        QueryResult.Summary expected = store.run(checked.plan(), MAX_RESULT_ROWS).summary();
        return new Quote(checked.charge().price(), checked.charge().token(), checked.charge().permissions(), checked.plan(),
                Optional.of(expected));
    }

    /**
     * Checks and prices {@code sql} as a compute task's selection for {@code caller}: planned as
     * {@link #selectForTask} plans it (rows, not only aggregates, since they stay in the enclave), data
     * with terms needing a license of {@code scope}. Fails naming what the caller may not read.
     */
    public Quote quoteForTask(String sql, long dlpId, Address caller, Scope scope) {
        QueryPlan plan = planForTask(sql, dlpId);
        PermissionCheck.Charge charge = PermissionCheck.choose(plan, caller, this::permissionsOf);
        requireLicenses(plan, caller, scope);
        return new Quote(charge.price(), charge.token(), charge.permissions(), plan, Optional.empty());
    }

    /** A query planned and priced for its caller, not yet run. */
    private record Checked(QueryPlan plan, PermissionCheck.Charge charge) {}

    private Checked check(String sql, long dlpId, Address caller) {
        QueryPlan plan = plan(sql, dlpId);
        Checked checked = new Checked(plan, PermissionCheck.choose(plan, caller, this::permissionsOf));
        requireLicenses(plan, caller, Scope.QUERY);
        return checked;
    }

    /**
     * Refuses, before anything runs or is charged, a caller without an active {@code scope} license of
     * the data of any file whose owner set terms, among every file with rows in a table the plan reads.
     * Every file of those tables, not only the rows the query ends up reading: a refusal that depended
     * on which rows matched would tell an unlicensed caller whether a file holds a matching row.
     */
    private void requireLicenses(QueryPlan plan, Address caller, Scope scope) {
        DataCoopChain.Head head = view.head();
        terms.catchUp(head.number());
        List<Long> files = plan.tables().stream().map(QueryPlan.TableUse::table).distinct()
                .flatMap(table -> store.filesOf(table).stream()).distinct().sorted().toList();
        terms.refusal(files, caller, scope, head.seconds()).ifPresent(reason -> {
            throw new QueryException(QueryException.Code.NO_PERMISSION, reason);
        });
    }

    /**
     * A signed query as it arrives; {@code resultKey} the secp256k1 public key to encrypt the result to
     * instead of the signer's, covered by the request's {@code sqlHash} ({@link QueryRequestDigest#sqlHash(long, byte[], String)}).
     */
    public record SignedQuery(String sql, long dlpId, QueryRequest request, byte[] signature, Optional<byte[]> resultKey) {}

    /**
     * What a paid query returns: the result encrypted (ECIES) to the request's result key, else to the key that signed it, and
     * the payment's place on-chain with the rows read per file (public there too). Nothing else of the
     * result leaves in the clear.
     */
    public record Answer(String queryId, BigInteger price, Address token, String txHash, String encryptedResult,
            int rows, List<RowsRead> rowsRead, String leavesUrl) {}

    /** Runs and charges a signed query; fails before any charge when anything is wrong. */
    public Answer run(SignedQuery query) {
        QueryRequest request = query.request();
        byte[] signerKey = verify(query);
        Address signer = Wallet.addressOf(signerKey);
        Checked checked = check(query.sql(), query.dlpId(), signer);
        PermissionCheck.Charge charge = checked.charge();
        if (!charge.token().equals(request.token())) {
            throw new QueryException(QueryException.Code.NO_PERMISSION, "this query is priced in token " + charge.token()
                    + ", but the request pays in " + request.token());
        }
        if (charge.price().compareTo(request.maxPrice()) > 0) {
            throw new QueryException(QueryException.Code.NO_PERMISSION, "this query costs " + charge.price()
                    + ", more than the request's max_price " + request.maxPrice());
        }
        BigInteger deposit = view.get("deposit:" + signer + ":" + request.token(), () -> queries.deposits(request.token(), signer));
        if (deposit.compareTo(charge.price()) < 0) {
            throw new QueryException(QueryException.Code.NO_PERMISSION, "the deposit of " + signer + " is " + deposit
                    + ", less than this query's price " + charge.price() + " (`coop query` tops it up)");
        }
        QueryResult result = store.run(checked.plan(), MAX_RESULT_ROWS);
        requireSomethingReleased(result);
        List<RowsRead> reads = result.rowsRead().stream().filter(r -> !r.rowsByFile().isEmpty()).toList();
        // The leaves go to storage before the charge: the settlement names where they are, and a
        // contributor claims its share with them. A charge refused leaves an unused document behind.
        ReadsDocument leaves = new ReadsDocument(queries.queryId(request), reads);
        String leavesUrl = storage.urlOf(storage.put(new ByteArrayInputStream(leaves.toJson())));
        QueryChain.Settlement settlement;
        try {
            synchronized (chainWrites) {
                settlement = queries.settleQuery(request, query.signature(),
                        charge.permissions().stream().map(QueryPermission::id).toList(), reads, leavesUrl);
            }
        } catch (ChainException e) {
            if (e.isUnreachable()) {
                throw e;
            }
            throw new QueryException(QueryException.Code.CHARGE_REFUSED, "the QueryEngine refused the charge; nothing was"
                    + " paid and no result is released: " + e.getMessage(), e);
        }
        LOG.info("[queryId:{}] {} paid {} for {} rows from {} files", settlement.queryId(), signer, settlement.price(),
                result.rows().size(), result.rowsRead().stream().mapToInt(r -> r.rowsByFile().size()).sum());
        String encrypted = new KeyWrapping().wrapEcies(ResultJson.toJson(result).getBytes(StandardCharsets.UTF_8),
                query.resultKey().orElse(signerKey));
        return new Answer(settlement.queryId(), settlement.price(), request.token(), settlement.txHash(), encrypted,
                result.rows().size(), reads, leavesUrl);
    }

    /** Rows a compute task reads: at most this many, as its algorithm loads them into memory. */
    public static final long MAX_TASK_ROWS = 2_000_000;

    /**
     * Selects the rows of a compute task: {@code sql} planned as a query of {@code dlpId}'s tables,
     * permitted for {@code requester} by the permissions {@code paidPermissions} only (those the task
     * paid for), with the same rows-read lineage as a query. The rows stay in the enclave, so they are
     * not grouped; instead they must come from at least as many contributors as the minimum group size
     * of every DataDAO read, so no algorithm learns from one person's data alone. Fails naming what the
     * task may not read, or that it selects too little. Nothing is charged: the task's escrow pays.
     * Data whose owner set terms needs a license of {@code scope}: {@code training} for an algorithm that
     * may train a model, {@code compute} for one that only applies one.
     */
    public QueryResult selectForTask(String sql, long dlpId, Address requester, Set<Long> paidPermissions, Scope scope) {
        QueryPlan plan = planForTask(sql, dlpId);
        PermissionCheck.choose(plan, requester,
                refiner -> permissionsOf(refiner).stream().filter(p -> paidPermissions.contains(p.id())).toList());
        requireLicenses(plan, requester, scope);
        QueryResult result = store.run(plan, MAX_TASK_ROWS);
        requireSomethingReleased(result);
        long required = plan.tables().stream().mapToLong(t -> minGroupSize(t.table().dlpId())).max().orElse(0);
        long contributors = result.rowsRead().stream().flatMap(r -> r.rowsByFile().keySet().stream()).distinct()
                .map(file -> store.ownerOf(file).orElseThrow()).distinct().count();
        if (contributors < required) {
            throw new QueryException(QueryException.Code.NOTHING_RELEASED, "the task's rows come from " + contributors
                    + " contributor(s); the DataDAO lets algorithms learn only from at least " + required);
        }
        return result;
    }

    /**
     * The public key that signed {@code query}, once the signature is the grantee's over this very
     * request (this service, this DataDAO and SQL, a deadline not passed); fails saying which is not.
     */
    private byte[] verify(SignedQuery query) {
        QueryRequest request = query.request();
        Address me = enclave.identity().address();
        if (!request.service().equals(me)) {
            throw new QueryException(QueryException.Code.NO_PERMISSION, "the request names service " + request.service()
                    + "; this is " + me);
        }
        String sqlHash = query.resultKey().map(key -> QueryRequestDigest.sqlHash(query.dlpId(), key, query.sql()))
                .orElseGet(() -> QueryRequestDigest.sqlHash(query.dlpId(), query.sql()));
        if (!request.sqlHash().equalsIgnoreCase(sqlHash)) {
            throw new QueryException(QueryException.Code.NO_PERMISSION, query.resultKey().isPresent()
                    ? "sql_hash is not the hash of dlp_id, result_key and the sql sent: the signature does not cover this result_key"
                    : "sql_hash is not the hash of dlp_id and the sql sent");
        }
        byte[] digest = queries.queryDigest(request);
        byte[] signerKey;
        try {
            signerKey = Wallet.signerPublicKeyOfDigest(digest, query.signature());
        } catch (IllegalArgumentException e) {
            throw new QueryException(QueryException.Code.NO_PERMISSION, "the signature is malformed: " + e.getMessage());
        }
        Address signer = Wallet.addressOf(signerKey);
        if (!signer.equals(request.grantee())) {
            throw new QueryException(QueryException.Code.NO_PERMISSION, "the signature is by " + signer + ", not by grantee "
                    + request.grantee());
        }
        if (request.deadline() < view.head().seconds()) {
            throw new QueryException(QueryException.Code.NO_PERMISSION, "the request's deadline " + request.deadline()
                    + " has passed");
        }
        return signerKey;
    }

    /**
     * Refuses, before anything is charged, a result that releases nothing: the builder would pay for
     * "nothing matched" or for groups it may not see. The reason is the one the quote gave.
     */
    static void requireSomethingReleased(QueryResult result) {
        result.summary().notCharged().ifPresent(reason -> {
            throw new QueryException(QueryException.Code.NOTHING_RELEASED, reason);
        });
    }

    /** Plans a task's selection: no groups, as its rows never leave the enclave (see {@link #selectForTask}). */
    private QueryPlan planForTask(String sql, long dlpId) {
        return planner.plan(sql, dlpId, dataDao -> 0);
    }

    /** Plans {@code sql}, loading each DataDAO's newly refined files the first time one of its tables is named. */
    private QueryPlan plan(String sql, long dlpId) {
        return planner.plan(sql, dlpId, this::minGroupSize);
    }

    /** The planner's catalog: DataDAO {@code dlpId}'s table {@code name}, with what was refined since loaded. */
    private Optional<CatalogTable> table(long dlpId, String name) {
        sync(dlpId);
        return store.table(dlpId, name);
    }

    private long minGroupSize(long dlpId) {
        return view.get("group:" + dlpId, () -> queries.minGroupSize(dlpId));
    }

    private List<QueryPermission> permissionsOf(long refinerId) {
        permissions.catchUp(view.head().number());
        return permissions.of(refinerId);
    }

    /**
     * Loads every file refined for {@code dlpId}'s refiners that this node holds a key for and has not
     * loaded. One load at a time; a file that cannot be loaded is logged and skipped (until a restart),
     * so it does not stop queries of the rest.
     */
    private synchronized void sync(long dlpId) {
        List<Refiner> refiners = view.get("refiners:" + dlpId, () -> {
            try {
                chain.requireDataDao(dlpId);
            } catch (ChainException e) {
                if (e.isUnreachable()) {
                    throw e;
                }
                throw new QueryException(QueryException.Code.UNKNOWN_NAME, e.getMessage());
            }
            return queries.refinersOf(dlpId);
        });
        for (Refiner refiner : refiners) {
            if (!store.hasRefiner(refiner.id()) && !addRefiner(dlpId, refiner)) {
                continue;
            }
            long count = view.get("refined:" + refiner.id(), () -> queries.refinedFilesCount(refiner.id()));
            long seen = view.seen(refiner.id());
            Set<Long> unkeyed = this.unkeyed.computeIfAbsent(refiner.id(), id -> ConcurrentHashMap.newKeySet());
            // Files refined before their key was shared here are asked about again once a block, not every query.
            long head = view.head().number();
            Long retried = unkeyedRetriedAt.put(refiner.id(), head);
            List<Long> pending = new ArrayList<>(retried == null || retried != head ? List.copyOf(unkeyed) : List.of());
            if (count > seen) {
                pending.addAll(queries.refinedFiles(refiner.id(), seen));
            }
            if (!pending.isEmpty()) {
                for (long fileId : pending) {
                    try {
                        if (loadRefined(refiner, fileId)) {
                            unkeyed.remove(fileId);
                        } else {
                            unkeyed.add(fileId);
                        }
                    } catch (ChainException e) {
                        if (e.isUnreachable()) {
                            throw e;
                        }
                        LOG.warn("[fileId:{}] the refinement of refiner {} is not served: {}", fileId, refiner.id(), e.getMessage());
                    } catch (RuntimeException e) {
                        // The kind only: a message could quote refined data.
                        LOG.warn("[fileId:{}] the refinement of refiner {} is not served: {}", fileId, refiner.id(),
                                e.getClass().getSimpleName());
                    }
                }
                view.markSeen(refiner.id(), count);
            }
        }
    }

    /**
     * Declares {@code refiner}'s tables; false, logged, when its program or schema cannot be used (a
     * broken refiner must not stop queries of the DataDAO's other tables). Tried again next block.
     */
    private boolean addRefiner(long dlpId, Refiner refiner) {
        try {
            store.addRefiner(dlpId, refiner.id(), refinery.load(refiner).tables());
            return true;
        } catch (ChainException e) {
            if (e.isUnreachable()) {
                throw e;
            }
            LOG.warn("[dlpId:{}] refiner {} is not served: {}", dlpId, refiner.id(), e.getMessage());
        } catch (QueryException | ProgramException e) {
            LOG.warn("[dlpId:{}] refiner {} is not served: {}", dlpId, refiner.id(), e.getMessage());
        }
        return false;
    }

    /** Loads the file's refinement unless loaded; false when this node holds no key to it (yet). */
    private boolean loadRefined(Refiner refiner, long fileId) {
        if (store.isLoaded(refiner.id(), fileId)) {
            return true;
        }
        byte[] key = queries.refinementKey(fileId, refiner.id(), enclave.identity().address());
        if (key.length == 0) {
            LOG.debug("[fileId:{}] refiner {} shared no key with this node; its rows are not served here", fileId, refiner.id());
            return false;
        }
        Address owner = chain.file(fileId).owner();
        Path dir = null;
        try {
            dir = Files.createTempDirectory(store.loadDir(), refiner.id() + "-" + fileId + "-");
            store.load(refiner.id(), fileId, owner, refinery.openRefined(fileId, refiner.id(), key, dir));
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the refinement of file " + fileId, e);
        } finally {
            if (dir != null) {
                Workspace.deleteTree(dir);
            }
        }
    }

    @Override
    public void close() {
        store.close();
    }

    /**
     * Chain reads cached until the next block: refiners, deposits and counts change only with a
     * transaction, and the QueryEngine checks the deposit again when it settles. The newest block
     * (number and time) is read once per query, in one call.
     */
    private static final class ChainView {
        private final Supplier<DataCoopChain.Head> heads;
        private final Map<String, Object> values = new ConcurrentHashMap<>();
        private final Map<Long, Long> seen = new ConcurrentHashMap<>();
        private volatile DataCoopChain.Head head = new DataCoopChain.Head(-1, 0);
        private volatile long checkedAt;

        ChainView(Supplier<DataCoopChain.Head> heads) {
            this.heads = heads;
        }

        /** The newest block as last read (within the last millisecond). */
        DataCoopChain.Head head() {
            refresh();
            return head;
        }

        @SuppressWarnings("unchecked")
        <T> T get(String key, Supplier<T> read) {
            refresh();
            return (T) values.computeIfAbsent(key, k -> read.get());
        }

        long seen(long refinerId) {
            return seen.getOrDefault(refinerId, 0L);
        }

        void markSeen(long refinerId, long count) {
            seen.merge(refinerId, count, Math::max);
        }

        private void refresh() {
            long now = System.nanoTime();
            if (head.number() >= 0 && now - checkedAt < 1_000_000) {
                return; // within a millisecond: one head read serves a whole query
            }
            checkedAt = now;
            DataCoopChain.Head latest;
            try {
                latest = heads.get();
            } catch (ChainException e) {
                values.clear();
                throw e;
            }
            if (latest.number() != head.number()) {
                values.clear();
            }
            head = latest;
        }
    }
}
