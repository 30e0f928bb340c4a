package org.datacoop.query.engine;

import java.util.List;
import java.util.Set;

/**
 * A checked query, ready to run: the tables it reads and the columns it uses of each, and the SQL
 * to execute.
 *
 * @param checkedSql the caller's SQL with its tables qualified: what the permission check covers,
 *     and what {@link RefinedStore} audits again with DuckDB's own parser before running
 * @param executableSql {@code checkedSql} with the lineage columns appended
 * @param lineage the appended columns, in order, after the caller's own
 * @param readsQueries for an aggregate, per table, a query counting the rows read of each file
 *     (a per-group histogram costs ~50x more); empty for a plain select
 */
public record QueryPlan(String sql, String checkedSql, String executableSql, List<TableUse> tables, List<Lineage> lineage,
        List<ReadsQuery> readsQueries) {
    /** Whether the query aggregates (and so releases groups, not rows). */
    public boolean aggregate() {
        return !readsQueries.isEmpty();
    }

    /** The largest minimum group size of the DataDAOs the query reads (0: none). */
    public long minGroupSize() {
        return lineage.stream().filter(l -> l.kind() == Lineage.Kind.OWNERS).mapToLong(Lineage::minimum).max().orElse(0);
    }

    /**
     * {@code SELECT file_id, count(*)} for table {@code tableIndex}: over the query's joins and
     * filters, or over the whole table ({@code wholeTable}) when its DataDAO sets a minimum group
     * size (rows read per file of a filter would tell which files matched it) or the query reads
     * that one table with no filter, so that the store may answer it from what it loaded.
     */
    public record ReadsQuery(int tableIndex, String sql, boolean wholeTable) {}

    /** One table the query reads, under the name or alias it is referred to by. */
    public record TableUse(String reference, CatalogTable table, Set<String> columns) {}

    /**
     * An appended column: for table {@code tableIndex}, each row's file id, or each group's distinct
     * owners, which must be at least {@code minimum} (fixed when planned) for the group to be released,
     * or, for a group left out, the hashes of those owners (so that the groups left out can be
     * counted only when they cover at least {@code minimum} contributors together).
     */
    public record Lineage(Kind kind, int tableIndex, long minimum) {
        public enum Kind {
            FILE_ID,
            OWNERS,
            LEFT_OUT_OWNERS
        }
    }
}
