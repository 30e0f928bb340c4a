package org.datacoop.query.refine;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.datacoop.query.ColumnType;
import org.datacoop.query.QueryException;
import org.datacoop.query.TableSchema;

/**
 * The built-in declarative refiner: a mapping from a JSON document to tables
 * ({@code "refiner": "builtin:refiner/v1"}). It names the tables and columns, which is also the
 * schema the refined data must follow. (An external refiner is an executable, published as such,
 * with its tables given by its schema alone.)
 *
 * <pre>{@code
 * {"refiner": "builtin:refiner/v1",
 *  "tables": [{"name": "daily_steps", "rows": "/days",
 *              "columns": [{"name": "steps", "path": "/steps", "type": "BIGINT"},
 *                          {"name": "distance_km", "path": "/distance_m", "type": "DOUBLE", "unit": "m", "as": "km"}]}]}
 * }</pre>
 *
 * Paths are JSON Pointers (RFC 6901): {@code rows} from the document's root to an array whose
 * elements become rows (absent: the document is one row), a column's {@code path} from the row.
 */
public record RefinerDefinition(String description, List<TableMapping> tables) {
    public static final String DECLARATIVE = "builtin:refiner/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One table: where its rows are and how each column is read. */
    public record TableMapping(String name, Optional<JsonPointer> rows, List<ColumnMapping> columns) {}

    /** One column: its name and type, where its value is in a row, and its unit conversion if any. */
    public record ColumnMapping(String name, ColumnType type, JsonPointer path, Optional<Unit> unit,
            Optional<Unit> as) {
        /** {@code value} converted to the stored unit; unchanged without a conversion. */
        public double convert(double value) {
            return unit.map(from -> from.convert(value, as.orElseThrow())).orElse(value);
        }
    }

    /** Reads a definition; fails naming the field at fault. */
    public static RefinerDefinition parse(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw bad("the refiner definition is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw bad("the refiner definition must be a JSON object");
        }
        String kind = root.path("refiner").asText("");
        if (!kind.equals(DECLARATIVE)) {
            throw bad("\"refiner\" must be \"" + DECLARATIVE + "\", not \"" + kind + "\" (an external refiner is published"
                    + " as its executable, with --program and --schema)");
        }
        JsonNode tablesNode = root.path("tables");
        if (!tablesNode.isArray() || tablesNode.isEmpty()) {
            throw bad("\"tables\" must be a non-empty array");
        }
        List<TableMapping> tables = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode table : tablesNode) {
            TableMapping mapping = table(table);
            if (!names.add(mapping.name())) {
                throw bad("table " + mapping.name() + " is defined twice");
            }
            tables.add(mapping);
        }
        return new RefinerDefinition(root.path("description").asText(""), List.copyOf(tables));
    }

    /** The tables refined data has, each with {@code file_id} and {@code owner} first. */
    public List<TableSchema> schema() {
        return tables.stream()
                .map(t -> TableSchema.of(t.name(),
                        t.columns().stream().map(c -> new TableSchema.Column(c.name(), c.type())).toList()))
                .toList();
    }

    /** The schema definition document to publish for this refiner (what {@code addSchema} points at). */
    public byte[] schemaDocument(String schemaName) {
        ObjectNode doc = JSON.createObjectNode().put("name", schemaName).put("dialect", SchemaDefinition.DIALECT);
        ArrayNode tablesNode = doc.putArray("tables");
        for (TableSchema table : schema()) {
            ObjectNode t = tablesNode.addObject().put("name", table.name());
            ArrayNode columns = t.putArray("columns");
            table.columns().forEach(c -> columns.addObject().put("name", c.name()).put("type", c.type().name()));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a schema document", e);
        }
    }

    private static TableMapping table(JsonNode table) {
        String name = table.path("name").asText(null);
        TableSchema.requireIdentifier(name, "table");
        Optional<JsonPointer> rows = table.hasNonNull("rows") ? Optional.of(pointer(table.get("rows"), "table " + name + " rows"))
                : Optional.empty();
        JsonNode columnsNode = table.path("columns");
        if (!columnsNode.isArray() || columnsNode.isEmpty()) {
            throw bad("table " + name + " needs a non-empty \"columns\" array");
        }
        List<ColumnMapping> columns = new ArrayList<>();
        Set<String> columnNames = new HashSet<>();
        for (JsonNode column : columnsNode) {
            String columnName = column.path("name").asText(null);
            TableSchema.requireIdentifier(columnName, "column");
            if (columnName.equals(TableSchema.FILE_ID) || columnName.equals(TableSchema.OWNER)) {
                throw bad("column " + name + "." + columnName + " is reserved: every table gets file_id and owner itself");
            }
            String where = "column " + name + "." + columnName;
            if (!columnNames.add(columnName)) {
                throw bad(where + " is defined twice");
            }
            ColumnType type = named(where, () -> ColumnType.named(column.path("type").asText("")));
            if (!column.hasNonNull("path")) {
                throw bad(where + " needs a \"path\" (a JSON Pointer such as \"/steps\")");
            }
            JsonPointer path = pointer(column.get("path"), where);
            Optional<Unit> unit = column.hasNonNull("unit")
                    ? Optional.of(named(where, () -> Unit.named(column.get("unit").asText()))) : Optional.empty();
            Optional<Unit> as = column.hasNonNull("as")
                    ? Optional.of(named(where, () -> Unit.named(column.get("as").asText()))) : Optional.empty();
            if (unit.isPresent() != as.isPresent()) {
                throw bad(where + " needs both \"unit\" (what the data is in) and \"as\" (what to store), or neither");
            }
            if (unit.isPresent() && type != ColumnType.DOUBLE) {
                throw bad(where + " converts units, so its type must be DOUBLE");
            }
            unit.ifPresent(u -> named(where, () -> u.factorTo(as.get())));
            columns.add(new ColumnMapping(columnName, type, path, unit, as));
        }
        return new TableMapping(name, rows, List.copyOf(columns));
    }

    /** Runs {@code lookup}, putting {@code where} before its error so the message names the column at fault. */
    private static <T> T named(String where, java.util.function.Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (QueryException e) {
            throw new QueryException(e.code(), where + ": " + e.getMessage(), e);
        }
    }

    private static JsonPointer pointer(JsonNode node, String where) {
        try {
            return JsonPointer.compile(node.asText());
        } catch (IllegalArgumentException e) {
            throw bad(where + ": '" + node.asText() + "' is not a JSON Pointer (such as \"/days\"): " + e.getMessage());
        }
    }

    private static QueryException bad(String message) {
        return new QueryException(QueryException.Code.BAD_REFINER, message + " (see docs/declarative.md, Refiners)");
    }
}
