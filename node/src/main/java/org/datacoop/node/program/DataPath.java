package org.datacoop.node.program;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.DoubleConsumer;
import java.util.regex.Pattern;

/**
 * A dotted path into a JSON document, such as {@code days.steps}: each segment names a field of an
 * object. Segments hold letters, digits, {@code _} and {@code -}.
 */
record DataPath(List<String> segments) {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");

    DataPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a path needs at least one field name");
        }
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("'" + segment + "' is not a field name (letters, digits, _ and - only)");
            }
        }
    }

    static DataPath parse(String dotted) {
        return new DataPath(List.of(dotted.split("\\.", -1)));
    }

    static boolean isSegmentChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
    }

    /** The node this path names through objects only; a missing node when a step is absent or not an object. */
    JsonNode at(JsonNode root) {
        JsonNode node = root;
        for (String segment : segments) {
            node = node.path(segment);
        }
        return node;
    }

    /**
     * Every number this path reaches, where an array met on the way (or at the end) stands for each
     * of its elements: {@code days.steps} gives the {@code steps} of every element of {@code days}.
     */
    void forEachNumber(JsonNode root, DoubleConsumer sink) {
        forEachNumber(root, 0, sink);
    }

    private void forEachNumber(JsonNode node, int index, DoubleConsumer sink) {
        if (node.isArray()) {
            for (JsonNode element : node) {
                forEachNumber(element, index, sink);
            }
        } else if (index == segments.size()) {
            if (node.isNumber()) {
                sink.accept(node.doubleValue());
            }
        } else {
            forEachNumber(node.path(segments.get(index)), index + 1, sink);
        }
    }

    @Override
    public String toString() {
        return String.join(".", segments);
    }
}
