package org.datacoop.query.refine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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
                String reader = reader(raw);
                List<String> found = columnsOf(sql, reader);
                List<String> expected = table.ownColumns().stream().map(TableSchema.Column::name).toList();
                if (!found.isEmpty() && !new java.util.HashSet<>(found).equals(new java.util.HashSet<>(expected))) {
                    throw new QueryException(QueryException.Code.BAD_INPUT, "the refiner wrote table " + table.name()
                            + " with columns " + found + "; its schema has " + expected);
                }
                long rows = count(sql, reader, found.isEmpty());
                if (rows > maxRows) {
                    throw new QueryException(QueryException.Code.BAD_INPUT, "table " + table.name() + " has " + rows
                            + " rows; at most " + maxRows + " per file");
                }
                String select = table.ownColumns().stream()
                        .map(c -> found.isEmpty() ? "CAST(NULL AS " + c.type() + ") AS " + Sql.quote(c.name())
                                : "CAST(" + Sql.quote(c.name()) + " AS " + c.type() + ") AS " + Sql.quote(c.name()))
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

    private static String reader(Path raw) {
        String name = raw.getFileName().toString();
        String path = Sql.literal(raw.toString());
        if (name.endsWith(".parquet")) {
            return "read_parquet(" + path + ")";
        }
        if (name.endsWith(".csv")) {
            return "read_csv(" + path + ", header = true, all_varchar = true)";
        }
        return "read_json(" + path + ", format = 'newline_delimited')";
    }

    /** The raw table's column names in lower case; empty for a file with no rows. */
    private static List<String> columnsOf(Statement sql, String reader) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery("DESCRIBE SELECT * FROM " + reader)) {
            while (rs.next()) {
                names.add(rs.getString(1).toLowerCase(Locale.ROOT));
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
