package org.datacoop.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.datacoop.chain.QueryRequestDigest;
import org.datacoop.chain.Wallet;
import org.datacoop.node.query.ResultJson;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.protocol.query.QueryPermission;
import org.datacoop.protocol.query.QueryRequest;
import org.datacoop.query.QueryException;
import org.datacoop.query.Sql;
import org.datacoop.query.engine.PermissionCheck;
import org.datacoop.query.engine.QueryPlan;
import org.datacoop.query.engine.QueryPlanner;
import org.datacoop.query.engine.QueryResult;
import org.datacoop.query.engine.RefinedStore;
import org.datacoop.query.refine.RefinedWriter;

/**
 * A paid SQL query through the permission path against plain DuckDB over the same rows, in the same
 * run: 1,000,000 rows of the sample DataDAO's fitness table ({@code daily_steps}) in 1,000 refined
 * Parquet files (1,000 rows each, one contributor per file, written in {@link RefinedWriter}'s layout),
 * loaded file by file into the production {@link RefinedStore}. Each query is timed through everything {@code QueryService.run} does for it
 * with its chain reads warm: the EIP-712 signature check, planning (SQL parse, column resolution,
 * lineage columns), the permission check against the cached permission list, the DuckDB run with
 * rows-read accounting, the result JSON and its ECIES encryption to the signer's key. The on-chain
 * settlement and the two uncached block reads (block number and newest block time) are chain round
 * trips, not query work, and are left out; so is the HTTP layer. The peer is one in-memory DuckDB
 * connection holding the same rows in one table (loaded the same way, so laid out the same), running
 * the caller's SQL and reading every cell of the result through JDBC. Prints p50/p90 of each and the ratio of the p50s against the goal of
 * at most 1.2.
 *
 * <p>Usage: {@code QueryBenchmark [--files N] [--json]} (default 1,000 files of 1,000 rows). Progress
 * goes to stderr.
 */
public final class QueryBenchmark {
    private static final int DEFAULT_FILES = 1_000;
    private static final int ROWS_PER_FILE = RefinedRows.ROWS_PER_FILE;
    /** Warm-up: at least this many runs of each path, and on until both together have run for WARM_UP_NANOS. */
    private static final int MIN_WARM_UP_RUNS = 3;
    private static final int MAX_WARM_UP_RUNS = 200;
    private static final long WARM_UP_NANOS = 3_000_000_000L;
    private static final int DIAGNOSTIC_RUNS = 5;
    private static final double GOAL_RATIO = 1.2;
    private static final long DLP_ID = RefinedRows.DLP_ID;
    private static final long REFINER_ID = RefinedRows.REFINER_ID;
    private static final long MAX_RESULT_ROWS = 100_000;
    private static final long CHAIN_ID = 31_337;
    private static final String QUERY_ENGINE = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    /** The newest block's time as the node would have read it: the request's deadline is checked against it. */
    private static final long CHAIN_SECONDS = 1_750_000_000L;
    private static final BigInteger PRICE_PER_COLUMN = BigInteger.TEN.pow(15);
    /** As QueryService finds the DataDAOs a query names. */
    private static final Pattern DLP_REFERENCE = Pattern.compile("\\bdlp([1-9][0-9]{0,17})\\s*\\.", Pattern.CASE_INSENSITIVE);

    private static final String AGGREGATE_SQL = "SELECT day, count(*) AS contributors, avg(steps) AS avg_steps,"
            + " sum(distance_km) AS total_km FROM daily_steps GROUP BY day ORDER BY day";
    private static final String FILTERED_SQL = "SELECT day, steps, distance_km FROM daily_steps WHERE steps >= 14950"
            + " ORDER BY steps DESC, day, distance_km";

    /** For the aggregate (no WHERE, so every row is read): the rows read per file as a query of their own. */
    private static final String PER_FILE_COUNT_SQL = "SELECT file_id, count(*) FROM daily_steps GROUP BY file_id";

    /**
     * One query of the benchmark, under the DataDAO's minimum group size (0: none).
     *
     * @param perFileCountSql for a diagnostic, the query that counts the rows read per file on its own; null for none
     */
    private record Case(String name, String sql, long minGroupSize, int runs, String perFileCountSql) {}

    /**
     * The two queries on a DataDAO without a minimum group size, then the aggregate again
     * under the sample DataDAO's minimum of two contributors per group (fewer runs: it is slow).
     */
    private static final List<Case> CASES = List.of(
            new Case("aggregate", AGGREGATE_SQL, 0, 30, PER_FILE_COUNT_SQL),
            new Case("filtered select", FILTERED_SQL, 0, 30, null),
            new Case("aggregate, min group 2", AGGREGATE_SQL, 2, 10, null));

    /** The stages of the permission path, in order; each run records the time of each. */
    private enum Stage {
        VERIFY("signature", "signature"),
        PLAN("plan", "plan"),
        PERMISSIONS("permissions", "permissions"),
        RUN("store.run", "storeRun"),
        JSON("result JSON", "resultJson"),
        ENCRYPT("ECIES", "ecies");

        final String label;
        final String key;

        Stage(String label, String key) {
            this.label = label;
            this.key = key;
        }
    }

    private record Measured(Case of, int warmUpRuns, double[] oursMs, double[] peerMs, double[][] stageMs, long resultRows,
            long suppressedGroups, long rowsRead, long files, int resultBytes, double lineageSqlP50Ms,
            double perFileCountP50Ms) {
        double ratio() {
            return percentile(oursMs, 50) / percentile(peerMs, 50);
        }
    }

    private record Setup(int files, long rows, double generateSeconds, double loadSeconds, double peerLoadSeconds,
            double bulkLoadSeconds) {}

    private QueryBenchmark() {}

    public static void main(String[] args) throws Exception {
        boolean json = false;
        int files = DEFAULT_FILES;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--json")) {
                json = true;
            } else if (arg.equals("--files") && i + 1 < args.length) {
                files = Integer.parseInt(args[++i]);
            } else if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println("usage: coop bench query [--files N] [--json]   (default 1000 files of 1000 rows)");
                return;
            } else {
                System.err.println("unknown argument " + arg + "; usage: coop bench query [--files N] [--json]");
                System.exit(2);
            }
        }
        Path dir = Files.createTempDirectory("coop-bench-query");
        try {
            run(dir, files, json);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path dir, int fileCount, boolean json) throws Exception {
        progress("writing %d refined files of %d rows (Parquet, as RefinedWriter writes them) ...", fileCount, ROWS_PER_FILE);
        long start = System.nanoTime();
        RefinedRows refined = RefinedRows.write(dir, fileCount);
        Path loadDir = refined.loadDir();
        double generateSeconds = seconds(start);

        Wallet builder = Wallet.create();
        Wallet service = Wallet.create();
        List<QueryPermission> permissions = permissions(builder.address());
        BigInteger deposit = BigInteger.TEN.pow(20);

        try (RefinedStore store = new RefinedStore(loadDir);
                Connection peer = DriverManager.getConnection("jdbc:duckdb:")) {
            progress("loading them into the RefinedStore file by file ...");
            start = System.nanoTime();
            refined.loadInto(store);
            double loadSeconds = seconds(start);

            // The peer holds the same rows laid out the same way (one insert per file, in the same order), so
            // the two differ only in the path a query takes.
            progress("loading the same rows into the peer, the same way ...");
            start = System.nanoTime();
            long peerRows = refined.loadInto(peer);
            double peerLoadSeconds = seconds(start);
            double bulkLoadSeconds = bulkLoadSeconds(loadDir);
            Setup setup = new Setup(fileCount, peerRows, generateSeconds, loadSeconds, peerLoadSeconds, bulkLoadSeconds);
            progress("%,d rows: written in %.1f s; RefinedStore loaded them in %.2f s (%,.0f rows/s), the peer in %.2f s,"
                    + " one CREATE TABLE AS over all files takes %.2f s", peerRows, generateSeconds, loadSeconds,
                    peerRows / loadSeconds, peerLoadSeconds, bulkLoadSeconds);

            PermissionPath path = new PermissionPath(store, service.address(), permissions, deposit);
            // The JIT first: the stages every query goes through (signature, planner, JSON, ECIES) would
            // otherwise be cold for the first case, whose few slow runs do not warm them.
            progress("warming up the JVM: the filtered select through both paths for %d s ...", WARM_UP_NANOS / 1_000_000_000L);
            warmUp(new Case("JVM warm-up", FILTERED_SQL, 0, 0, null), path, builder, service.address(), peer);
            List<Measured> results = new ArrayList<>();
            for (Case c : CASES) {
                results.add(measure(c, path, builder, service.address(), peer));
            }
            if (json) {
                printJson(setup, results);
            } else {
                printTable(setup, results);
            }
        }
    }

    /** For reference: DuckDB reading every file in one statement, in a database of its own. */
    private static double bulkLoadSeconds(Path loadDir) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement()) {
            long start = System.nanoTime();
            sql.execute("CREATE TABLE daily_steps AS SELECT * FROM read_parquet("
                    + Sql.literal(loadDir + "/*/daily_steps.parquet") + ")");
            return seconds(start);
        }
    }

    /**
     * What the node's cache holds for the refiner: the builder's per-column permissions (as
     * {@code coop permission grant} makes them), with others' around them, approved or not.
     */
    private static List<QueryPermission> permissions(Address builder) {
        List<QueryPermission> permissions = new ArrayList<>();
        long id = 1;
        for (int other = 0; other < 20; other++) {
            Address grantee = RefinedRows.ownerOf(100_000 + other);
            permissions.add(new QueryPermission(id++, grantee, REFINER_ID, "daily_steps", "", PRICE_PER_COLUMN.multiply(
                    BigInteger.valueOf(3)), Address.ZERO, other % 3 != 0, other % 5 == 0));
        }
        for (String column : List.of("day", "steps", "distance_km")) {
            permissions.add(new QueryPermission(id++, builder, REFINER_ID, "daily_steps", column, PRICE_PER_COLUMN,
                    Address.ZERO, true, false));
        }
        permissions.add(new QueryPermission(id, Address.ZERO, REFINER_ID, "", "", PRICE_PER_COLUMN.multiply(BigInteger.TEN),
                Address.ZERO, true, false));
        return List.copyOf(permissions);
    }

    // ---- the two paths

    /** What {@code QueryService.run} does for one signed query with its chain reads cached, stage by stage. */
    private static final class PermissionPath {
        private final RefinedStore store;
        private final QueryPlanner planner;
        private final Address me;
        private final List<QueryPermission> permissions;
        private final BigInteger deposit;
        private final KeyWrapping wrapping = new KeyWrapping();

        PermissionPath(RefinedStore store, Address me, List<QueryPermission> permissions, BigInteger deposit) {
            this.store = store;
            this.planner = new QueryPlanner(store);
            this.me = me;
            this.permissions = permissions;
            this.deposit = deposit;
        }

        record Outcome(QueryResult result, String encrypted, int jsonBytes) {}

        Outcome run(String sql, QueryRequest request, byte[] signature, LongUnaryOperator minGroupSize, long[] stageNanos) {
            long t0 = System.nanoTime();
            if (!request.service().equals(me)) {
                throw new QueryException(QueryException.Code.NO_PERMISSION, "wrong service");
            }
            if (!request.sqlHash().equalsIgnoreCase(QueryRequestDigest.sqlHash(DLP_ID, sql))) {
                throw new QueryException(QueryException.Code.NO_PERMISSION, "sql_hash is not the keccak-256 of the sql");
            }
            byte[] digest = QueryRequestDigest.of(CHAIN_ID, QUERY_ENGINE, request);
            byte[] signerKey = Wallet.signerPublicKeyOfDigest(digest, signature);
            Address signer = Wallet.addressOf(signerKey);
            if (!signer.equals(request.grantee()) || request.deadline() < CHAIN_SECONDS) {
                throw new QueryException(QueryException.Code.NO_PERMISSION, "bad signer or deadline");
            }
            long t1 = System.nanoTime();
            Matcher named = DLP_REFERENCE.matcher(sql); // QueryService.plan: the DataDAOs to sync (cached: nothing new)
            while (named.find()) {
                Long.parseLong(named.group(1));
            }
            QueryPlan plan = planner.plan(sql, DLP_ID, minGroupSize);
            long t2 = System.nanoTime();
            PermissionCheck.Charge charge = PermissionCheck.choose(plan, signer, refiner -> permissions);
            if (!charge.token().equals(request.token()) || charge.price().compareTo(request.maxPrice()) > 0
                    || deposit.compareTo(charge.price()) < 0) {
                throw new QueryException(QueryException.Code.NO_PERMISSION, "token, price or deposit");
            }
            long t3 = System.nanoTime();
            QueryResult result = store.run(plan, MAX_RESULT_ROWS);
            long t4 = System.nanoTime();
            byte[] json = ResultJson.toJson(result).getBytes(StandardCharsets.UTF_8);
            long t5 = System.nanoTime();
            String encrypted = wrapping.wrapEcies(json, signerKey);
            long t6 = System.nanoTime();
            long[] marks = {t0, t1, t2, t3, t4, t5, t6};
            for (int s = 0; s < stageNanos.length; s++) {
                stageNanos[s] = marks[s + 1] - marks[s];
            }
            return new Outcome(result, encrypted, json.length);
        }
    }

    /** The peer: the caller's SQL on a plain DuckDB connection, every cell read as a JDBC client reads it. */
    private static List<List<Object>> peerRun(Connection peer, String sql) throws SQLException {
        try (Statement statement = peer.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    // ---- measuring

    private static Measured measure(Case c, PermissionPath path, Wallet builder, Address service, Connection peer)
            throws Exception {
        LongUnaryOperator minGroupSize = dlp -> c.minGroupSize();
        BigInteger[] nonce = {BigInteger.ZERO};
        String sqlHash = QueryRequestDigest.sqlHash(DLP_ID, c.sql());
        progress("%s: warming up both paths ...", c.name());
        int warmUps = warmUp(c, path, builder, service, peer);
        long[] stageNanos = new long[Stage.values().length];
        PermissionPath.Outcome outcome = null;
        int runs = c.runs();
        progress("%s: %d timed runs each, alternating which path goes first ...", c.name(), runs);
        double[] ours = new double[runs];
        double[] peers = new double[runs];
        double[][] stages = new double[Stage.values().length][runs];
        for (int i = 0; i < runs; i++) {
            Signed signed = sign(builder, service, sqlHash, nonce); // the builder's work, not timed
            if (i % 2 == 0) {
                peers[i] = timePeer(peer, c.sql());
            }
            long start = System.nanoTime();
            outcome = path.run(c.sql(), signed.request(), signed.signature(), minGroupSize, stageNanos);
            ours[i] = (System.nanoTime() - start) / 1e6;
            if (i % 2 == 1) {
                peers[i] = timePeer(peer, c.sql());
            }
            for (int s = 0; s < stageNanos.length; s++) {
                stages[s][i] = stageNanos[s] / 1e6;
            }
        }

        // Diagnostics, after the timed runs: DuckDB alone on the lineage-rewritten SQL, and the rows read
        // per file counted by a second query instead of a histogram per group.
        QueryPlan plan = new QueryPlanner(path.store).plan(c.sql(), DLP_ID, minGroupSize);
        String lineageSql = plan.executableSql().replace(plan.tables().get(0).table().qualifiedName(), "daily_steps");
        progress("%s: diagnostics ...", c.name());
        double lineageP50 = percentile(repeat(DIAGNOSTIC_RUNS, () -> peerRun(peer, lineageSql)), 50);
        double perFileP50 = c.perFileCountSql() == null ? Double.NaN : percentile(repeat(DIAGNOSTIC_RUNS, () -> {
            peerRun(peer, c.sql());
            peerRun(peer, c.perFileCountSql());
        }), 50);
        QueryResult result = outcome.result();
        long rowsRead = result.rowsRead().stream().flatMap(r -> r.rowsByFile().values().stream()).mapToLong(Long::longValue).sum();
        long files = result.rowsRead().stream().mapToLong(r -> r.rowsByFile().size()).sum();
        return new Measured(c, warmUps, ours, peers, stages, result.rows().size(), result.suppressedGroups(), rowsRead, files,
                outcome.jsonBytes(), lineageP50, perFileP50);
    }

    /**
     * Runs both paths at least MIN_WARM_UP_RUNS times and on until WARM_UP_NANOS have passed, then
     * checks that they returned the same rows; returns the number of runs.
     */
    private static int warmUp(Case c, PermissionPath path, Wallet builder, Address service, Connection peer) throws Exception {
        LongUnaryOperator minGroupSize = dlp -> c.minGroupSize();
        BigInteger[] nonce = {BigInteger.valueOf(1_000_000)};
        String sqlHash = QueryRequestDigest.sqlHash(DLP_ID, c.sql());
        long[] stageNanos = new long[Stage.values().length];
        PermissionPath.Outcome outcome = null;
        List<List<Object>> peerRows = null;
        int runs = 0;
        long start = System.nanoTime();
        while (runs < MIN_WARM_UP_RUNS || (runs < MAX_WARM_UP_RUNS && System.nanoTime() - start < WARM_UP_NANOS)) {
            Signed signed = sign(builder, service, sqlHash, nonce);
            outcome = path.run(c.sql(), signed.request(), signed.signature(), minGroupSize, stageNanos);
            peerRows = peerRun(peer, c.sql());
            runs++;
        }
        check(c, Objects.requireNonNull(outcome).result(), Objects.requireNonNull(peerRows), builder, outcome.encrypted());
        return runs;
    }

    private interface Action {
        void run() throws Exception;
    }

    private static double[] repeat(int times, Action action) throws Exception {
        action.run(); // warm
        double[] ms = new double[times];
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            action.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    private static double timePeer(Connection peer, String sql) throws SQLException {
        long start = System.nanoTime();
        peerRun(peer, sql);
        return (System.nanoTime() - start) / 1e6;
    }

    private record Signed(QueryRequest request, byte[] signature) {}

    /** The builder's side: a fresh request (new nonce) and its EIP-712 signature. */
    private static Signed sign(Wallet builder, Address service, String sqlHash, BigInteger[] nonce) {
        nonce[0] = nonce[0].add(BigInteger.ONE);
        QueryRequest request = new QueryRequest(builder.address(), service, sqlHash, Address.ZERO, BigInteger.TEN.pow(18),
                nonce[0], CHAIN_SECONDS + 3600);
        return new Signed(request, builder.signDigest(QueryRequestDigest.of(CHAIN_ID, QUERY_ENGINE, request)));
    }

    /** Both paths must have returned the same rows, and the rows read must add up; the builder must be able to decrypt. */
    private static void check(Case c, QueryResult ours, List<List<Object>> peer, Wallet builder, String encrypted)
            throws IOException {
        if (ours.rows().size() + ours.suppressedGroups() != peer.size()) {
            throw new IllegalStateException(c.name() + ": " + ours.rows().size() + " rows and " + ours.suppressedGroups()
                    + " groups suppressed, the peer " + peer.size() + " rows");
        }
        // Groups below the minimum are left out of ours (the peer has no minimum): match rows on the first column.
        Map<String, List<Object>> peerByKey = new LinkedHashMap<>();
        peer.forEach(row -> peerByKey.putIfAbsent(String.valueOf(row.get(0)), row));
        for (int i = 0; i < ours.rows().size(); i++) {
            List<Object> a = ours.rows().get(i);
            List<Object> b = ours.suppressedGroups() == 0 ? peer.get(i) : peerByKey.get(String.valueOf(a.get(0)));
            if (b == null) {
                throw new IllegalStateException(c.name() + ": row " + a + " is not in the peer's result");
            }
            for (int j = 0; j < b.size(); j++) {
                if (!sameValue(a.get(j), b.get(j))) {
                    throw new IllegalStateException(c.name() + ": row " + i + " differs: " + a + " vs the peer's " + b);
                }
            }
        }
        long rowsRead = ours.rowsRead().stream().flatMap(r -> r.rowsByFile().values().stream()).mapToLong(Long::longValue).sum();
        long expected = ours.columns().contains("contributors")
                ? ours.rows().stream().mapToLong(r -> ((Number) r.get(1)).longValue()).sum()
                : ours.rows().size();
        if (rowsRead != expected) {
            throw new IllegalStateException(c.name() + ": " + rowsRead + " rows read accounted, expected " + expected);
        }
        byte[] plain = builder.unwrapEcies(encrypted);
        if (new ObjectMapper().readTree(plain).get("rows").size() != ours.rows().size()) {
            throw new IllegalStateException(c.name() + ": the decrypted result does not hold the rows");
        }
    }

    private static boolean sameValue(Object ours, Object peer) {
        if (ours instanceof Number a && peer instanceof Number b) {
            return Math.abs(a.doubleValue() - b.doubleValue()) <= 1e-9 * Math.max(1, Math.abs(b.doubleValue()));
        }
        return String.valueOf(ours).equals(String.valueOf(peer));
    }

    // ---- output

    private static void printTable(Setup setup, List<Measured> results) {
        System.out.printf("Paid SQL through the permission path vs plain DuckDB: %,d rows of daily_steps in %d files, %d cores%n",
                setup.rows(), setup.files(), Runtime.getRuntime().availableProcessors());
        System.out.printf("load: RefinedStore, file by file, %.2f s (%,.0f rows/s); the peer, the same way, %.2f s;"
                + " one CREATE TABLE AS over all files %.2f s%n", setup.loadSeconds(), setup.rows() / setup.loadSeconds(),
                setup.peerLoadSeconds(), setup.bulkLoadSeconds());
        System.out.println("ours: signature check, plan, permission check (cached permissions), DuckDB run with lineage,"
                + " result JSON, ECIES to the builder.");
        System.out.println("      Left out: the on-chain settlement, the block reads, HTTP. Peer: the same SQL on a plain"
                + " DuckDB connection, every cell read.");
        System.out.printf("  %-24s %5s %6s %9s %9s %9s %9s %7s  %s%n", "", "runs", "rows", "p50 ms", "p90 ms", "peer p50",
                "peer p90", "ratio", "goal <= " + GOAL_RATIO);
        for (Measured m : results) {
            System.out.printf("  %-24s %5d %6d %9.2f %9.2f %9.2f %9.2f %7.2f  %s%n", m.of().name(), m.of().runs(),
                    m.resultRows(), percentile(m.oursMs(), 50), percentile(m.oursMs(), 90), percentile(m.peerMs(), 50),
                    percentile(m.peerMs(), 90), m.ratio(), m.ratio() <= GOAL_RATIO ? "met" : "NOT met");
        }
        System.out.println("where our time goes (p50 of each stage, ms; store.run is the DuckDB query with its lineage"
                + " columns, reading the rows and counting the rows read per file):");
        StringBuilder header = new StringBuilder(String.format("  %-24s", ""));
        for (Stage s : Stage.values()) {
            header.append(String.format(" %16s", s.label));
        }
        System.out.println(header);
        for (Measured m : results) {
            StringBuilder line = new StringBuilder(String.format("  %-24s", m.of().name()));
            for (Stage s : Stage.values()) {
                line.append(String.format(" %16.2f", percentile(m.stageMs()[s.ordinal()], 50)));
            }
            System.out.println(line);
        }
        System.out.println("diagnostics on the peer's connection (p50 ms): the lineage-rewritten SQL, every cell read (the"
                + " histogram as text); the caller's SQL plus a separate per-file count");
        for (Measured m : results) {
            System.out.printf("  %-24s lineage SQL %8.2f  SQL + per-file count %8s  | %d rows (%d groups suppressed),"
                    + " %d KiB JSON, %,d rows read from %d files%n", m.of().name(), m.lineageSqlP50Ms(),
                    Double.isNaN(m.perFileCountP50Ms()) ? "n/a" : String.format("%.2f", m.perFileCountP50Ms()),
                    m.resultRows(), m.suppressedGroups(), m.resultBytes() >> 10, m.rowsRead(), m.files());
        }
        System.out.printf("heap: peak %d MiB of at most %d MiB%n", heapPeak() >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }

    private static void printJson(Setup setup, List<Measured> results) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("files", setup.files());
        out.put("rows", setup.rows());
        out.put("generateSeconds", round(setup.generateSeconds()));
        out.put("loadSeconds", round(setup.loadSeconds()));
        out.put("loadRowsPerSecond", Math.round(setup.rows() / setup.loadSeconds()));
        out.put("peerLoadSeconds", round(setup.peerLoadSeconds()));
        out.put("bulkLoadSeconds", round(setup.bulkLoadSeconds()));
        out.put("excluded", "the on-chain settlement, the block-number and newest-block reads, HTTP");
        out.put("queries", results.stream().map(m -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", m.of().name());
            row.put("sql", m.of().sql());
            row.put("minGroupSize", m.of().minGroupSize());
            row.put("warmUpRuns", m.warmUpRuns());
            row.put("runs", m.of().runs());
            row.put("resultRows", m.resultRows());
            row.put("suppressedGroups", m.suppressedGroups());
            row.put("resultJsonBytes", m.resultBytes());
            row.put("rowsRead", m.rowsRead());
            row.put("filesRead", m.files());
            row.put("p50Ms", round(percentile(m.oursMs(), 50)));
            row.put("p90Ms", round(percentile(m.oursMs(), 90)));
            row.put("peerP50Ms", round(percentile(m.peerMs(), 50)));
            row.put("peerP90Ms", round(percentile(m.peerMs(), 90)));
            row.put("ratioP50", round(m.ratio()));
            row.put("goalRatio", GOAL_RATIO);
            row.put("goalMet", m.ratio() <= GOAL_RATIO);
            Map<String, Object> stages = new LinkedHashMap<>();
            for (Stage s : Stage.values()) {
                stages.put(s.key, round(percentile(m.stageMs()[s.ordinal()], 50)));
            }
            row.put("stageP50Ms", stages);
            row.put("lineageSqlOnPeerP50Ms", round(m.lineageSqlP50Ms()));
            if (!Double.isNaN(m.perFileCountP50Ms())) {
                row.put("sqlPlusPerFileCountOnPeerP50Ms", round(m.perFileCountP50Ms()));
            }
            return row;
        }).toList());
        out.put("heapPeakBytes", heapPeak());
        out.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        System.out.println(new ObjectMapper().writeValueAsString(out));
    }

    // ---- small helpers

    /** The nearest-rank percentile. */
    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static long heapPeak() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
    }

    private static void progress(String format, Object... args) {
        System.err.println(String.format(format, args));
    }
}
