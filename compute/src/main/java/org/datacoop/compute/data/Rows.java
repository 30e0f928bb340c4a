package org.datacoop.compute.data;

import java.util.List;
import java.util.Map;

/**
 * Columns of a selection read in its total order (see {@link Selection}): row {@code i} of every
 * column is the same row.
 *
 * @param count how many rows
 * @param numbers the numeric columns asked for, every value finite
 * @param texts the text columns asked for, rendered as DuckDB casts them to VARCHAR, never NULL
 */
public record Rows(int count, Map<String, double[]> numbers, Map<String, List<String>> texts) {
    public Rows {
        numbers = Map.copyOf(numbers);
        texts = Map.copyOf(texts);
    }

    public double[] number(String column) {
        double[] values = numbers.get(column);
        if (values == null) {
            throw new IllegalArgumentException("column " + column + " was not read as a number");
        }
        return values;
    }

    public List<String> text(String column) {
        List<String> values = texts.get(column);
        if (values == null) {
            throw new IllegalArgumentException("column " + column + " was not read as text");
        }
        return values;
    }
}
