package org.datacoop.query.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongUnaryOperator;
import org.datacoop.query.ColumnType;
import org.datacoop.query.QueryException;
import org.datacoop.query.TableSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueryPlannerTest {
    static final TableSchema DAILY_STEPS = TableSchema.of("daily_steps", List.of(
            new TableSchema.Column("day", ColumnType.DATE),
            new TableSchema.Column("steps", ColumnType.BIGINT),
            new TableSchema.Column("distance_km", ColumnType.DOUBLE)));
    static final TableSchema SLEEP = TableSchema.of("sleep", List.of(new TableSchema.Column("hours", ColumnType.DOUBLE)));
    static final CatalogTable STEPS_TABLE = new CatalogTable(1, 1, DAILY_STEPS);
    static final CatalogTable SLEEP_TABLE = new CatalogTable(2, 2, SLEEP);
    static final QueryPlanner.Catalog CATALOG = (dlpId, name) -> Optional.ofNullable(
            Map.of("1/daily_steps", STEPS_TABLE, "2/sleep", SLEEP_TABLE).get(dlpId + "/" + name));
    static final LongUnaryOperator NO_MINIMUM = dlp -> 0;

    private final QueryPlanner planner = new QueryPlanner(CATALOG);

    private QueryPlan plan(String sql) {
        return planner.plan(sql, 1, NO_MINIMUM);
    }

    /** The columns the plan uses of table {@code index}. */
    private static java.util.Set<String> columns(QueryPlan plan, int index) {
        return plan.tables().get(index).columns();
    }

    private void assertRefused(String sql, QueryException.Code code, String... named) {
        assertRefused(sql, NO_MINIMUM, code, named);
    }

    private void assertRefused(String sql, LongUnaryOperator minGroupSize, QueryException.Code code, String... named) {
        assertThatThrownBy(() -> planner.plan(sql, 1, minGroupSize))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContainingAll(named);
    }

    @Test
    void findsTheColumnsOfEveryClause() {
        assertThat(columns(plan("SELECT day FROM daily_steps"), 0)).containsExactlyInAnyOrder("day");
        assertThat(columns(plan("SELECT day FROM daily_steps WHERE steps > 5"), 0)).containsExactlyInAnyOrder("day", "steps");
        assertThat(columns(plan("SELECT count(*) FROM daily_steps GROUP BY day"), 0)).containsExactlyInAnyOrder("day");
        assertThat(columns(plan("SELECT count(*) FROM daily_steps GROUP BY day HAVING avg(distance_km) > 1"), 0))
                .containsExactlyInAnyOrder("day", "distance_km");
        assertThat(columns(plan("SELECT day FROM daily_steps ORDER BY steps DESC"), 0)).containsExactlyInAnyOrder("day", "steps");
        assertThat(columns(plan("SELECT upper(CAST(day AS VARCHAR)), CASE WHEN steps > 1 THEN 'a' END FROM daily_steps"), 0))
                .containsExactlyInAnyOrder("day", "steps");
        assertThat(columns(plan("SELECT \"Steps\" FROM daily_steps"), 0)).containsExactly("steps");
        assertThat(columns(plan("SELECT sum(ALL distance_km) FROM daily_steps"), 0)).containsExactly("distance_km");
        assertThat(columns(plan("SELECT string_agg(CAST(steps AS VARCHAR), ',' ORDER BY day) FROM daily_steps"), 0))
                .containsExactlyInAnyOrder("steps", "day");
        assertThat(columns(plan("SELECT count(*) FROM daily_steps GROUP BY GROUPING SETS ((day), (distance_km))"), 0))
                .containsExactlyInAnyOrder("day", "distance_km");
    }

    @Test
    void aColumnNamedLikeADateUnitIsAColumn() {
        // JSqlParser parses a bare day (month, year, ...) as a date unit, not a column
        assertThat(columns(plan("SELECT day FROM daily_steps"), 0)).containsExactly("day");
        assertThat(columns(plan("SELECT count(*) FROM daily_steps WHERE day > DATE '2026-01-01'"), 0)).containsExactly("day");
        assertThat(columns(plan("SELECT year(day), count(*) FROM daily_steps GROUP BY year(day)"), 0)).containsExactly("day");
        assertRefused("SELECT month FROM daily_steps", QueryException.Code.UNKNOWN_NAME, "month");
    }

    @Test
    void findsTheColumnsOfJoins() {
        QueryPlan plan = plan("SELECT a.day, s.hours FROM daily_steps a JOIN dlp2.sleep s ON a.owner = s.owner AND a.steps > 0");

        assertThat(plan.tables()).extracting(QueryPlan.TableUse::reference).containsExactly("a", "s");
        assertThat(plan.tables()).extracting(QueryPlan.TableUse::table).containsExactly(STEPS_TABLE, SLEEP_TABLE);
        assertThat(columns(plan, 0)).containsExactlyInAnyOrder("day", "owner", "steps");
        assertThat(columns(plan, 1)).containsExactlyInAnyOrder("hours", "owner");
        assertThat(plan.executableSql()).contains("dlp1.daily_steps a", "dlp2.sleep s");
    }

    @Test
    void resolvesUnqualifiedColumnsAcrossJoinedTables() {
        QueryPlan plan = plan("SELECT hours, steps FROM daily_steps JOIN dlp2.sleep USING (owner)");

        assertThat(columns(plan, 0)).containsExactlyInAnyOrder("steps", "owner");
        assertThat(columns(plan, 1)).containsExactlyInAnyOrder("hours", "owner");
        assertThat(plan("SELECT hours FROM daily_steps, dlp2.sleep").tables()).hasSize(2);
        assertThat(columns(plan("SELECT dlp2.sleep.hours FROM daily_steps, dlp2.sleep"), 1)).containsExactly("hours");
    }

    @Test
    void countStarUsesNoColumn() {
        QueryPlan plan = plan("SELECT count(*) FROM daily_steps");

        assertThat(columns(plan, 0)).isEmpty();
        assertThat(plan.aggregate()).isTrue();
        assertThat(columns(plan("SELECT count(steps) FROM daily_steps"), 0)).containsExactly("steps");
        assertThat(columns(plan("SELECT count(DISTINCT owner) FROM daily_steps"), 0)).containsExactly("owner");
    }

    @Test
    void starUsesEveryColumn() {
        assertThat(columns(plan("SELECT * FROM daily_steps"), 0))
                .containsExactlyInAnyOrder("file_id", "owner", "day", "steps", "distance_km");
        assertThat(columns(plan("SELECT * EXCLUDE (steps) FROM daily_steps"), 0))
                .containsExactlyInAnyOrder("file_id", "owner", "day", "steps", "distance_km");

        QueryPlan plan = plan("SELECT s.* FROM daily_steps a JOIN dlp2.sleep s ON a.owner = s.owner");
        assertThat(columns(plan, 0)).containsExactly("owner");
        assertThat(columns(plan, 1)).containsExactlyInAnyOrder("file_id", "owner", "hours");
        assertThat(columns(plan("SELECT count(*) FROM daily_steps a, dlp2.sleep s WHERE concat(*) IS NOT NULL"), 1))
                .containsExactlyInAnyOrder("file_id", "owner", "hours");
    }

    @Test
    void starReplaceExpressionsAreChecked() {
        assertRefused("SELECT * REPLACE (getenv('HOME') AS steps) FROM daily_steps", QueryException.Code.UNSUPPORTED, "getenv");
        assertRefused("SELECT a.* REPLACE (nope AS steps) FROM daily_steps a", QueryException.Code.UNKNOWN_NAME, "nope");
        QueryPlan plan = plan("SELECT s.* REPLACE (a.steps AS hours) FROM daily_steps a JOIN dlp2.sleep s USING (owner)");
        assertThat(columns(plan, 0)).containsExactlyInAnyOrder("owner", "steps");
    }

    @Test
    void unknownTablesAndColumnsAreNamed() {
        assertRefused("SELECT steps FROM nope", QueryException.Code.UNKNOWN_NAME, "nope", "DataDAO 1");
        assertRefused("SELECT hours FROM sleep", QueryException.Code.UNKNOWN_NAME, "sleep", "DataDAO 1");
        assertRefused("SELECT steps FROM dlp3.daily_steps", QueryException.Code.UNKNOWN_NAME, "daily_steps", "DataDAO 3");
        assertRefused("SELECT steps FROM main.daily_steps", QueryException.Code.UNKNOWN_NAME, "main.daily_steps");
        assertRefused("SELECT steps FROM memory.dlp1.daily_steps", QueryException.Code.UNKNOWN_NAME, "memory.dlp1.daily_steps");
        assertRefused("SELECT * FROM information_schema.tables", QueryException.Code.UNKNOWN_NAME, "information_schema.tables");
        assertRefused("SELECT nope FROM daily_steps", QueryException.Code.UNKNOWN_NAME, "nope", "daily_steps");
        assertRefused("SELECT a.nope FROM daily_steps a", QueryException.Code.UNKNOWN_NAME, "nope", "daily_steps");
        assertRefused("SELECT x.steps FROM daily_steps a", QueryException.Code.UNKNOWN_NAME, "x");
        assertRefused("SELECT daily_steps.steps FROM daily_steps a", QueryException.Code.UNKNOWN_NAME, "daily_steps");
        assertRefused("SELECT steps FROM daily_steps WHERE nope = 1", QueryException.Code.UNKNOWN_NAME, "nope");
    }

    @Test
    void aTableUsedAsAColumnIsRefused() {
        // DuckDB would return the whole row as a struct, every column without a permission for it
        assertRefused("SELECT daily_steps FROM daily_steps", QueryException.Code.UNKNOWN_NAME, "daily_steps");
        assertRefused("SELECT a FROM daily_steps a", QueryException.Code.UNKNOWN_NAME, "a");
        assertRefused("SELECT steps AS daily_steps, daily_steps FROM daily_steps", QueryException.Code.UNKNOWN_NAME, "daily_steps");
        assertRefused("SELECT steps AS a, to_json(a) FROM daily_steps a", QueryException.Code.UNKNOWN_NAME, "a");
        assertRefused("SELECT 1 AS sleep FROM daily_steps JOIN dlp2.sleep USING (owner) WHERE sleep IS NOT NULL",
                QueryException.Code.UNKNOWN_NAME, "sleep");
    }

    @Test
    void aSelectAliasMayBeReferredTo() {
        QueryPlan plan = plan("SELECT steps AS s, s * 2 AS twice FROM daily_steps ORDER BY s");
        assertThat(columns(plan, 0)).containsExactly("steps");

        QueryPlan grouped = plan("SELECT year(day) AS y, sum(steps) AS total FROM daily_steps GROUP BY y HAVING total > 10 ORDER BY total");
        assertThat(columns(grouped, 0)).containsExactlyInAnyOrder("day", "steps");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT left(owner, 4), right(owner, 4), replace(owner, 'a', 'b'), substring(owner, 1, 3) FROM daily_steps",
        "SELECT coalesce(steps, 0), ifnull(steps, 0), nullif(steps, 0), greatest(steps, 1), least(steps, 1) FROM daily_steps",
        "SELECT if(steps > 1, 'a', 'b'), trim(owner), lower(owner), upper(owner), concat_ws('-', owner, steps) FROM daily_steps",
        "SELECT date_trunc('month', day), strftime(day, '%Y'), extract(year FROM day), date_part('year', day) FROM daily_steps",
        "SELECT round(distance_km, 2), abs(steps), ln(steps), CAST(steps AS DOUBLE), TRY_CAST(owner AS BIGINT) FROM daily_steps",
        "SELECT steps::VARCHAR, position('a' IN owner), owner LIKE '0x%', steps BETWEEN 1 AND 2 FROM daily_steps",
        "SELECT year(day), count(*), sum(steps), avg(distance_km), median(steps), quantile_cont(steps, 0.5) FROM daily_steps"
                + " GROUP BY year(day)",
    })
    void plansCommonFunctions(String sql) {
        QueryPlan plan = plan(sql);
        assertThat(plan.tables()).hasSize(1);
        assertThat(columns(plan, 0)).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT steps FROM daily_steps UNION SELECT steps FROM daily_steps",
        "SELECT steps FROM daily_steps EXCEPT SELECT 1 FROM daily_steps",
        "(SELECT steps FROM daily_steps)",
        "VALUES (1)",
        "WITH t AS (SELECT steps FROM daily_steps) SELECT steps FROM t",
        "SELECT steps FROM daily_steps WHERE steps IN (SELECT steps FROM daily_steps)",
        "SELECT steps FROM daily_steps WHERE EXISTS (SELECT 1 FROM dlp2.sleep)",
        "SELECT (SELECT max(hours) FROM dlp2.sleep) FROM daily_steps",
        "SELECT x FROM (SELECT steps AS x FROM daily_steps) t",
        "SELECT steps FROM daily_steps LIMIT (SELECT count(*) FROM dlp2.sleep)",
        "SELECT steps FROM daily_steps LIMIT 1 OFFSET (SELECT count(*) FROM dlp2.sleep)",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM daily_steps JOIN read_parquet('x.parquet') p ON true",
        "SELECT * FROM duckdb_tables()",
        "SELECT read_text('/etc/passwd') FROM daily_steps",
        "SELECT \"read_text\"('/etc/passwd') FROM daily_steps",
        "SELECT getenv('HOME') FROM daily_steps",
        "SELECT \"GETENV\"('HOME') FROM daily_steps",
        "SELECT current_setting('threads') FROM daily_steps",
        "SELECT steps FROM daily_steps WHERE query('SELECT 1') IS NOT NULL",
        "SELECT main.lower(owner) FROM daily_steps",
        "SELECT owner.lower() FROM daily_steps",
        "SELECT sum(steps) OVER () FROM daily_steps",
        "SELECT row_number() OVER (ORDER BY day) FROM daily_steps",
        "SELECT steps FROM daily_steps QUALIFY steps > 1",
        "SELECT DISTINCT steps FROM daily_steps",
        "SELECT steps FROM daily_steps NATURAL JOIN dlp2.sleep",
        "SELECT steps FROM daily_steps, daily_steps",
        "SELECT 1",
        "INSERT INTO daily_steps VALUES (1, 'x', DATE '2026-10-01', 1, 1.0)",
        "DELETE FROM daily_steps",
        "UPDATE daily_steps SET steps = 0",
        "DROP TABLE daily_steps",
        "CREATE TABLE x (a INTEGER)",
        "COPY daily_steps TO '/tmp/out.csv'",
        "ATTACH '/tmp/x.db' AS x",
        "PRAGMA version",
        "SET threads = 1",
        "LOAD httpfs",
        "INSTALL httpfs",
        "SELECT steps FROM daily_steps; DROP TABLE daily_steps",
        "SELECT steps FROM daily_steps; SELECT 1 FROM daily_steps",
    })
    void refusesWhatTheEngineDoesNotRun(String sql) {
        assertRefused(sql, QueryException.Code.UNSUPPORTED, "not supported");
    }

    @Test
    void namesWhatItRefuses() {
        assertRefused("SELECT 1 FROM daily_steps UNION SELECT 2 FROM daily_steps", QueryException.Code.UNSUPPORTED, "UNION");
        assertRefused("WITH t AS (SELECT 1) SELECT 1 FROM daily_steps", QueryException.Code.UNSUPPORTED, "WITH");
        assertRefused("SELECT DISTINCT steps FROM daily_steps", QueryException.Code.UNSUPPORTED, "DISTINCT");
        assertRefused("SELECT steps FROM daily_steps NATURAL JOIN dlp2.sleep", QueryException.Code.UNSUPPORTED, "NATURAL JOIN");
        assertRefused("SELECT sum(steps) OVER () FROM daily_steps", QueryException.Code.UNSUPPORTED, "window");
        assertRefused("SELECT getenv('HOME') FROM daily_steps", QueryException.Code.UNSUPPORTED, "getenv");
        assertRefused("SELECT * FROM read_csv('x')", QueryException.Code.UNSUPPORTED, "read_csv");
        assertRefused("DELETE FROM daily_steps", QueryException.Code.UNSUPPORTED, "anything but SELECT");
        assertRefused("COPY daily_steps TO 'x'", QueryException.Code.UNSUPPORTED, "anything but SELECT", "COPY");
        assertRefused("SELECT steps FROM daily_steps WHERE steps IN (SELECT 1)", QueryException.Code.UNSUPPORTED, "subqueries");
    }

    @Test
    void sqlThatDoesNotParseIsAParseError() {
        assertRefused("SELECT FROM WHERE", QueryException.Code.PARSE, "does not parse");
        assertRefused("SELECT steps FROM daily_steps WHERE", QueryException.Code.PARSE, "does not parse");
    }

    @Test
    void joinsTablesOfTwoDataDaos() {
        QueryPlan plan = plan("SELECT a.day, avg(s.hours) FROM daily_steps a JOIN dlp2.sleep s ON a.owner = s.owner GROUP BY a.day");

        assertThat(plan.tables()).extracting(u -> u.table().dlpId()).containsExactly(1L, 2L);
        assertThat(plan.tables()).extracting(u -> u.table().refinerId()).containsExactly(1L, 2L);
        assertThat(plan.aggregate()).isTrue();

        QueryPlan fromTwo = planner.plan("SELECT hours FROM sleep", 2, NO_MINIMUM);
        assertThat(fromTwo.tables()).extracting(QueryPlan.TableUse::table).containsExactly(SLEEP_TABLE);
        assertThat(fromTwo.executableSql()).contains("FROM dlp2.sleep");
    }

    @Test
    void appendsFileIdsToARowQuery() {
        QueryPlan plan = plan("SELECT a.steps, s.hours FROM daily_steps a JOIN dlp2.sleep s ON a.owner = s.owner");

        assertThat(plan.aggregate()).isFalse();
        assertThat(plan.lineage()).containsExactly(
                new QueryPlan.Lineage(QueryPlan.Lineage.Kind.FILE_ID, 0, 0), new QueryPlan.Lineage(QueryPlan.Lineage.Kind.FILE_ID, 1, 0));
        assertThat(plan.executableSql()).isEqualTo("SELECT a.steps, s.hours, \"a\".file_id, \"s\".file_id"
                + " FROM dlp1.daily_steps a JOIN dlp2.sleep s ON a.owner = s.owner");
        assertThat(plan("SELECT steps FROM daily_steps").executableSql())
                .isEqualTo("SELECT steps, dlp1.daily_steps.file_id FROM dlp1.daily_steps");
        assertThat(plan.sql()).isEqualTo("SELECT a.steps, s.hours FROM daily_steps a JOIN dlp2.sleep s ON a.owner = s.owner");
    }

    @Test
    void countsAnAggregatesRowsPerFileWithASeparateQuery() {
        QueryPlan plan = plan("SELECT day, sum(steps) FROM daily_steps WHERE steps > 10 GROUP BY day");

        assertThat(plan.aggregate()).isTrue();
        assertThat(plan.lineage()).isEmpty();
        assertThat(plan.executableSql()).isEqualToIgnoringCase(
                "SELECT day, sum(steps) FROM dlp1.daily_steps WHERE steps > 10 GROUP BY day");
        assertThat(plan.readsQueries()).containsExactly(new QueryPlan.ReadsQuery(0,
                "SELECT dlp1.daily_steps.file_id, count(*) FROM dlp1.daily_steps WHERE steps > 10"
                        + " GROUP BY dlp1.daily_steps.file_id", false));
        assertThat(plan("SELECT day, sum(steps) FROM daily_steps GROUP BY day").readsQueries()).as("no filter: every row")
                .containsExactly(new QueryPlan.ReadsQuery(0,
                        "SELECT file_id, count(*) FROM dlp1.daily_steps GROUP BY file_id", true));
        assertThat(plan("SELECT steps FROM daily_steps GROUP BY steps").aggregate()).isTrue();
    }

    @Test
    void appendsOwnerCountsWhereADataDaoSetsAMinimumGroupSize() {
        LongUnaryOperator twoForDlp1 = dlp -> dlp == 1 ? 2 : 0;

        QueryPlan plan = planner.plan("SELECT a.day, avg(s.hours) FROM daily_steps a JOIN dlp2.sleep s ON a.owner = s.owner"
                + " GROUP BY a.day", 1, twoForDlp1);

        assertThat(plan.lineage()).containsExactly(new QueryPlan.Lineage(QueryPlan.Lineage.Kind.OWNERS, 0, 2),
                new QueryPlan.Lineage(QueryPlan.Lineage.Kind.LEFT_OUT_OWNERS, 0, 2));
        assertThat(plan.minGroupSize()).isEqualTo(2);
        assertThat(plan.readsQueries()).extracting(QueryPlan.ReadsQuery::tableIndex).containsExactly(0, 1);
        assertThat(plan.readsQueries().get(1).sql()).contains("JOIN dlp2.sleep s ON", "GROUP BY \"s\".file_id").doesNotContain("a.day");
        // a minimum of 2 needs only the smallest and largest owner hash; a larger one counts them all
        assertThat(plan.executableSql()).contains("WHEN min(\"a\".owner) = max(\"a\".owner) THEN 1 ELSE 2 END",
                "THEN [min(\"a\".owner)] END").doesNotContain("DISTINCT");
        QueryPlan three = planner.plan("SELECT a.day, avg(s.hours) FROM daily_steps a JOIN dlp2.sleep s ON a.owner = s.owner"
                + " GROUP BY a.day", 1, dlp -> dlp == 1 ? 3 : 0);
        String hash = "CASE WHEN \"a\".owner IS NOT NULL THEN hash(\"a\".owner) END";
        assertThat(three.executableSql()).contains("count(DISTINCT " + hash + ")",
                "CASE WHEN count(DISTINCT " + hash + ") < 3 THEN list(DISTINCT " + hash + ") END");
    }

    @Test
    void aPlanIsReusedForTheSameTextOnlyWhileTheMinimumGroupSizeIsUnchanged() {
        String sql = "SELECT day, count(*) FROM daily_steps GROUP BY day";
        QueryPlan first = planner.plan(sql, 1, dlp -> 0);

        assertThat(planner.plan(sql, 1, dlp -> 0)).isSameAs(first);
        QueryPlan guarded = planner.plan(sql, 1, dlp -> 2);
        assertThat(guarded.minGroupSize()).isEqualTo(2);
        assertThat(guarded.lineage()).isNotEmpty();
        assertThat(planner.plan(sql, 1, dlp -> 0).lineage()).isEmpty();
        assertThatThrownBy(() -> planner.plan(sql, 2, dlp -> 0)).as("another default DataDAO")
                .hasMessageContaining("there is no table daily_steps in DataDAO 2");
    }

    @Test
    void aMinimumGroupSizeAllowsOnlyAggregates() {
        LongUnaryOperator two = dlp -> dlp == 1 ? 2 : 1;

        assertRefused("SELECT steps FROM daily_steps", two, QueryException.Code.GROUP_TOO_SMALL, "DataDAO 1", "2 contributors");
        assertRefused("SELECT steps FROM daily_steps LIMIT 1", two, QueryException.Code.GROUP_TOO_SMALL, "DataDAO 1");
        assertRefused("SELECT hours FROM dlp2.sleep JOIN daily_steps USING (owner)", two, QueryException.Code.GROUP_TOO_SMALL,
                "DataDAO 1");
        assertThat(planner.plan("SELECT avg(steps) FROM daily_steps", 1, two).aggregate()).isTrue();
        assertThat(planner.plan("SELECT day, count(*) FROM daily_steps GROUP BY day", 1, two).aggregate()).isTrue();
        // DataDAO 2 sets no minimum (1 is none)
        assertThat(planner.plan("SELECT hours FROM sleep", 2, two).lineage())
                .containsExactly(new QueryPlan.Lineage(QueryPlan.Lineage.Kind.FILE_ID, 0, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT list(steps) FROM daily_steps",
        "SELECT day, list(steps) FROM daily_steps GROUP BY day",
        "SELECT day, \"list\"(steps) FROM daily_steps GROUP BY day",
        "SELECT array_agg(steps) FROM daily_steps",
        "SELECT string_agg(CAST(steps AS VARCHAR), ',') FROM daily_steps",
        "SELECT day, arbitrary(steps) FROM daily_steps GROUP BY day",
        "SELECT approx_top_k(steps, 100) FROM daily_steps",
        "SELECT histogram(steps) FROM daily_steps",
        "SELECT max(steps) FROM daily_steps",
        "SELECT quantile_disc(steps, [0, 0.5, 1]) FROM daily_steps",
        "SELECT sum(CASE WHEN owner = '0x1' THEN steps ELSE 0 END) FROM daily_steps",
        "SELECT sum(steps * CASE WHEN file_id = 3 THEN 1 ELSE 0 END) FROM daily_steps",
        "SELECT sum(file_id) FROM daily_steps",
        "SELECT day FROM daily_steps GROUP BY day HAVING sum(CASE WHEN owner = '0x1' THEN 1 ELSE 0 END) > 0",
    })
    void aMinimumGroupSizeRunsOnlySummariesOfPlainColumns(String sql) {
        assertRefused(sql, dlp -> 2, QueryException.Code.GROUP_TOO_SMALL, "only", "of plain columns");
        assertThat(plan(sql).aggregate()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT count(*), sum(steps), avg(distance_km), stddev(steps) FROM daily_steps",
        "SELECT day, count(DISTINCT owner), round(avg(steps)) FROM daily_steps WHERE steps > 100 GROUP BY day",
        "SELECT day, var_pop(steps) FROM daily_steps GROUP BY day HAVING count(*) > 3",
    })
    void aMinimumGroupSizeStillRunsSummariesOfPlainColumns(String sql) {
        assertThat(planner.plan(sql, 1, dlp -> 2).lineage()).extracting(QueryPlan.Lineage::kind)
                .containsExactly(QueryPlan.Lineage.Kind.OWNERS, QueryPlan.Lineage.Kind.LEFT_OUT_OWNERS);
    }

    @Test
    void aSelectAliasIsNotReadInWhereOrOn() {
        assertRefused("SELECT steps * 2 AS twice FROM daily_steps WHERE twice > 0", QueryException.Code.UNSUPPORTED,
                "select alias twice");
        assertThat(plan("SELECT steps * 2 AS twice FROM daily_steps ORDER BY twice").aggregate()).isFalse();
    }

    @Test
    void underAMinimumGroupSizeRowsReadCountWholeFilesNotWhatTheFilterMatched() {
        QueryPlan plan = planner.plan("SELECT count(*) FROM daily_steps WHERE steps = 7000", 1, dlp -> 2);
        assertThat(plan.readsQueries()).containsExactly(
                new QueryPlan.ReadsQuery(0, "SELECT file_id, count(*) FROM dlp1.daily_steps GROUP BY file_id", true));
    }
}
