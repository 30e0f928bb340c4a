package org.datacoop.query.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.datacoop.query.QueryException;
import org.datacoop.query.Sql;

/**
 * A second, independent check of a plan, with DuckDB's own parser ({@code json_serialize_sql}):
 * every column the SQL that will run refers to must be one the permission check covered, every
 * {@code *} must cover columns all checked, every table must be the plan's, and nothing may be a
 * subquery, a table function or a forbidden function. JSqlParser and DuckDB do not read every
 * construct alike (JSqlParser's visitor skips the operands of {@code substring(x FROM y)}, for
 * one), so the plan is trusted only where the engine's parser agrees; anything else is refused.
 */
final class ColumnAudit {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final QueryPlan plan;

    private ColumnAudit(QueryPlan plan) {
        this.plan = plan;
    }

    static void check(Statement sql, QueryPlan plan) throws SQLException {
        JsonNode tree;
        try (ResultSet rs = sql.executeQuery("SELECT json_serialize_sql(" + Sql.literal(plan.checkedSql()) + ")")) {
            rs.next();
            tree = JSON.readTree(rs.getString(1));
        } catch (IOException e) {
            throw new IllegalStateException("DuckDB wrote a parse tree that is not JSON", e);
        }
        if (tree.path("error").asBoolean(false)) {
            throw new QueryException(QueryException.Code.PARSE, "DuckDB does not parse the query: "
                    + tree.path("error_message").asText());
        }
        if (tree.path("statements").size() != 1) {
            throw refused("more than one statement");
        }
        new ColumnAudit(plan).walk(tree.path("statements").get(0).path("node"));
    }

    private void walk(JsonNode node) {
        if (node.isArray()) {
            node.forEach(this::walk);
            return;
        }
        if (!node.isObject()) {
            return;
        }
        String kind = node.path("class").asText(node.path("type").asText(""));
        switch (kind) {
            case "COLUMN_REF" -> column(node);
            case "STAR" -> star(node);
            case "SUBQUERY" -> throw refused("a subquery");
            case "FUNCTION" -> {
                String name = node.path("function_name").asText().toLowerCase(Locale.ROOT);
                if (QueryPlanner.isForbiddenFunction(name)) {
                    throw refused("function " + name + "()");
                }
            }
            case "BASE_TABLE" -> table(node);
            case "TABLE_FUNCTION", "SUBQUERY_NODE", "EXPRESSION_LIST" -> throw refused("reading from anything but a refined table");
            default -> { }
        }
        node.forEach(this::walk);
    }

    private void column(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.path("column_names").forEach(n -> names.add(n.asText().toLowerCase(Locale.ROOT)));
        String column = names.get(names.size() - 1);
        if (names.size() >= 2) {
            String qualifier = names.get(names.size() - 2);
            List<QueryPlan.TableUse> named = plan.tables().stream()
                    .filter(t -> t.reference().equals(qualifier) || t.table().schema().name().equals(qualifier))
                    .toList();
            if (!named.isEmpty()) {
                for (QueryPlan.TableUse table : named) {
                    if (table.table().schema().column(column).isPresent() && !table.columns().contains(column)) {
                        throw unchecked(column);
                    }
                }
                return;
            }
            column = names.get(0); // a field of a struct column
        }
        String name = column;
        if (plan.tables().stream().anyMatch(t -> t.reference().equals(name) || t.table().schema().name().equals(name))) {
            throw refused("naming table " + name + " as a column (whole rows)");
        }
        for (QueryPlan.TableUse table : plan.tables()) {
            if (table.table().schema().column(name).isPresent() && !table.columns().contains(name)) {
                throw unchecked(name);
            }
        }
    }

    private void star(JsonNode node) {
        if (node.path("columns").asBoolean(false) || !node.path("expr").isMissingNode() && !node.path("expr").isNull()) {
            throw refused("COLUMNS(...)");
        }
        String relation = node.path("relation_name").asText("").toLowerCase(Locale.ROOT);
        for (QueryPlan.TableUse table : plan.tables()) {
            boolean covered = relation.isEmpty() || table.reference().equals(relation)
                    || table.table().schema().name().equals(relation);
            if (covered && table.columns().size() != table.table().schema().columns().size()) {
                throw unchecked("* of " + table.table().schema().name());
            }
        }
    }

    private void table(JsonNode node) {
        String schema = node.path("schema_name").asText("").toLowerCase(Locale.ROOT);
        String name = node.path("table_name").asText("").toLowerCase(Locale.ROOT);
        boolean known = plan.tables().stream().anyMatch(t -> CatalogTable.schemaOf(t.table().dlpId()).equals(schema)
                && t.table().schema().name().equals(name));
        if (!known || !node.path("catalog_name").asText("").isEmpty()) {
            throw refused("reading " + (schema.isEmpty() ? "" : schema + ".") + name);
        }
    }

    private static QueryException unchecked(String column) {
        return new QueryException(QueryException.Code.UNSUPPORTED, "not supported: the query uses " + column
                + " in a way the permission check could not follow; write it more plainly");
    }

    private static QueryException refused(String what) {
        return new QueryException(QueryException.Code.UNSUPPORTED, "not supported: " + what);
    }
}
