package org.datacoop.query.engine;

import java.util.List;
import java.util.Set;

/**
 * A checked query, ready to run: the SQL to execute (the caller's, with its tables qualified and
 * lineage columns appended), the tables it reads and the columns it uses of each.
 *
 * @param lineage the appended columns, in order, after the caller's own
 * @param readsQueries for an aggregate, per table, a query counting the rows of each file that pass
 *     the caller's joins and filters: what the aggregate read (a per-group histogram costs ~50x more)
 */
public record QueryPlan(String sql, String executableSql, List<TableUse> tables, boolean aggregate, List<Lineage> lineage,
        List<ReadsQuery> readsQueries) {
    /** {@code SELECT file_id, count(*)} over the query's FROM and WHERE for table {@code tableIndex}. */
    public record ReadsQuery(int tableIndex, String sql) {}

    /** One table the query reads, under the name or alias it is referred to by. */
    public record TableUse(String reference, CatalogTable table, Set<String> columns) {}

    /** An appended column: for table {@code tableIndex}, each row's file id, or each group's distinct owners. */
    public record Lineage(Kind kind, int tableIndex) {
        public enum Kind {
            FILE_ID,
            OWNERS
        }
    }
}
