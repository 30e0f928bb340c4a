package org.datacoop.query.refine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.datacoop.protocol.Address;
import org.datacoop.query.QueryException;
import org.datacoop.query.Sql;
import org.datacoop.query.TableSchema;

/**
 * Turns a refiner's raw tables ({@code TABLE.parquet}, {@code TABLE.csv} or {@code TABLE.jsonl})
 * into typed Parquet ({@code TABLE.parquet}), each row stamped with its source file id and owner.
 * A raw table must have exactly the schema's columns: DuckDB casts each value to its declared type
 * and names the column of the first one that does not fit.
 */
public final class RefinedWriter {
    private RefinedWriter() {}

    /** What was written: rows per table. */
    public record Written(List<TableCount> tables) {
        public long rows() {
            return tables.stream().mapToLong(TableCount::rows).sum();
        }
    }

    public record TableCount(String table, long rows) {}

    public static Written write(List<TableSchema> schema, Path rawDir, long fileId, Address owner, Path outDir, long maxRows) {
        List<TableCount> counts = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement()) {
            for (TableSchema table : schema) {
                Path raw = rawFile(rawDir, table.name());
                List<String> found = isEmpty(raw) ? List.of() : columnsOf(sql, reader(raw, List.of()));
                List<String> foundLower = found.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
                List<String> expected = table.ownColumns().stream().map(TableSchema.Column::name).toList();
                if (!found.isEmpty() && (found.size() != expected.size() || !new HashSet<>(foundLower).equals(new HashSet<>(expected)))) {
                    throw new QueryException(QueryException.Code.BAD_INPUT, "the refiner wrote table " + table.name()
                            + " with columns " + foundLower + "; its schema has " + expected);
                }
                // read again with every column as text (what DuckDB guessed from a sample may not fit every row),
                // then cast each to its declared type
                String reader = reader(raw, found);
                long rows = count(sql, reader, found.isEmpty());
                if (rows > maxRows) {
                    throw new QueryException(QueryException.Code.BAD_INPUT, "table " + table.name() + " has " + rows
                            + " rows; at most " + maxRows + " per file");
                }
                String select = table.ownColumns().stream()
                        .map(c -> found.isEmpty() ? "CAST(NULL AS " + c.type() + ") AS " + Sql.quote(c.name())
                                : "CAST(" + Sql.quote(found.get(foundLower.indexOf(c.name()))) + " AS " + c.type() + ") AS "
                                        + Sql.quote(c.name()))
                        .collect(Collectors.joining(", "));
                String source = found.isEmpty() ? "(SELECT 1 WHERE false)" : reader;
                Path target = outDir.resolve(table.name() + ".parquet");
                try {
                    sql.execute("COPY (SELECT CAST(" + fileId + " AS BIGINT) AS file_id, " + Sql.literal(owner.value())
                            + " AS owner, " + select + " FROM " + source + ") TO " + Sql.literal(target.toString())
                            + " (FORMAT parquet)");
                } catch (SQLException e) {
                    throw new QueryException(QueryException.Code.BAD_INPUT, "table " + table.name() + ": " + Sql.firstLine(e), e);
                }
                counts.add(new TableCount(table.name(), rows));
            }
        } catch (SQLException e) {
            throw new QueryException(QueryException.Code.BAD_INPUT, "refined data could not be read: " + Sql.firstLine(e), e);
        }
        return new Written(List.copyOf(counts));
    }

    private static Path rawFile(Path rawDir, String table) {
        for (String extension : List.of(".parquet", ".csv", ".jsonl")) {
            Path candidate = rawDir.resolve(table + extension);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new QueryException(QueryException.Code.BAD_INPUT, "the refiner wrote no table " + table
                + " (expected " + table + ".parquet, .csv or .jsonl)");
    }

    /**
     * A table function reading {@code raw}. For JSON Lines, {@code columns} (when known) are read as
     * text: DuckDB otherwise guesses each column's type from a sample of rows, fails on a later row
     * that does not fit the guess, and rewrites text it took for a date or a time.
     */
    private static String reader(Path raw, List<String> columns) {
        String name = raw.getFileName().toString();
        String path = Sql.literal(raw.toString());
        if (name.endsWith(".parquet")) {
            return "read_parquet(" + path + ")";
        }
        if (name.endsWith(".csv")) {
            return "read_csv(" + path + ", header = true, all_varchar = true)";
        }
        if (columns.isEmpty()) {
            return "read_json(" + path + ", format = 'newline_delimited')";
        }
        return "read_json(" + path + ", format = 'newline_delimited', columns = {" + columns.stream()
                .map(c -> Sql.literal(c) + ": 'VARCHAR'").collect(Collectors.joining(", ")) + "})";
    }

    /** Whether a CSV or JSON Lines table holds nothing but white space: a table without rows. */
    private static boolean isEmpty(Path raw) {
        if (raw.getFileName().toString().endsWith(".parquet")) {
            return false;
        }
        try (var in = new java.io.BufferedInputStream(Files.newInputStream(raw))) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (!Character.isWhitespace(b)) {
                    return false;
                }
            }
            return true;
        } catch (java.io.IOException e) {
            throw new QueryException(QueryException.Code.BAD_INPUT, "cannot read " + raw.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** The raw table's column names as written; empty for a file with no rows. */
    private static List<String> columnsOf(Statement sql, String reader) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery("DESCRIBE SELECT * FROM " + reader)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException e) {
            if (isEmptyInput(e)) {
                return List.of();
            }
            throw new QueryException(QueryException.Code.BAD_INPUT, Sql.firstLine(e), e);
        }
        return names;
    }

    private static boolean isEmptyInput(SQLException e) {
        String message = Optional.ofNullable(e.getMessage()).orElse("").toLowerCase(Locale.ROOT);
        return message.contains("empty") || message.contains("no columns");
    }

    private static long count(Statement sql, String reader, boolean empty) throws SQLException {
        if (empty) {
            return 0;
        }
        try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM " + reader)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
