package org.datacoop.node.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.datacoop.query.engine.QueryResult;

/** A query result as the JSON document that is encrypted to the builder: columns, types, rows. */
public final class ResultJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultJson() {}

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
        doc.put("suppressed_groups", result.suppressedGroups());
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a query result", e);
        }
    }
}
