package org.datacoop.query;

import java.sql.SQLException;
import java.util.Optional;

/** Quoting for the SQL this module writes itself (never for a caller's SQL), and DuckDB's errors in one line. */
public final class Sql {
    private Sql() {}

    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** The first line of DuckDB's message: the rest repeats the query or a stack. */
    public static String firstLine(SQLException e) {
        String message = Optional.ofNullable(e.getMessage()).orElse(e.toString());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
