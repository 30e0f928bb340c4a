package org.datacoop.compute.builtin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.datacoop.compute.ComputeException;
import org.datacoop.compute.ComputeException.Reason;

/** JSON from a requester (params, a model): one object, no duplicate or unknown fields, bounded. */
final class StrictJson {
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxNumberLength(400).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StrictJson() {}

    /** {@code text} as a JSON object; fails naming {@code what} when it is not one. */
    static JsonNode object(String text, String what, Reason reason) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ComputeException(reason, what + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ComputeException(reason, what + " must be a JSON object");
        }
        return node;
    }

    /** Fails naming the first field of {@code node} that is not one of {@code allowed}. */
    static void onlyFields(JsonNode node, String where, Reason reason, String... allowed) {
        Set<String> known = Set.of(allowed);
        for (String field : (Iterable<String>) node::fieldNames) {
            if (!known.contains(field)) {
                throw new ComputeException(reason, where + " has an unknown field '" + field + "' (known: "
                        + String.join(", ", allowed) + ")");
            }
        }
    }

    /** A list of distinct non-empty strings. */
    static List<String> names(JsonNode node, String where, Reason reason) {
        if (!node.isArray()) {
            throw new ComputeException(reason, where + " must be a list of column names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || item.asText().isEmpty()) {
                throw new ComputeException(reason, where + " must hold only column names, not " + item);
            }
            if (names.contains(item.asText())) {
                throw new ComputeException(reason, where + " names '" + item.asText() + "' twice");
            }
            names.add(item.asText());
        }
        return List.copyOf(names);
    }

    /** A whole number in {@code [min, max]}, or {@code fallback} when absent; fails naming the field and the bound. */
    static long whole(JsonNode params, String field, long min, long max, long fallback, Reason reason) {
        JsonNode node = params.path(field);
        if (node.isMissingNode()) {
            return fallback;
        }
        if (!node.isIntegralNumber()) {
            throw new ComputeException(reason, field + " must be a whole number, not " + node);
        }
        if (!node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            throw new ComputeException(reason, field + " is " + node.asText() + "; it must be between " + min + " and " + max);
        }
        return node.longValue();
    }
}
