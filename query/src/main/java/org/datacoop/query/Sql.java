package org.datacoop.query;

import java.sql.SQLException;
import java.util.List;
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

    /**
     * The first line of DuckDB's message: the rest repeats the query or a stack. When DuckDB's JDBC
     * driver wraps a failed query ("Attempting to execute an unsuccessful or closed pending query
     * result"), the line of the error underneath, which says what went wrong.
     */
    public static String firstLine(SQLException e) {
        String message = Optional.ofNullable(e.getMessage()).orElse(e.toString());
        List<String> lines = message.lines().toList();
        if (lines.isEmpty()) {
            return message;
        }
        if (lines.get(0).contains("unsuccessful or closed pending query result")) {
            for (String line : lines.subList(1, lines.size())) {
                if (line.startsWith("Error: ") && line.length() > "Error: ".length()) {
                    return line.substring("Error: ".length());
                }
            }
        }
        return lines.get(0);
    }
}
