package org.datacoop.query;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A refined table: its name and columns, the first two always {@code file_id} and {@code owner},
 * so every row keeps the file it came from and whose it is.
 */
public record TableSchema(String name, List<Column> columns) {
    public static final String FILE_ID = "file_id";
    public static final String OWNER = "owner";
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /** A column and its type. */
    public record Column(String name, ColumnType type) {
        public Column {
            requireIdentifier(name, "column");
        }
    }

    public TableSchema {
        requireIdentifier(name, "table");
        columns = List.copyOf(columns);
        if (columns.size() < 3 || !columns.get(0).equals(new Column(FILE_ID, ColumnType.BIGINT))
                || !columns.get(1).equals(new Column(OWNER, ColumnType.VARCHAR))) {
            throw new QueryException(QueryException.Code.BAD_REFINER, "table " + name
                    + " must start with file_id BIGINT and owner VARCHAR and have at least one column of its own");
        }
        if (columns.stream().map(Column::name).distinct().count() != columns.size()) {
            throw new QueryException(QueryException.Code.BAD_REFINER, "table " + name + " names a column twice");
        }
    }

    /** A table with {@code file_id} and {@code owner} put before {@code own} columns. */
    public static TableSchema of(String name, List<Column> own) {
        var all = new java.util.ArrayList<Column>();
        all.add(new Column(FILE_ID, ColumnType.BIGINT));
        all.add(new Column(OWNER, ColumnType.VARCHAR));
        all.addAll(own);
        return new TableSchema(name, all);
    }

    public Optional<Column> column(String columnName) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
    }

    /** The columns after {@code file_id} and {@code owner}: what a refiner writes. */
    public List<Column> ownColumns() {
        return columns.subList(2, columns.size());
    }

    /** Fails naming the kind and the name unless it is a lower-case SQL identifier DuckDB needs no quotes for. */
    public static void requireIdentifier(String name, String kind) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new QueryException(QueryException.Code.BAD_REFINER, "'" + name + "' is not a valid " + kind
                    + " name: use a lower-case letter, then letters, digits or _ (at most 63)");
        }
    }
}
