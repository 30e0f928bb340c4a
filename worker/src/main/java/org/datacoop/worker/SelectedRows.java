package org.datacoop.worker;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.datacoop.query.Sql;
import org.datacoop.query.engine.QueryResult;

/**
 * A task's selected rows as the Parquet file its algorithm reads. They pass through a CSV that DuckDB
 * reads with the result's own column types: every value quoted, so no text is mistaken for another
 * type, and an unquoted empty field is NULL.
 */
public final class SelectedRows {
    private SelectedRows() {}

    /** Writes {@code result}'s rows to {@code parquet}; returns it. */
    public static Path write(QueryResult result, Path parquet) {
        Path csv = parquet.resolveSibling("rows-transfer.csv");
        try {
            try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                out.write(String.join(",", result.columns().stream().map(SelectedRows::quoted).toList()));
                out.write('\n');
                for (List<Object> row : result.rows()) {
                    for (int i = 0; i < row.size(); i++) {
                        if (i > 0) {
                            out.write(',');
                        }
                        Object value = row.get(i);
                        if (value != null) {
                            out.write(quoted(value.toString()));
                        }
                    }
                    out.write('\n');
                }
            }
            StringBuilder columns = new StringBuilder("{");
            for (int i = 0; i < result.columns().size(); i++) {
                columns.append(i > 0 ? ", " : "").append(Sql.literal(result.columns().get(i))).append(": ")
                        .append(Sql.literal(result.types().get(i)));
            }
            columns.append('}');
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                    Statement sql = connection.createStatement()) {
                sql.execute("COPY (SELECT * FROM read_csv(" + Sql.literal(csv.toString()) + ", header = true, quote = '\"',"
                        + " escape = '\"', columns = " + columns + ")) TO " + Sql.literal(parquet.toString())
                        + " (FORMAT parquet)");
            }
            return parquet;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the task's rows", e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the task's rows as Parquet: " + Sql.firstLine(e), e);
        } finally {
            try {
                Files.deleteIfExists(csv);
            } catch (IOException e) {
                // The workspace it is in is deleted with the task.
            }
        }
    }

    private static String quoted(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
