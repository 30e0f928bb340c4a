package org.datacoop.query.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.query.RowsRead;
import org.datacoop.query.ColumnType;
import org.datacoop.query.QueryException;
import org.datacoop.query.TableSchema;
import org.datacoop.query.refine.DeclarativeRefiner;
import org.datacoop.query.refine.RefinedWriter;
import org.datacoop.query.refine.RefinerDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefinedStoreTest {
    static final Address ALICE = Address.of("0xa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1");
    static final Address BOB = Address.of("0xb0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0");
    static final LongUnaryOperator NO_MINIMUM = dlp -> 0;
    static final LongUnaryOperator TWO = dlp -> 2;
    static final TableSchema SLEEP = TableSchema.of("sleep", List.of(new TableSchema.Column("hours", ColumnType.DOUBLE)));

    @TempDir
    Path root;
    RefinerDefinition sample;
    RefinedStore store;
    QueryPlanner planner;

    @BeforeEach
    void setUp() throws IOException {
        sample = RefinerDefinition.parse(Files.readAllBytes(Path.of(System.getProperty("user.dir"))
                .resolve("../chain/src/main/resources/org/datacoop/chain/sample-refiner.json")));
        store = new RefinedStore(root.resolve("load"));
        planner = new QueryPlanner(store);
        store.addRefiner(1, 1, sample.schema());
        store.addRefiner(2, 2, List.of(SLEEP));
        // Alice (file 10) walked on three days, Bob (file 11) on two of them
        store.load(1, 10, ALICE, fitness(10, ALICE, "{\"date\": \"2026-10-01\", \"steps\": 7000, \"distance_m\": 4900},"
                + "{\"date\": \"2026-10-02\", \"steps\": 8000, \"distance_m\": 5600},"
                + "{\"date\": \"2026-10-03\", \"steps\": 9000, \"distance_m\": 6300}"));
        store.load(1, 11, BOB, fitness(11, BOB, "{\"date\": \"2026-10-01\", \"steps\": 6000, \"distance_m\": 4200},"
                + "{\"date\": \"2026-10-02\", \"steps\": 10000, \"distance_m\": 7000}"));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    /** Refines a fitness export of {@code days} with the sample refiner into the load directory, as the node does. */
    private Path fitness(long fileId, Address owner, String days) throws IOException {
        Path work = Files.createDirectories(root.resolve("work-" + fileId));
        Path input = Files.writeString(work.resolve("export.json"), "{\"days\": [" + days + "]}");
        Path raw = Files.createDirectories(work.resolve("raw"));
        DeclarativeRefiner.refine(sample, List.of(input), raw);
        Path out = Files.createDirectories(store.loadDir().resolve("1-" + fileId));
        RefinedWriter.write(sample.schema(), raw, fileId, owner, out, 1000);
        return out;
    }

    private Path sleep(long fileId, Address owner, String csv) throws IOException {
        Path raw = Files.createDirectories(root.resolve("sleep-raw-" + fileId));
        Files.writeString(raw.resolve("sleep.csv"), csv);
        Path out = Files.createDirectories(store.loadDir().resolve("2-" + fileId));
        RefinedWriter.write(List.of(SLEEP), raw, fileId, owner, out, 1000);
        return out;
    }

    private QueryResult run(String sql, LongUnaryOperator minGroupSize, long maxRows) {
        return store.run(planner.plan(sql, 1, minGroupSize), maxRows);
    }

    private QueryResult run(String sql) {
        return run(sql, NO_MINIMUM, 1000);
    }

    private static RowsRead read(long refinerId, Map<Long, Long> rowsByFile) {
        return new RowsRead(refinerId, new TreeMap<>(rowsByFile));
    }

    @Test
    void runsARowQueryCountingTheRowsReadOfEachFile() {
        QueryResult result = run("SELECT owner, day, steps, distance_km FROM daily_steps WHERE steps >= 8000 ORDER BY steps");

        assertThat(result.columns()).containsExactly("owner", "day", "steps", "distance_km");
        assertThat(result.types()).containsExactly("VARCHAR", "DATE", "BIGINT", "DOUBLE");
        assertThat(result.rows()).containsExactly(
                List.of(ALICE.value(), "2026-10-02", 8000L, 5.6),
                List.of(ALICE.value(), "2026-10-03", 9000L, 6.3),
                List.of(BOB.value(), "2026-10-02", 10000L, 7.0));
        assertThat(result.rowsRead()).containsExactly(read(1, Map.of(10L, 2L, 11L, 1L)));
        assertThat(result.suppressedGroups()).isZero();
    }

    @Test
    void countsOnlyTheRowsReturned() {
        QueryResult result = run("SELECT steps FROM daily_steps ORDER BY steps DESC LIMIT 2");

        assertThat(result.rows()).containsExactly(List.of(10000L), List.of(9000L));
        assertThat(result.rowsRead()).containsExactly(read(1, Map.of(10L, 1L, 11L, 1L)));
    }

    @Test
    void anEmptyResultReadsNothing() {
        QueryResult result = run("SELECT steps FROM daily_steps WHERE steps > 1000000");

        assertThat(result.rows()).isEmpty();
        assertThat(result.rowsRead()).isEmpty();
    }

    @Test
    void anAggregateCountsTheRowsOfEachFileItsFiltersLetThrough() {
        QueryResult result = run("SELECT day, sum(steps) AS total, count(*) AS n FROM daily_steps GROUP BY day ORDER BY day");

        assertThat(result.columns()).containsExactly("day", "total", "n");
        assertThat(result.rows()).containsExactly(
                List.of("2026-10-01", new java.math.BigInteger("13000"), 2L),
                List.of("2026-10-02", new java.math.BigInteger("18000"), 2L),
                List.of("2026-10-03", new java.math.BigInteger("9000"), 1L));
        assertThat(result.rowsRead()).containsExactly(read(1, Map.of(10L, 3L, 11L, 2L)));

        QueryResult whole = run("SELECT count(*), avg(distance_km) FROM daily_steps");
        assertThat(whole.rows()).containsExactly(List.of(5L, 5.6));
        assertThat(whole.rowsRead()).containsExactly(read(1, Map.of(10L, 3L, 11L, 2L)));

        QueryResult filtered = run("SELECT count(*) FROM daily_steps WHERE steps >= 9000 HAVING count(*) > 0 LIMIT 1");
        assertThat(filtered.rowsRead()).containsExactly(read(1, Map.of(10L, 1L, 11L, 1L)));
    }

    @Test
    void aMinimumGroupSizeSuppressesSmallGroupsWhoseRowsStillCountAsRead() {
        QueryResult result = run("SELECT day, count(*) AS n FROM daily_steps GROUP BY day ORDER BY day", TWO, 1000);

        assertThat(result.columns()).containsExactly("day", "n");
        assertThat(result.rows()).containsExactly(List.of("2026-10-01", 2L), List.of("2026-10-02", 2L));
        assertThat(result.suppressedGroups()).isEqualTo(1);
        assertThat(result.rowsRead()).containsExactly(read(1, Map.of(10L, 3L, 11L, 2L)));

        QueryResult byOwner = run("SELECT owner, sum(steps) FROM daily_steps GROUP BY owner", TWO, 1000);
        assertThat(byOwner.rows()).isEmpty();
        assertThat(byOwner.suppressedGroups()).isEqualTo(2);
        assertThat(byOwner.rowsRead()).containsExactly(read(1, Map.of(10L, 3L, 11L, 2L)));

        QueryResult everyone = run("SELECT count(*) FROM daily_steps", TWO, 1000);
        assertThat(everyone.rows()).containsExactly(List.of(5L));
        assertThat(everyone.suppressedGroups()).isZero();
    }

    /** Under a minimum of 2 the owners are compared by their smallest and largest hash: two files of one owner are one. */
    @Test
    void twoFilesOfOneContributorAreOneContributorUnderAMinimumGroupSize() throws IOException {
        store.load(1, 12, ALICE, fitness(12, ALICE, "{\"date\": \"2026-10-03\", \"steps\": 500, \"distance_m\": 300}"));

        QueryResult byDay = run("SELECT day, count(*) AS n FROM daily_steps GROUP BY day ORDER BY day", TWO, 1000);
        // day 3: Alice's files 10 and 12, no one else's
        assertThat(byDay.rows()).containsExactly(List.of("2026-10-01", 2L), List.of("2026-10-02", 2L));
        assertThat(byDay.suppressedGroups()).isEqualTo(1);
        assertThat(byDay.summary().suppressedGroups()).as("the group left out covers Alice alone").isEmpty();
        assertThat(byDay.rowsRead()).containsExactly(read(1, Map.of(10L, 3L, 11L, 2L, 12L, 1L)));
    }

    /** Rows read of a whole table come from the load's counts only while they are exactly what the query saw. */
    @Test
    void wholeTableRowsReadAreCountedWithSqlWhenAFileLoadedSinceTheCountsWereTaken() throws Exception {
        QueryResult before = run("SELECT count(*) FROM daily_steps");
        assertThat(before.rowsRead()).containsExactly(read(1, Map.of(10L, 3L, 11L, 2L)));
        CatalogTable table = store.table(1, "daily_steps").orElseThrow();
        try (java.sql.Connection connection = store.uncheckedConnection()) {
            assertThat(RefinedStore.wholeTableReads(connection, table, Map.of(10L, 3L, 11L, 2L)))
                    .hasValue(Map.of(10L, 3L, 11L, 2L));
            assertThat(RefinedStore.wholeTableReads(connection, table, Map.of(10L, 3L))).as("file 11 not in the counts")
                    .isEmpty();
        }

        store.load(1, 12, ALICE, fitness(12, ALICE, "{\"date\": \"2026-10-03\", \"steps\": 500, \"distance_m\": 300}"));
        assertThat(run("SELECT count(*) FROM daily_steps").rowsRead()).containsExactly(read(1, Map.of(10L, 3L, 11L, 2L, 12L, 1L)));
    }

    @Test
    void theGroupsLeftOutAreCountedOnlyWhenTogetherTheyCoverTheMinimum() {
        QueryResult byDay = run("SELECT day, count(*) AS n FROM daily_steps GROUP BY day", TWO, 1000);
        // day 3 is Alice's alone: "one group left out" would tell that she walked on a day Bob did not
        assertThat(byDay.suppressedGroups()).isEqualTo(1);
        assertThat(byDay.summary()).isEqualTo(new QueryResult.Summary(2, 2, OptionalLong.empty(), Optional.empty()));

        QueryResult.Summary byOwner = run("SELECT owner, sum(steps) FROM daily_steps GROUP BY owner", TWO, 1000).summary();
        assertThat(byOwner.rows()).isZero();
        assertThat(byOwner.suppressedGroups()).hasValue(2);
        assertThat(byOwner.notCharged()).hasValue("all 2 groups of the query cover fewer than 2 contributors (the"
                + " DataDAO's minimum group size) and are left out, so it returns nothing and is not charged");

        // "none left out" is withheld too: told apart from "one left out", it would answer the same question
        QueryResult.Summary everyone = run("SELECT count(*) FROM daily_steps", TWO, 1000).summary();
        assertThat(everyone).isEqualTo(new QueryResult.Summary(1, 2, OptionalLong.empty(), Optional.empty()));
    }

    @Test
    void underAMinimumNothingMatchedAndOneContributorMatchedLookTheSame() {
        String alice = "owner = '" + ALICE.value() + "'";
        for (String grouping : List.of(" GROUP BY day", "")) {
            QueryResult.Summary matched = run("SELECT count(*) FROM daily_steps WHERE " + alice + " AND steps >= 9000"
                    + grouping, TWO, 1000).summary();
            QueryResult.Summary none = run("SELECT count(*) FROM daily_steps WHERE " + alice + " AND steps >= 90000"
                    + grouping, TWO, 1000).summary();

            assertThat(matched).as(grouping).isEqualTo(none);
            assertThat(matched.suppressedGroups()).isEmpty();
            assertThat(matched.notCharged()).hasValueSatisfying(reason -> assertThat(reason)
                    .startsWith("no group of the query covers at least 2 contributors (the DataDAO's minimum group size)")
                    .contains("not charged"));
        }
    }

    @Test
    void withoutAMinimumAResultThatMatchedNothingIsNotCharged() {
        QueryResult.Summary rows = run("SELECT steps FROM daily_steps WHERE steps > 1000000").summary();
        assertThat(rows).isEqualTo(new QueryResult.Summary(0, 0, OptionalLong.of(0),
                Optional.of("the query matches no rows, so it returns nothing and is not charged")));

        // an aggregate answers one row (a count of 0) even when no row matched; it read nothing
        QueryResult count = run("SELECT count(*) FROM daily_steps WHERE steps > 1000000");
        assertThat(count.rows()).containsExactly(List.of(0L));
        assertThat(count.summary().notCharged()).isEqualTo(rows.notCharged());

        assertThat(run("SELECT count(*) FROM daily_steps WHERE steps > 9000").summary())
                .isEqualTo(new QueryResult.Summary(1, 0, OptionalLong.of(0), Optional.empty()));
    }

    @Test
    void aResultLargerThanTheMaximumIsRefused() {
        assertThatThrownBy(() -> run("SELECT steps FROM daily_steps", NO_MINIMUM, 4))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.code()).isEqualTo(QueryException.Code.TOO_LARGE))
                .hasMessageContaining("more than 4 rows");
        assertThat(run("SELECT steps FROM daily_steps", NO_MINIMUM, 5).rows()).hasSize(5);
    }

    @Test
    void joinsTablesOfTwoDataDaosCountingRowsPerRefiner() throws IOException {
        store.load(2, 20, ALICE, sleep(20, ALICE, "hours\n7.5\n"));

        QueryResult result = run("SELECT a.day, s.hours FROM daily_steps a JOIN dlp2.sleep s ON a.owner = s.owner ORDER BY a.day");

        assertThat(result.rows()).containsExactly(
                List.of("2026-10-01", 7.5), List.of("2026-10-02", 7.5), List.of("2026-10-03", 7.5));
        assertThat(result.rowsRead()).containsExactly(read(1, Map.of(10L, 3L)), read(2, Map.of(20L, 3L)));

        QueryResult outer = run("SELECT a.steps, s.hours FROM daily_steps a LEFT JOIN dlp2.sleep s ON a.owner = s.owner"
                + " WHERE a.owner = '" + BOB.value() + "' ORDER BY a.steps");
        assertThat(outer.rows()).containsExactly(Arrays.asList(6000L, null), Arrays.asList(10000L, null));
        assertThat(outer.rowsRead()).containsExactly(read(1, Map.of(11L, 2L)));
    }

    /** A group whose guarded side an outer join left empty covers nobody: it must not count as a contributor left out. */
    @Test
    void anOuterJoinsMissingSideIsNoContributorAmongTheGroupsLeftOut() throws IOException {
        store.load(2, 20, ALICE, sleep(20, ALICE, "hours\n7.5\n"));

        QueryResult byOwner = run("SELECT a.owner, count(*) FROM daily_steps a LEFT JOIN dlp2.sleep s ON a.owner = s.owner"
                + " GROUP BY a.owner", dlp -> dlp == 2 ? 2 : 0, 1000);

        assertThat(byOwner.rows()).isEmpty();
        assertThat(byOwner.suppressedGroups()).isEqualTo(2);
        // Alice's group covers one sleep contributor, Bob's none: together one, so the count is withheld
        assertThat(byOwner.summary().suppressedGroups()).isEmpty();
    }

    /**
     * A group whose guarded table has one contributor beside rows an outer join left without it has
     * one contributor, not two: released, it would give that one's values alone.
     */
    @Test
    void anOuterJoinsMissingSideNeverMakesUpTheMinimum() throws IOException {
        Address carol = Address.of("0xc0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0");
        store.load(1, 12, carol, fitness(12, carol, "{\"date\": \"2026-10-01\", \"steps\": 500, \"distance_m\": 300}"));
        store.load(2, 20, ALICE, sleep(20, ALICE, "hours\n7.5\n"));
        store.load(2, 21, BOB, sleep(21, BOB, "hours\n6.0\n"));
        String sql = "SELECT a.day, avg(s.hours) FROM daily_steps a LEFT JOIN dlp2.sleep s ON a.owner = s.owner"
                + " GROUP BY a.day ORDER BY a.day";

        // day 1: Alice, Bob and Carol walked; only Alice and Bob slept on record
        assertThat(run(sql, dlp -> dlp == 2 ? 3 : 0, 1000).rows()).isEmpty();
        // day 3: Alice alone of the sleepers (Bob did not walk then)
        assertThat(run(sql, dlp -> dlp == 2 ? 2 : 0, 1000).rows()).extracting(r -> r.get(0))
                .containsExactly("2026-10-01", "2026-10-02");
    }

    @Test
    void runsWhatThePlannerWritesBack() {
        // JSqlParser prints the query DuckDB runs: what it prints must mean the same to DuckDB
        assertThat(run("SELECT day AS d, sum(steps) FROM daily_steps GROUP BY day HAVING count(*) > 1 ORDER BY d").rows())
                .extracting(r -> r.get(0)).containsExactly("2026-10-01", "2026-10-02");
        assertThat(run("SELECT year(day) AS y, month(day), count(*) FROM daily_steps GROUP BY year(day), month(day)").rows())
                .containsExactly(List.of(2026L, 10L, 5L));
        assertThat(run("SELECT extract(year FROM day), date_trunc('month', day), strftime(day, '%d') FROM daily_steps"
                + " WHERE steps = 6000").rows()).containsExactly(List.of(2026L, "2026-10-01T00:00", "01"));
        assertThat(run("SELECT count(*) FROM daily_steps GROUP BY GROUPING SETS ((day), ()) ORDER BY 1").rows())
                .containsExactly(List.of(1L), List.of(2L), List.of(2L), List.of(5L));
        assertThat(run("SELECT steps::VARCHAR || '!', distance_km BETWEEN 4 AND 5 FROM daily_steps WHERE owner LIKE '0xb%'"
                + " AND day IN (DATE '2026-10-01') LIMIT 1 OFFSET 0").rows()).containsExactly(List.of("6000!", true));
        assertThat(run("SELECT s.* FROM dlp1.daily_steps s WHERE s.steps = 6000").rows())
                .containsExactly(List.of(11L, BOB.value(), "2026-10-01", 6000L, 4.2));
    }

    @Test
    void datesAndTimesAreIsoText() {
        QueryResult result = run("SELECT CAST(day AS TIMESTAMP) + INTERVAL 90 MINUTE AS t, day FROM daily_steps"
                + " WHERE steps = 7000");

        assertThat(result.rows()).containsExactly(List.of("2026-10-01T01:30", "2026-10-01"));
    }

    @Test
    void loadingAFileTwiceLoadsItOnce() throws IOException {
        assertThat(store.isLoaded(1, 10)).isTrue();
        assertThat(store.isLoaded(1, 12)).isFalse();

        store.load(1, 10, ALICE, store.loadDir().resolve("1-10"));

        assertThat(run("SELECT count(*) FROM daily_steps").rows()).containsExactly(List.of(5L));
    }

    @Test
    void fileIdAndOwnerComeFromTheLoadNotTheParquet() throws IOException {
        Path dir = fitness(99, BOB, "{\"date\": \"2026-11-01\", \"steps\": 1, \"distance_m\": 1}");

        store.load(1, 12, ALICE, dir);

        QueryResult result = run("SELECT file_id, owner FROM daily_steps WHERE day = DATE '2026-11-01'");
        assertThat(result.rows()).containsExactly(List.of(12L, ALICE.value()));
        assertThat(result.rowsRead()).containsExactly(read(1, Map.of(12L, 1L)));
        assertThat(store.isLoaded(1, 12)).isTrue();
    }

    @Test
    void aFailedLoadLoadsNothing() throws IOException {
        store.addRefiner(3, 3, List.of(TableSchema.of("a", List.of(new TableSchema.Column("x", ColumnType.BIGINT))),
                TableSchema.of("b", List.of(new TableSchema.Column("y", ColumnType.BIGINT)))));
        Path raw = Files.createDirectories(root.resolve("raw-3"));
        Files.writeString(raw.resolve("a.csv"), "x\n1\n");
        Path dir = Files.createDirectories(store.loadDir().resolve("3-30"));
        RefinedWriter.write(List.of(store.table(3, "a").orElseThrow().schema()), raw, 30, ALICE, dir, 10);

        assertThatThrownBy(() -> store.load(3, 30, ALICE, dir))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.code()).isEqualTo(QueryException.Code.BAD_INPUT))
                .hasMessageContaining("file 30");

        assertThat(store.isLoaded(3, 30)).isFalse();
        assertThat(store.run(planner.plan("SELECT count(*) FROM a", 3, NO_MINIMUM), 10).rows())
                .containsExactly(List.of(0L));
    }

    @Test
    void readsFilesOnlyUnderTheLoadDirectory() throws IOException {
        Path raw = Files.createDirectories(root.resolve("outside-raw"));
        Files.writeString(raw.resolve("daily_steps.csv"), "day,steps,distance_km\n2026-10-01,1,1\n");
        Path outside = Files.createDirectories(root.resolve("outside"));
        RefinedWriter.write(sample.schema(), raw, 13, ALICE, outside, 10);

        assertThatThrownBy(() -> store.load(1, 13, ALICE, outside))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.code()).isEqualTo(QueryException.Code.BAD_INPUT));
        assertThat(store.isLoaded(1, 13)).isFalse();
    }

    @Test
    void theDatabaseIsLockedEvenForSqlThatSkippedThePlannerAndTheAudit() throws Exception {
        Path secret = Files.writeString(root.resolve("secret.csv"), "a\n1\n");
        try (Connection unchecked = store.uncheckedConnection()) {
            for (String statement : List.of(
                    "SELECT * FROM read_csv('/etc/passwd')",
                    "SELECT * FROM read_csv('" + secret + "')",
                    "SELECT read_text('/etc/hostname')",
                    "SELECT * FROM glob('/etc/*')",
                    "SET lock_configuration = false",
                    "SET enable_external_access = true",
                    "SET allowed_directories = ['/']",
                    "ATTACH '" + root.resolve("other.db") + "' AS other",
                    "COPY (SELECT 1) TO '" + root.resolve("out.csv") + "'",
                    "INSTALL httpfs",
                    "LOAD httpfs")) {
                try (Statement sql = unchecked.createStatement()) {
                    assertThatThrownBy(() -> sql.execute(statement)).as(statement).isInstanceOf(SQLException.class);
                }
            }
            try (Statement sql = unchecked.createStatement(); ResultSet settings = sql.executeQuery("SELECT current_setting('lock_configuration'),"
                    + " current_setting('enable_external_access'), current_setting('autoload_known_extensions'),"
                    + " CAST(current_setting('allowed_directories') AS VARCHAR)")) {
                settings.next();
                assertThat(settings.getBoolean(1)).isTrue();
                assertThat(settings.getBoolean(2)).isFalse();
                assertThat(settings.getBoolean(3)).isFalse();
                assertThat(settings.getString(4)).isEqualTo("[" + store.loadDir() + "/, " + store.loadDir() + "/.tmp/]");
            }
        }
        assertThat(root.resolve("out.csv")).doesNotExist();
        assertThat(root.resolve("other.db")).doesNotExist();
    }

    @Test
    void theAuditRefusesWhatThePlanDoesNotAccountFor() {
        CatalogTable table = store.table(1, "daily_steps").orElseThrow();
        QueryPlan.TableUse onlySteps = new QueryPlan.TableUse("daily_steps", table, Set.of("steps"));
        for (String sql : List.of(
                "SELECT substring(CAST(distance_km AS VARCHAR) FROM 1) FROM dlp1.daily_steps",
                "SELECT steps FROM dlp1.daily_steps WHERE position('0x' IN owner) > 0",
                "SELECT * FROM dlp1.daily_steps",
                "SELECT daily_steps FROM dlp1.daily_steps",
                "SELECT steps FROM dlp1.daily_steps, dlp2.sleep",
                "SELECT * FROM read_csv('/etc/passwd')",
                "SELECT (SELECT max(steps) FROM dlp1.daily_steps) FROM dlp1.daily_steps",
                "SELECT error(owner) FROM dlp1.daily_steps")) {
            QueryPlan plan = new QueryPlan(sql, sql, sql, List.of(onlySteps), List.of(), List.of());
            assertThatThrownBy(() -> store.run(plan, 10)).as(sql)
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.code()).isEqualTo(QueryException.Code.UNSUPPORTED));
        }
        String fine = "SELECT steps, steps * 2 AS twice FROM dlp1.daily_steps WHERE steps > 1 ORDER BY twice";
        assertThat(store.run(new QueryPlan(fine, fine, fine, List.of(onlySteps), List.of(), List.of()), 10).rows()).hasSize(5);
    }

    @Test
    void bindingErrorsSayWhatWentWrongButRuntimeErrorsQuoteNoData() {
        assertThatThrownBy(() -> run("SELECT sum(day) FROM daily_steps"))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.code()).isEqualTo(QueryException.Code.EXECUTION))
                .hasMessageContaining("Binder Error").hasMessageContaining("sum")
                .hasMessageNotContaining("pending query result");
        assertThatThrownBy(() -> run("SELECT CAST(CAST(steps AS VARCHAR) || 'x' AS INTEGER) FROM daily_steps"))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.code()).isEqualTo(QueryException.Code.EXECUTION))
                .hasMessageContaining("Conversion Error").hasMessageContaining("withheld")
                .hasMessageNotContaining("7000x");
    }
}
