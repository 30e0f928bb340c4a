package org.datacoop.query;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The column types refined tables may use, by their DuckDB names. */
public enum ColumnType {
    BIGINT,
    DOUBLE,
    VARCHAR,
    BOOLEAN,
    DATE,
    TIMESTAMP;

    /** The type named {@code name} (any case); fails listing the known types. */
    public static ColumnType named(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new QueryException(QueryException.Code.BAD_REFINER, "unknown column type '" + name + "'; use one of "
                    + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
    }
}
