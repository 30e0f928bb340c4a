package org.datacoop.compute.data;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.datacoop.compute.ComputeException;
import org.datacoop.compute.ComputeException.Reason;
import org.datacoop.query.Sql;

/**
 * A task's selected rows, a Parquet file read with DuckDB (one thread), always in one total order so
 * that the order the rows arrived in never changes a result: sorted by every column, in the file's
 * column order, each ascending with NULLs last ({@code ORDER BY c1 ASC NULLS LAST, c2 ASC NULLS LAST, ...}
 * with DuckDB's comparison: numbers by value, text by its bytes). Rows equal in every column are
 * interchangeable, so their relative order does not matter.
 */
public final class Selection {
    /** DuckDB's numeric types, the only ones a feature or a numeric label may have. */
    private static final Pattern NUMERIC = Pattern.compile(
            "(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT))|FLOAT|DOUBLE|DECIMAL\\(\\d+,\\d+\\)");

    /** The most rows a built-in reads: one Java array per column. */
    public static final int MAX_ROWS = Integer.MAX_VALUE - 8;

    private final Path parquet;
    private final Map<String, String> types;

    private Selection(Path parquet, Map<String, String> types) {
        this.parquet = parquet;
        this.types = types;
    }

    /** The selection in {@code parquet}; fails naming the file when it is not Parquet. */
    public static Selection of(Path parquet) {
        Path file = parquet.toAbsolutePath().normalize();
        Map<String, String> types = new LinkedHashMap<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet described = statement.executeQuery("DESCRIBE SELECT * FROM " + source(file))) {
            while (described.next()) {
                types.put(described.getString("column_name"), described.getString("column_type"));
            }
        } catch (SQLException e) {
            throw new ComputeException(Reason.INVALID_DATA, "the task's rows are not a readable Parquet file: " + Sql.firstLine(e), e);
        }
        return new Selection(file, types);
    }

    /** The columns, in the file's order. */
    public List<String> columns() {
        return List.copyOf(types.keySet());
    }

    /**
     * Fails unless {@code column} exists and is numeric, naming it by {@code role} (for example
     * {@code "feature"}), so a requester learns which param to fix.
     */
    public void requireNumeric(String column, String role) {
        requireColumn(column, role);
        String type = types.get(column);
        if (!NUMERIC.matcher(type).matches()) {
            throw new ComputeException(Reason.INVALID_PARAMS, role + " column '" + column + "' is " + type + ", not a number");
        }
    }

    /** Fails unless {@code column} exists, naming it by {@code role} and listing the columns there are. */
    public void requireColumn(String column, String role) {
        if (!types.containsKey(column)) {
            throw new ComputeException(Reason.INVALID_PARAMS, role + " column '" + column
                    + "' is not in the selection (its columns: " + String.join(", ", types.keySet()) + ")");
        }
    }

    /**
     * Reads {@code numeric} columns as doubles and {@code text} columns as text, in the total order.
     * Fails naming the column and row (1-based, in that order) of a NULL, NaN or infinite value, and
     * when there are no rows.
     */
    public Rows read(List<String> numeric, List<String> text) {
        numeric.forEach(column -> requireNumeric(column, "numeric"));
        text.forEach(column -> requireColumn(column, "text"));
        List<String> select = new ArrayList<>();
        numeric.forEach(column -> select.add("CAST(" + Sql.quote(column) + " AS DOUBLE)"));
        text.forEach(column -> select.add("CAST(" + Sql.quote(column) + " AS VARCHAR)"));
        if (select.isEmpty()) {
            select.add("1");
        }
        int count = count();
        if (count == 0) {
            throw new ComputeException(Reason.INVALID_DATA, "the selection has no rows");
        }
        double[][] numbers = new double[numeric.size()][count];
        String[][] texts = new String[text.size()][count];
        int row = 0;
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT " + String.join(", ", select) + " FROM " + source(parquet)
                        + " ORDER BY " + orderByAll())) {
            for (; rows.next(); row++) {
                for (int i = 0; i < numeric.size(); i++) {
                    double value = rows.getDouble(i + 1);
                    boolean missing = rows.wasNull();
                    if (missing || !Double.isFinite(value)) {
                        throw new ComputeException(Reason.INVALID_DATA, "column '" + numeric.get(i) + "' has "
                                + (missing ? "a NULL" : Double.toString(value)) + " in row " + (row + 1)
                                + " (rows sorted by every column); every value must be a finite number");
                    }
                    numbers[i][row] = value;
                }
                for (int i = 0; i < text.size(); i++) {
                    String value = rows.getString(numeric.size() + i + 1);
                    if (value == null) {
                        throw new ComputeException(Reason.INVALID_DATA, "column '" + text.get(i) + "' has a NULL in row "
                                + (row + 1) + " (rows sorted by every column)");
                    }
                    texts[i][row] = value;
                }
            }
        } catch (SQLException e) {
            throw new ComputeException(Reason.INVALID_DATA, "cannot read the task's rows: " + Sql.firstLine(e), e);
        }
        Map<String, double[]> numberColumns = new LinkedHashMap<>();
        for (int i = 0; i < numeric.size(); i++) {
            numberColumns.put(numeric.get(i), numbers[i]);
        }
        Map<String, List<String>> textColumns = new LinkedHashMap<>();
        for (int i = 0; i < text.size(); i++) {
            textColumns.put(text.get(i), List.of(texts[i]));
        }
        return new Rows(count, numberColumns, textColumns);
    }

    /** How many rows there are; at most what a Java array holds. */
    private int count() {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet counted = statement.executeQuery("SELECT count(*) FROM " + source(parquet))) {
            counted.next();
            long count = counted.getLong(1);
            if (count > MAX_ROWS) {
                throw new ComputeException(Reason.INVALID_DATA, "the selection has " + count + " rows; at most " + MAX_ROWS
                        + " fit one built-in task");
            }
            return (int) count;
        } catch (SQLException e) {
            throw new ComputeException(Reason.INVALID_DATA, "cannot count the task's rows: " + Sql.firstLine(e), e);
        }
    }

    /**
     * Writes the rows, in the total order, as Parquet to {@code parquetOut} and as CSV with a header
     * to {@code csvOut}: what an external algorithm reads.
     */
    public void writeSorted(Path parquetOut, Path csvOut) {
        String sorted = "(SELECT * FROM " + source(parquet) + " ORDER BY " + orderByAll() + ")";
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("COPY " + sorted + " TO " + Sql.literal(parquetOut.toAbsolutePath().toString()) + " (FORMAT parquet)");
            statement.execute("COPY " + sorted + " TO " + Sql.literal(csvOut.toAbsolutePath().toString()) + " (FORMAT csv, HEADER)");
        } catch (SQLException e) {
            throw new ComputeException(Reason.INVALID_DATA, "cannot write the task's rows for the algorithm: " + Sql.firstLine(e), e);
        }
    }

    private String orderByAll() {
        return types.keySet().stream()
                .map(column -> Sql.quote(column) + " ASC NULLS LAST")
                .collect(Collectors.joining(", "));
    }

    private static String source(Path file) {
        return "read_parquet(" + Sql.literal(file.toString()) + ")";
    }

    /** An in-memory DuckDB on one thread: one thread keeps every sort and cast the same from run to run. */
    private static Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET threads = 1");
            statement.execute("SET preserve_insertion_order = true");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }
}
