package org.datacoop.query.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.query.RowsRead;
import org.datacoop.query.QueryException;
import org.datacoop.query.Sql;
import org.datacoop.query.TableSchema;
import org.duckdb.DuckDBConnection;

/**
 * Refined tables held in one in-memory DuckDB database (inside the enclave): one DuckDB schema per
 * DataDAO ({@code dlpN}), one table per refined table, filled file by file. Once open, DuckDB may
 * read files only under the load directory, and its configuration is locked, so a query cannot
 * reach the disk, settings or extensions even if it got past the planner.
 */
public final class RefinedStore implements AutoCloseable, QueryPlanner.Catalog {
    /** How long one query may run. */
    public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
    private static final ScheduledExecutorService TIMERS =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("query-watchdog").daemon().factory());

    private final DuckDBConnection db;
    private final Path loadDir;
    private final Map<String, CatalogTable> tables = new ConcurrentHashMap<>();
    private final Map<Long, List<CatalogTable>> byRefiner = new ConcurrentHashMap<>();
    private final Set<String> loaded = ConcurrentHashMap.newKeySet();
    private final Map<Long, Address> owners = new ConcurrentHashMap<>();
    /** Per table (qualified name), the rows each loaded file put in it; files that put none are left out. */
    private final Map<String, Map<Long, Long>> rowsByFile = new ConcurrentHashMap<>();
    /** Plans that passed the {@link ColumnAudit}: a plan is immutable, so it passes again. */
    private final Set<QueryPlan> audited = java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<QueryPlan, Boolean> eldest) {
            return size() > 256;
        }
    });

    /** @param loadDir where decrypted refined files are put for loading; the only place DuckDB may read */
    public RefinedStore(Path loadDir) {
        this.loadDir = loadDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.loadDir);
            db = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            try (Statement sql = db.createStatement()) {
                // DuckDB also allows its temporary directory (by default .tmp in the working directory): keep it here
                sql.execute("SET temp_directory = " + Sql.literal(this.loadDir.resolve(".tmp").toString()));
                sql.execute("SET allowed_directories = [" + Sql.literal(this.loadDir + "/") + "]");
                sql.execute("SET enable_external_access = false");
                sql.execute("SET autoinstall_known_extensions = false");
                sql.execute("SET autoload_known_extensions = false");
                sql.execute("SET lock_configuration = true");
            }
        } catch (SQLException | java.io.IOException e) {
            throw new QueryException(QueryException.Code.EXECUTION, "cannot open the query database: " + e.getMessage(), e);
        }
    }

    public Path loadDir() {
        return loadDir;
    }

    /** Declares refiner {@code refinerId}'s tables in DataDAO {@code dlpId}'s schema; idempotent. */
    public synchronized void addRefiner(long dlpId, long refinerId, List<TableSchema> schema) {
        if (byRefiner.containsKey(refinerId)) {
            return;
        }
        List<CatalogTable> added = new ArrayList<>();
        for (TableSchema table : schema) {
            CatalogTable existing = tables.get(key(dlpId, table.name()));
            if (existing != null) {
                throw new QueryException(QueryException.Code.BAD_REFINER, "refiner " + refinerId + " defines table "
                        + table.name() + ", which refiner " + existing.refinerId() + " of DataDAO " + dlpId + " already has");
            }
            added.add(new CatalogTable(dlpId, refinerId, table));
        }
        try (Statement sql = db.createStatement()) {
            sql.execute("CREATE SCHEMA IF NOT EXISTS " + CatalogTable.schemaOf(dlpId));
            for (CatalogTable table : added) {
                sql.execute("CREATE TABLE " + table.qualifiedName() + " (" + table.schema().columns().stream()
                        .map(c -> Sql.quote(c.name()) + " " + c.type()).collect(Collectors.joining(", ")) + ")");
                tables.put(key(dlpId, table.schema().name()), table);
            }
        } catch (SQLException e) {
            throw new QueryException(QueryException.Code.EXECUTION, "cannot create the tables of refiner " + refinerId + ": "
                    + Sql.firstLine(e), e);
        }
        byRefiner.put(refinerId, List.copyOf(added));
    }

    public boolean hasRefiner(long refinerId) {
        return byRefiner.containsKey(refinerId);
    }

    /**
     * Loads one refined file's tables ({@code TABLE.parquet} under {@code dir}, inside the load
     * directory) in one transaction; {@code file_id} and {@code owner} come from the chain, not the file.
     */
    public synchronized void load(long refinerId, long fileId, Address owner, Path dir) {
        if (isLoaded(refinerId, fileId)) {
            return;
        }
        List<CatalogTable> refinerTables = Optional.ofNullable(byRefiner.get(refinerId))
                .orElseThrow(() -> new IllegalStateException("refiner " + refinerId + " was not added"));
        Map<CatalogTable, Long> inserted = new HashMap<>();
        try (Statement sql = db.createStatement()) {
            sql.execute("BEGIN TRANSACTION");
            try {
                for (CatalogTable table : refinerTables) {
                    Path parquet = dir.resolve(table.schema().name() + ".parquet").toAbsolutePath().normalize();
                    String own = table.schema().ownColumns().stream().map(c -> Sql.quote(c.name()))
                            .collect(Collectors.joining(", "));
                    inserted.put(table, sql.executeLargeUpdate("INSERT INTO " + table.qualifiedName() + " SELECT " + fileId
                            + ", " + Sql.literal(owner.value()) + ", " + own + " FROM read_parquet("
                            + Sql.literal(parquet.toString()) + ")"));
                }
                sql.execute("COMMIT");
            } catch (SQLException e) {
                sql.execute("ROLLBACK");
                throw e;
            }
        } catch (SQLException e) {
            throw new QueryException(QueryException.Code.BAD_INPUT, "cannot load file " + fileId + " of refiner " + refinerId
                    + ": " + Sql.firstLine(e), e);
        }
        // After the commit: a query's snapshot of these counts never holds a file its transaction cannot see.
        inserted.forEach((table, rows) -> {
            if (rows > 0) {
                rowsByFile.computeIfAbsent(table.qualifiedName(), t -> new ConcurrentHashMap<>()).put(fileId, rows);
            }
        });
        owners.put(fileId, owner);
        loaded.add(refinerId + "/" + fileId);
    }

    /** The owner file {@code fileId} was loaded with, if it was. */
    public Optional<Address> ownerOf(long fileId) {
        return Optional.ofNullable(owners.get(fileId));
    }

    /** The loaded files that put rows in {@code table}, in no order. */
    public List<Long> filesOf(CatalogTable table) {
        return List.copyOf(rowsByFile.getOrDefault(table.qualifiedName(), Map.of()).keySet());
    }

    public boolean isLoaded(long refinerId, long fileId) {
        return loaded.contains(refinerId + "/" + fileId);
    }

    @Override
    public Optional<CatalogTable> table(long dlpId, String name) {
        return Optional.ofNullable(tables.get(key(dlpId, name)));
    }

    /**
     * Runs a planned query on its own connection and reads its result, leaving out groups that cover
     * fewer contributors than their DataDAO allows. Before it runs, DuckDB's own parser must agree
     * with the plan ({@link ColumnAudit}); it is cancelled after {@link #QUERY_TIMEOUT}. Rows read are
     * counted per file: the rows returned for a plain select; for an aggregate, the rows its joins and
     * filters let through, or all rows of a table whose DataDAO sets a minimum group size. Groups left
     * out are counted, and whether that count may be told is decided from their owners together.
     */
    public QueryResult run(QueryPlan plan, long maxRows) {
        // Taken before the transaction starts, so it holds no file the transaction cannot see (see wholeTableReads).
        Map<Integer, Map<Long, Long>> loadedRows = new HashMap<>();
        for (QueryPlan.ReadsQuery query : plan.readsQueries()) {
            if (query.wholeTable()) {
                loadedRows.put(query.tableIndex(), Map.copyOf(rowsByFile.getOrDefault(
                        plan.tables().get(query.tableIndex()).table().qualifiedName(), Map.of())));
            }
        }
        try (Connection connection = db.duplicate()) {
            // One transaction: the reads queries see the same snapshot as the query, even while files load.
            connection.setAutoCommit(false);
            try {
                return run(connection, plan, maxRows, loadedRows);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new QueryException(QueryException.Code.EXECUTION, withheld(e), e);
        }
    }

    /**
     * DuckDB's message if it was raised before any row was read (binding, parsing, the catalog); past
     * that, only its kind: a conversion or an {@code error()} can quote a value of the data, and a
     * failed query is not charged.
     */
    private static String withheld(SQLException e) {
        String line = Sql.firstLine(e);
        if (line.startsWith("Binder Error") || line.startsWith("Parser Error") || line.startsWith("Catalog Error")) {
            return line;
        }
        int colon = line.indexOf(" Error:");
        return (colon > 0 ? line.substring(0, colon + 6) : "an error") + " while running the query (the details are"
                + " withheld: they could quote the data)";
    }

    private QueryResult run(Connection connection, QueryPlan plan, long maxRows, Map<Integer, Map<Long, Long>> loadedRows)
            throws SQLException {
        boolean known;
        synchronized (audited) {
            known = audited.contains(plan);
        }
        if (!known) {
            try (Statement audit = connection.createStatement()) {
                ColumnAudit.check(audit, plan);
            }
            synchronized (audited) {
                audited.add(plan);
            }
        }
        Map<Long, Map<Long, Long>> reads = new HashMap<>();
        QueryResult partial;
        try (Statement sql = connection.createStatement(); Watchdog watchdog = new Watchdog(sql);
                ResultSet rs = watchdog.guard(() -> sql.executeQuery(plan.executableSql()))) {
            ResultSetMetaData meta = rs.getMetaData();
            int own = meta.getColumnCount() - plan.lineage().size();
            List<String> columns = new ArrayList<>();
            List<String> types = new ArrayList<>();
            for (int i = 1; i <= own; i++) {
                columns.add(meta.getColumnLabel(i));
                types.add(meta.getColumnTypeName(i));
            }
            List<List<Object>> rows = new ArrayList<>();
            long suppressed = 0;
            Map<Integer, Set<Object>> leftOutOwners = new HashMap<>();
            while (rs.next()) {
                if (!largeEnough(plan, rs, own)) {
                    suppressed++;
                    collectLeftOutOwners(plan, rs, own, leftOutOwners);
                    continue;
                }
                if (rows.size() == maxRows) {
                    throw new QueryException(QueryException.Code.TOO_LARGE, "the result has more than " + maxRows
                            + " rows; add a LIMIT or aggregate");
                }
                List<Object> row = new ArrayList<>(own);
                for (int i = 1; i <= own; i++) {
                    row.add(plain(rs.getObject(i)));
                }
                rows.add(row);
                countReads(plan, rs, own, reads);
            }
            partial = new QueryResult(List.copyOf(columns), List.copyOf(types), rows, List.of(), suppressed,
                    plan.minGroupSize(), withheld(plan, leftOutOwners));
        }
        for (QueryPlan.ReadsQuery query : plan.readsQueries()) {
            Map<Long, Long> files = reads.computeIfAbsent(plan.tables().get(query.tableIndex()).table().refinerId(),
                    r -> new HashMap<>());
            Optional<Map<Long, Long>> whole = query.wholeTable()
                    ? wholeTableReads(connection, plan.tables().get(query.tableIndex()).table(), loadedRows.get(query.tableIndex()))
                    : Optional.empty();
            if (whole.isPresent()) {
                whole.get().forEach((file, rows) -> files.merge(file, rows, Long::sum));
                continue;
            }
            try (Statement sql = connection.createStatement(); ResultSet rs = sql.executeQuery(query.sql())) {
                while (rs.next()) {
                    files.merge(rs.getLong(1), rs.getLong(2), Long::sum);
                }
            }
        }
        List<RowsRead> rowsRead = new ArrayList<>();
        new TreeMap<>(reads).forEach((refiner, files) -> {
            if (!files.isEmpty()) { // a table whose rows were all outer-joined away read no file
                rowsRead.add(new RowsRead(refiner, new TreeMap<>(files)));
            }
        });
        return new QueryResult(partial.columns(), partial.types(), partial.rows(), List.copyOf(rowsRead),
                partial.suppressedGroups(), partial.minGroupSize(), partial.suppressedCountWithheld());
    }

    /**
     * The rows of each file in {@code table} as loaded, when {@code loadedRows} (taken before the
     * transaction) is exactly what the transaction sees: files are only ever added, each once and
     * whole, so the snapshot is a subset of what the transaction sees, and equal row totals make it
     * the same set. Empty when a file was loaded in between: the caller then counts with SQL.
     */
    static Optional<Map<Long, Long>> wholeTableReads(Connection connection, CatalogTable table,
            Map<Long, Long> loadedRows) throws SQLException {
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("SELECT count(*) FROM " + table.qualifiedName())) {
            rs.next();
            long seen = rs.getLong(1);
            long loaded = loadedRows.values().stream().mapToLong(Long::longValue).sum();
            return seen == loaded ? Optional.of(loadedRows) : Optional.empty();
        }
    }

    private static void collectLeftOutOwners(QueryPlan plan, ResultSet rs, int own, Map<Integer, Set<Object>> owners)
            throws SQLException {
        for (int i = 0; i < plan.lineage().size(); i++) {
            QueryPlan.Lineage lineage = plan.lineage().get(i);
            if (lineage.kind() == QueryPlan.Lineage.Kind.LEFT_OUT_OWNERS) {
                Set<Object> pool = owners.computeIfAbsent(lineage.tableIndex(), t -> new HashSet<>());
                java.sql.Array hashes = rs.getArray(own + 1 + i);
                if (hashes != null) {
                    // no owner (an outer join's missing side) is nobody: counted, it would overstate the pool
                    Arrays.stream((Object[]) hashes.getArray()).filter(java.util.Objects::nonNull).forEach(pool::add);
                }
            }
        }
    }

    /** Whether, for some table with a minimum group size, the groups left out cover fewer owners than it. */
    private static boolean withheld(QueryPlan plan, Map<Integer, Set<Object>> leftOutOwners) {
        return plan.lineage().stream().filter(l -> l.kind() == QueryPlan.Lineage.Kind.LEFT_OUT_OWNERS)
                .anyMatch(l -> leftOutOwners.getOrDefault(l.tableIndex(), Set.of()).size() < l.minimum());
    }

    private static boolean largeEnough(QueryPlan plan, ResultSet rs, int own) throws SQLException {
        for (int i = 0; i < plan.lineage().size(); i++) {
            QueryPlan.Lineage lineage = plan.lineage().get(i);
            if (lineage.kind() == QueryPlan.Lineage.Kind.OWNERS) {
                if (rs.getLong(own + 1 + i) < lineage.minimum()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void countReads(QueryPlan plan, ResultSet rs, int own, Map<Long, Map<Long, Long>> reads)
            throws SQLException {
        for (int i = 0; i < plan.lineage().size(); i++) {
            QueryPlan.Lineage lineage = plan.lineage().get(i);
            long refiner = plan.tables().get(lineage.tableIndex()).table().refinerId();
            Map<Long, Long> files = reads.computeIfAbsent(refiner, r -> new HashMap<>());
            switch (lineage.kind()) {
                case FILE_ID -> {
                    long file = rs.getLong(own + 1 + i);
                    if (!rs.wasNull()) {
                        files.merge(file, 1L, Long::sum);
                    }
                }
                case OWNERS, LEFT_OUT_OWNERS -> { }
            }
        }
    }

    /** Cancels a statement still running after {@link #QUERY_TIMEOUT}, so a runaway join costs no more. */
    private static final class Watchdog implements AutoCloseable {
        private final Statement statement;
        private final AtomicBoolean fired = new AtomicBoolean();
        private final ScheduledFuture<?> timer;

        Watchdog(Statement statement) {
            this.statement = statement;
            this.timer = TIMERS.schedule(this::cancel, QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        ResultSet guard(Query query) throws SQLException {
            try {
                return query.run();
            } catch (SQLException e) {
                if (fired.get()) {
                    throw new QueryException(QueryException.Code.TOO_LARGE, "the query ran longer than "
                            + QUERY_TIMEOUT.toSeconds() + " s and was stopped; nothing was charged", e);
                }
                throw e;
            }
        }

        private void cancel() {
            fired.set(true);
            try {
                statement.cancel();
            } catch (SQLException ignored) {
                // it has just finished
            }
        }

        @Override
        public void close() {
            timer.cancel(false);
        }

        interface Query {
            ResultSet run() throws SQLException;
        }
    }

    /** A cell as a plain Java value a JSON writer and a table printer both understand. */
    private static Object plain(Object value) {
        return switch (value) {
            case null -> null;
            case String text -> text;
            case Boolean flag -> flag;
            case BigDecimal decimal -> decimal;
            case BigInteger big -> big;
            case Float small -> small.doubleValue();
            case Double real -> real;
            case Number number -> number.longValue();
            // java.sql's date and time classes print in JDBC escape format ("2026-10-01 10:00:00.0"), not ISO-8601
            case java.sql.Timestamp timestamp -> timestamp.toLocalDateTime().toString();
            case java.sql.Date date -> date.toLocalDate().toString();
            case java.sql.Time time -> time.toLocalTime().toString();
            default -> value.toString();
        };
    }

    private static String key(long dlpId, String table) {
        return dlpId + "/" + table.toLowerCase(java.util.Locale.ROOT);
    }

    /** A connection that skips every check: only for tests that the database's own lock holds. */
    Connection uncheckedConnection() throws SQLException {
        return db.duplicate();
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new QueryException(QueryException.Code.EXECUTION, "cannot close the query database: " + e.getMessage(), e);
        }
    }
}
