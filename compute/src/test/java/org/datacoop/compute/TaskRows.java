package org.datacoop.compute;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.datacoop.query.Sql;

/**
 * Rows for tests, written as Parquet the way the query engine writes a selection: a day's distance,
 * active minutes and steps (about 1,250 steps a km, give or take), in a chosen order.
 */
public final class TaskRows {
    /** The columns every generated file has, in order. */
    public static final String COLUMNS = "day, date, distance_km, active_minutes, steps";

    private TaskRows() {}

    /** {@code count} days in day order. */
    public static Path write(Path file, int count) {
        return write(file, count, "day");
    }

    /** The same {@code count} days in another order: {@code "hash(day)"}, {@code "day DESC"}. */
    public static Path write(Path file, int count, String order) {
        return copy("SELECT " + COLUMNS + " FROM (" + days(count) + ") ORDER BY " + order, file);
    }

    /** The rows {@code select} gives, as Parquet. */
    public static Path copy(String select, Path file) {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute("COPY (" + select + ") TO " + Sql.literal(file.toString()) + " (FORMAT parquet)");
            return file;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write test rows: " + e.getMessage(), e);
        }
    }

    /** A SELECT of {@code count} days: distances spread over 0-12 km, steps following them with noise. */
    public static String days(int count) {
        return "SELECT i AS day, CAST(DATE '2026-01-01' + CAST(i AS INTEGER) AS VARCHAR) AS date,"
                + " ((i * 37) % 120) / 10.0 AS distance_km,"
                + " CAST((i * 53) % 90 AS INTEGER) AS active_minutes,"
                + " CAST(((i * 37) % 120) * 125 + ((i * 7919) % 1500) - 750 AS INTEGER) AS steps"
                + " FROM range(" + count + ") t(i)";
    }
}
