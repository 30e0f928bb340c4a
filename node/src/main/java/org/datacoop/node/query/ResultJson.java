package org.datacoop.node.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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

    /** Written straight from the rows: a tree per row (the earlier way) cost about as much again as the writing. */
    public static String toJson(QueryResult result) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("columns");
            for (String column : result.columns()) {
                json.writeString(column);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("types");
            for (String type : result.types()) {
                json.writeString(type);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("rows");
            for (List<Object> row : result.rows()) {
                json.writeStartArray();
                for (Object value : row) {
                    json.writeObject(value);
                }
                json.writeEndArray();
            }
            json.writeEndArray();
            QueryResult.Summary summary = result.summary();
            json.writeNumberField("min_group_size", summary.minGroupSize());
            if (summary.suppressedGroups().isPresent()) {
                json.writeNumberField("suppressed_groups", summary.suppressedGroups().getAsLong());
            } else {
                json.writeNullField("suppressed_groups");
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a query result", e);
        }
        return out.toString();
    }
}
