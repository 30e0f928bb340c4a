package org.datacoop.query.refine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.datacoop.query.ColumnType;
import org.datacoop.query.QueryException;
import org.datacoop.query.TableSchema;

/** A published schema definition document: its tables and their columns' types. */
public record SchemaDefinition(String name, String dialect, List<TableSchema> tables) {
    public static final String DIALECT = "duckdb";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a definition document; fails naming what is wrong. */
    public static SchemaDefinition parse(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new QueryException(QueryException.Code.BAD_REFINER, "the schema definition is not JSON: " + e.getMessage());
        }
        if (root == null || !root.path("tables").isArray()) {
            throw new QueryException(QueryException.Code.BAD_REFINER, "the schema definition has no \"tables\" array");
        }
        List<TableSchema> tables = new ArrayList<>();
        for (JsonNode table : root.get("tables")) {
            List<TableSchema.Column> columns = new ArrayList<>();
            table.path("columns").forEach(c -> columns.add(
                    new TableSchema.Column(c.path("name").asText(null), ColumnType.named(c.path("type").asText("")))));
            tables.add(new TableSchema(table.path("name").asText(null), columns));
        }
        return new SchemaDefinition(root.path("name").asText(""), root.path("dialect").asText(""), List.copyOf(tables));
    }

    /** Fails unless {@code refiner} writes exactly these tables and columns: a refiner cannot widen its schema. */
    public void requireMatches(RefinerDefinition refiner) {
        if (!refiner.schema().equals(tables)) {
            throw new QueryException(QueryException.Code.BAD_REFINER, "the refiner's tables " + describe(refiner.schema())
                    + " differ from its schema's " + describe(tables));
        }
    }

    private static String describe(List<TableSchema> tables) {
        return tables.stream()
                .map(t -> t.name() + "(" + String.join(", ", t.columns().stream().map(c -> c.name() + " " + c.type()).toList()) + ")")
                .toList()
                .toString();
    }
}
