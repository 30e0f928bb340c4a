package org.datacoop.query.engine;

import java.util.List;
import java.util.Set;

/**
 * A checked query, ready to run: the SQL to execute (the caller's, with its tables qualified and
 * lineage columns appended), the tables it reads and the columns it uses of each.
 *
 * @param lineage the appended columns, in order, after the caller's own
 */
public record QueryPlan(String sql, String executableSql, List<TableUse> tables, boolean aggregate, List<Lineage> lineage) {
    /** One table the query reads, under the name or alias it is referred to by. */
    public record TableUse(String reference, CatalogTable table, Set<String> columns) {}

    /** An appended column: for table {@code tableIndex}, its file ids, per-file row counts, or distinct owners. */
    public record Lineage(Kind kind, int tableIndex) {
        public enum Kind {
            FILE_ID,
            ROWS_PER_FILE,
            OWNERS
        }
    }
}
