package org.datacoop.compute.builtin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.datacoop.compute.ComputeException;
import org.datacoop.compute.ComputeException.Reason;

/**
 * What a model learns to predict: a column's value, or for a classifier whether a numeric column is
 * above a threshold. In JSON a column is its name ({@code "label": "steps"}) and a threshold an object
 * ({@code "label": {"column": "steps", "above": 8000}}, classes {@code "true"} and {@code "false"}).
 */
public sealed interface Label {
    String column();

    record Column(String column) implements Label {}

    record Above(String column, double threshold) implements Label {
        public Above {
            if (!Double.isFinite(threshold)) {
                throw new IllegalArgumentException("a threshold must be a finite number");
            }
        }

        /** The class of a value: {@code "true"} above the threshold, {@code "false"} otherwise. */
        public String classOf(double value) {
            return Boolean.toString(value > threshold);
        }
    }

    /** The label {@code node} describes; {@code where} names the JSON field, for errors. */
    static Label parse(JsonNode node, String where, Reason reason) {
        if (node.isTextual() && !node.asText().isEmpty()) {
            return new Column(node.asText());
        }
        if (node.isObject()) {
            StrictJson.onlyFields(node, where, reason, "column", "above");
            JsonNode column = node.path("column");
            JsonNode above = node.path("above");
            if (!column.isTextual() || column.asText().isEmpty()) {
                throw new ComputeException(reason, where + ".column must name the numeric column to threshold");
            }
            if (!above.isNumber() || !Double.isFinite(above.doubleValue())) {
                throw new ComputeException(reason, where + ".above must be a finite number (the threshold)");
            }
            return new Above(column.asText(), above.doubleValue());
        }
        throw new ComputeException(reason, where + " must be a column name or {\"column\": NAME, \"above\": NUMBER}");
    }

    default void write(JsonGenerator json) throws IOException {
        switch (this) {
            case Column c -> json.writeString(c.column());
            case Above a -> {
                json.writeStartObject();
                json.writeStringField("column", a.column());
                json.writeFieldName("above");
                json.writeNumber(Double.toString(a.threshold()));
                json.writeEndObject();
            }
        }
    }
}
