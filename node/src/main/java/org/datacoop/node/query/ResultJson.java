package org.datacoop.node.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.datacoop.query.engine.QueryResult;

/** A query result as the JSON document that is encrypted to the builder (columns, types, rows), and what a quote tells of it. */
public final class ResultJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultJson() {}

    /**
     * What a quote tells of the result it expects: {@code rows}, {@code min_group_size},
     * {@code suppressed_groups}, {@code chargeable} and, when not, the {@code reason}.
     */
    public static void putExpected(ObjectNode body, QueryResult.Summary expected) {
        body.put("rows", expected.rows());
        putGroups(body, expected);
        body.put("chargeable", expected.notCharged().isEmpty());
        expected.notCharged().ifPresent(reason -> body.put("reason", reason));
    }

    /** {@code suppressed_groups} is null when withheld: the groups left out cover too few contributors to be counted. */
    private static void putGroups(ObjectNode body, QueryResult.Summary summary) {
        body.put("min_group_size", summary.minGroupSize());
        if (summary.suppressedGroups().isPresent()) {
            body.put("suppressed_groups", summary.suppressedGroups().getAsLong());
        } else {
            body.putNull("suppressed_groups");
        }
    }

    public static String toJson(QueryResult result) {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode columns = doc.putArray("columns");
        result.columns().forEach(columns::add);
        ArrayNode types = doc.putArray("types");
        result.types().forEach(types::add);
        ArrayNode rows = doc.putArray("rows");
        for (List<Object> row : result.rows()) {
            rows.add(JSON.valueToTree(row));
        }
        putGroups(doc, result.summary());
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a query result", e);
        }
    }
}
