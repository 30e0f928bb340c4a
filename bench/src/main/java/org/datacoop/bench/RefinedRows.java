package org.datacoop.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.datacoop.chain.QueryRequestDigest;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.query.Sql;
import org.datacoop.query.TableSchema;
import org.datacoop.query.engine.RefinedStore;
import org.datacoop.query.refine.RefinedWriter;
import org.datacoop.query.refine.RefinerDefinition;

/**
 * The benchmarks' refined data: {@code files} refined Parquet files of the sample DataDAO's fitness
 * table ({@code daily_steps}), 1,000 rows each, one contributor per file, written in
 * {@link RefinedWriter}'s layout (checked against it), to load into the production
 * {@link RefinedStore} file by file and into a plain DuckDB table the same way.
 */
final class RefinedRows {
    static final int ROWS_PER_FILE = 1_000;
    static final long DLP_ID = 1;
    static final long REFINER_ID = 1;

    private final Path loadDir;
    private final List<TableSchema> schema;
    private final List<Address> owners;

    private RefinedRows(Path loadDir, List<TableSchema> schema, List<Address> owners) {
        this.loadDir = loadDir;
        this.schema = schema;
        this.owners = owners;
    }

    /** Writes {@code fileCount} refined files under {@code dir}. */
    static RefinedRows write(Path dir, int fileCount) throws Exception {
        RefinerDefinition definition;
        try (InputStream in = Objects.requireNonNull(
                Wallet.class.getResourceAsStream("/org/datacoop/chain/sample-refiner.json"), "sample-refiner.json")) {
            definition = RefinerDefinition.parse(in.readAllBytes());
        }
        Path loadDir = Files.createDirectories(dir.resolve("load"));
        List<Address> owners = new ArrayList<>();
        for (int i = 0; i < fileCount; i++) {
            owners.add(ownerOf(i));
        }
        RefinedRows rows = new RefinedRows(loadDir, definition.schema(), List.copyOf(owners));
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement()) {
            for (int i = 0; i < fileCount; i++) {
                Path fileDir = Files.createDirectories(rows.fileDir(i));
                sql.execute(refinedFileSql(i, owners.get(i), fileDir.resolve("daily_steps.parquet")));
            }
            rows.requireSameLayout(sql, dir);
        }
        return rows;
    }

    List<TableSchema> schema() {
        return schema;
    }

    Path loadDir() {
        return loadDir;
    }

    int files() {
        return owners.size();
    }

    /** Loads every file into {@code store}, one at a time, as the node loads refined files. */
    void loadInto(RefinedStore store) {
        store.addRefiner(DLP_ID, REFINER_ID, schema);
        for (int i = 0; i < owners.size(); i++) {
            store.load(REFINER_ID, fileId(i), owners.get(i), fileDir(i));
        }
    }

    /**
     * Loads the same rows into a {@code daily_steps} table of {@code peer}, laid out the same way (one
     * insert per file, in the same order); returns how many rows it holds.
     */
    long loadInto(Connection peer) throws SQLException {
        try (Statement sql = peer.createStatement()) {
            sql.execute("CREATE TABLE daily_steps (" + String.join(", ", schema.get(0).columns().stream()
                    .map(col -> col.name() + " " + col.type()).toList()) + ")");
            for (int i = 0; i < owners.size(); i++) {
                sql.execute("INSERT INTO daily_steps SELECT " + fileId(i) + ", " + Sql.literal(owners.get(i).value())
                        + ", day, steps, distance_km FROM read_parquet("
                        + Sql.literal(fileDir(i).resolve("daily_steps.parquet").toString()) + ")");
            }
            try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM daily_steps")) {
                rs.next();
                long rows = rs.getLong(1);
                if (rows != (long) owners.size() * ROWS_PER_FILE) {
                    throw new IllegalStateException("the peer holds " + rows + " rows, not " + (long) owners.size() * ROWS_PER_FILE);
                }
                return rows;
            }
        }
    }

    Path fileDir(int i) {
        return loadDir.resolve(REFINER_ID + "-" + fileId(i));
    }

    static long fileId(int i) {
        return 1001 + i;
    }

    static Address ownerOf(int i) {
        return Address.of("0x" + QueryRequestDigest.sqlHash(DLP_ID, "owner " + i).substring(26));
    }

    /**
     * Refined file {@code i} as {@link RefinedWriter} writes it ({@code file_id}, {@code owner}, then the
     * table's own columns cast to their types): one contributor's 1,000 consecutive days from a
     * staggered first day, steps uniform in [0, 15000), distance about 0.75 m per step.
     */
    private static String refinedFileSql(int i, Address owner, Path target) {
        return "COPY (SELECT CAST(" + fileId(i) + " AS BIGINT) AS file_id, " + Sql.literal(owner.value()) + " AS owner,"
                + " CAST(DATE '2022-01-01' + CAST(r + " + (i * 37 % 365) + " AS INTEGER) AS DATE) AS day,"
                + " CAST(hash(" + i + ", r) % 15000 AS BIGINT) AS steps,"
                + " CAST(round((hash(" + i + ", r) % 15000) * (0.0007 + (hash(r, " + i + ", 7) % 100) / 1000000.0), 3)"
                + " AS DOUBLE) AS distance_km FROM range(" + ROWS_PER_FILE + ") t(r)) TO " + Sql.literal(target.toString())
                + " (FORMAT parquet)";
    }

    /** Runs the first file's rows through RefinedWriter itself and requires the same columns, types and rows. */
    private void requireSameLayout(Statement sql, Path dir) throws Exception {
        Path written = fileDir(0);
        Path raw = Files.createDirectories(dir.resolve("raw"));
        Path check = Files.createDirectories(dir.resolve("check"));
        String file = Sql.literal(written.resolve("daily_steps.parquet").toString());
        sql.execute("COPY (SELECT day, steps, distance_km FROM read_parquet(" + file + ")) TO "
                + Sql.literal(raw.resolve("daily_steps.parquet").toString()) + " (FORMAT parquet)");
        RefinedWriter.write(schema, raw, fileId(0), owners.get(0), check, ROWS_PER_FILE);
        String reference = Sql.literal(check.resolve("daily_steps.parquet").toString());
        String layout = "SELECT string_agg(column_name || ' ' || column_type, ', ') FROM (DESCRIBE SELECT * FROM read_parquet(%s))";
        String differing = "SELECT count(*) FROM (SELECT * FROM read_parquet(%s) EXCEPT ALL SELECT * FROM read_parquet(%s))";
        String ours = single(sql, layout.formatted(file));
        String writers = single(sql, layout.formatted(reference));
        if (!ours.equals(writers)) {
            throw new IllegalStateException("generated files have columns " + ours + "; RefinedWriter writes " + writers);
        }
        String different = single(sql, differing.formatted(file, reference));
        if (!different.equals("0")) {
            throw new IllegalStateException(different + " generated rows differ from RefinedWriter's");
        }
    }

    private static String single(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
