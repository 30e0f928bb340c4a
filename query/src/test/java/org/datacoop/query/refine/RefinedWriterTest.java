package org.datacoop.query.refine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.datacoop.protocol.Address;
import org.datacoop.query.QueryException;
import org.datacoop.query.Sql;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DeclarativeRefiner} and {@link RefinedWriter} from an input JSON file to typed Parquet. */
class RefinedWriterTest {
    static final Address OWNER = Address.of("0x1111111111111111111111111111111111111111");
    static final String FITNESS = """
            {"owner": "0x1111111111111111111111111111111111111111",
             "days": [{"date": "2026-10-01", "steps": 7000, "distance_m": 4900},
                      {"date": "2026-10-02", "steps": 8000, "distance_m": 5600.5}]}
            """;

    @TempDir
    Path dir;
    Path raw;
    Path out;
    RefinerDefinition sample;

    @BeforeEach
    void setUp() throws IOException {
        raw = Files.createDirectories(dir.resolve("raw"));
        out = Files.createDirectories(dir.resolve("out"));
        sample = RefinerDefinition.parse(RefinerDefinitionTest.chainResource("sample-refiner.json"));
    }

    private Path input(String name, String json) throws IOException {
        return Files.writeString(dir.resolve(name), json);
    }

    /** Refines {@code json} with the sample refiner and writes it as file 42 of {@link #OWNER}. */
    private RefinedWriter.Written refineSample(String json) throws IOException {
        DeclarativeRefiner.refine(sample, List.of(input("export.json", json)), raw);
        return RefinedWriter.write(sample.schema(), raw, 42, OWNER, out, 1000);
    }

    static List<List<Object>> rows(String sql) {
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = db.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    static List<List<Object>> parquetRows(Path parquet, String columns) {
        return rows("SELECT " + columns + " FROM read_parquet(" + Sql.literal(parquet.toString()) + ") ORDER BY ALL");
    }

    private static void assertBadInput(Runnable action, String... named) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.code()).isEqualTo(QueryException.Code.BAD_INPUT))
                .hasMessageContainingAll(named);
    }

    @Test
    void refinesAFitnessExportToTypedParquet() throws IOException {
        RefinedWriter.Written written = refineSample(FITNESS);

        assertThat(written.tables()).containsExactly(new RefinedWriter.TableCount("daily_steps", 2));
        assertThat(written.rows()).isEqualTo(2);
        Path parquet = out.resolve("daily_steps.parquet");
        assertThat(rows("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet("
                + Sql.literal(parquet.toString()) + "))")).containsExactly(
                List.of("file_id", "BIGINT"), List.of("owner", "VARCHAR"), List.of("day", "DATE"),
                List.of("steps", "BIGINT"), List.of("distance_km", "DOUBLE"));
        assertThat(parquetRows(parquet, "file_id, owner, day, steps, distance_km")).containsExactly(
                List.of(42L, OWNER.value(), LocalDate.of(2026, 10, 1), 7000L, 4.9),
                List.of(42L, OWNER.value(), LocalDate.of(2026, 10, 2), 8000L, 5.6005));
        assertThat(parquetRows(parquet, "count(*)")).containsExactly(List.of(2L));
    }

    @Test
    void refinesSeveralInputsIntoOneTable() throws IOException {
        Path first = input("a.json", FITNESS);
        Path second = input("b.json", "{\"days\": [{\"date\": \"2026-10-03\", \"steps\": 1, \"distance_m\": 1000}]}");

        DeclarativeRefiner.refine(sample, List.of(first, second), raw);
        RefinedWriter.Written written = RefinedWriter.write(sample.schema(), raw, 7, OWNER, out, 1000);

        assertThat(written.rows()).isEqualTo(3);
        assertThat(parquetRows(out.resolve("daily_steps.parquet"), "day, steps, distance_km")).containsExactly(
                List.of(LocalDate.of(2026, 10, 1), 7000L, 4.9),
                List.of(LocalDate.of(2026, 10, 2), 8000L, 5.6005),
                List.of(LocalDate.of(2026, 10, 3), 1L, 1.0));
    }

    @Test
    void missingAndNullValuesBecomeNull() throws IOException {
        refineSample("{\"days\": [{\"date\": \"2026-10-01\", \"steps\": null}]}");

        List<List<Object>> rows = parquetRows(out.resolve("daily_steps.parquet"), "day, steps IS NULL, distance_km IS NULL");
        assertThat(rows).containsExactly(List.of(LocalDate.of(2026, 10, 1), true, true));
    }

    @Test
    void anEmptyRowsArrayWritesAnEmptyTable() throws IOException {
        RefinedWriter.Written written = refineSample("{\"days\": []}");

        assertThat(written.rows()).isZero();
        Path parquet = out.resolve("daily_steps.parquet");
        assertThat(parquetRows(parquet, "*")).isEmpty();
        assertThat(rows("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet("
                + Sql.literal(parquet.toString()) + "))")).extracting(r -> r.get(0))
                .containsExactly("file_id", "owner", "day", "steps", "distance_km");
    }

    @Test
    void aValueThatDoesNotCastFailsNamingTableAndColumn() throws IOException {
        assertBadInput(() -> {
            try {
                refineSample("{\"days\": [{\"date\": \"2026-10-01\", \"steps\": \"abc\", \"distance_m\": 1}]}");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, "daily_steps", "column steps", "abc");
    }

    @Test
    void aMissingRowsPointerFailsNamingIt() throws IOException {
        Path file = input("export.json", "{\"weeks\": []}");

        assertBadInput(() -> DeclarativeRefiner.refine(sample, List.of(file), raw), "export.json", "/days", "daily_steps");
    }

    @Test
    void aUnitConversionOfANonNumberFailsNamingTheColumn() throws IOException {
        Path file = input("export.json", "{\"days\": [{\"date\": \"2026-10-01\", \"steps\": 1, \"distance_m\": 2},"
                + " {\"date\": \"2026-10-02\", \"steps\": 1, \"distance_m\": \"far\"}]}");

        assertBadInput(() -> DeclarativeRefiner.refine(sample, List.of(file), raw),
                "export.json row 1", "daily_steps.distance_km", "/distance_m", "number");
    }

    @Test
    void anInputThatIsNotJsonFails() throws IOException {
        Path file = input("export.json", "date,steps\n2026-10-01,7000\n");

        assertBadInput(() -> DeclarativeRefiner.refine(sample, List.of(file), raw), "export.json", "not JSON");
    }

    @Test
    void aDocumentWithoutRowsPointerIsOneRowAndKeepsTextAsWritten() throws IOException {
        RefinerDefinition definition = RefinerDefinition.parse("""
                {"refiner": "builtin:refiner/v1", "tables": [{"name": "profile", "columns": [
                  {"name": "note", "path": "/note", "type": "VARCHAR"},
                  {"name": "seen", "path": "/seen", "type": "TIMESTAMP"},
                  {"name": "active", "path": "/active", "type": "BOOLEAN"},
                  {"name": "extra", "path": "/extra", "type": "VARCHAR"},
                  {"name": "height_cm", "path": "/height", "type": "DOUBLE", "unit": "ft", "as": "m"}]}]}
                """.getBytes(StandardCharsets.UTF_8));
        Path file = input("profile.json", "{\"note\": \"2026-10-01T10:00:00Z\", \"seen\": \"2026-10-01T10:00:00\","
                + " \"active\": true, \"extra\": {\"a\": [1, 2]}, \"height\": 6}");

        DeclarativeRefiner.refine(definition, List.of(file), raw);
        RefinedWriter.write(definition.schema(), raw, 3, OWNER, out, 10);

        assertThat(parquetRows(out.resolve("profile.parquet"), "note, CAST(seen AS VARCHAR), active, extra, height_cm"))
                .containsExactly(List.of("2026-10-01T10:00:00Z", "2026-10-01 10:00:00", true, "{\"a\":[1,2]}", 6 * 0.3048));
    }

    @Test
    void aTextColumnIsNotTypedByItsFirstValues() throws IOException {
        // DuckDB guesses a JSON column's type from a sample of rows: text that looks like dates at first
        // must still be read as text when a later row holds something else.
        RefinerDefinition definition = RefinerDefinition.parse("""
                {"refiner": "builtin:refiner/v1", "tables": [{"name": "notes", "rows": "/notes", "columns": [
                  {"name": "note", "path": "/n", "type": "VARCHAR"}]}]}
                """.getBytes(StandardCharsets.UTF_8));
        StringBuilder json = new StringBuilder("{\"notes\": [");
        for (int i = 0; i < 25_000; i++) {
            json.append("{\"n\": \"2026-10-01\"},");
        }
        json.append("{\"n\": \"hello\"}]}");

        DeclarativeRefiner.refine(definition, List.of(input("notes.json", json.toString())), raw);
        RefinedWriter.write(definition.schema(), raw, 3, OWNER, out, 100_000);

        assertThat(rows("SELECT count(*), count(*) FILTER (WHERE note = 'hello') FROM read_parquet("
                + Sql.literal(out.resolve("notes.parquet").toString()) + ")")).containsExactly(List.of(25_001L, 1L));
    }

    @Test
    void readsAnExternalRefinersCsv() throws IOException {
        Files.writeString(raw.resolve("daily_steps.csv"), "steps,day,distance_km\n7000,2026-10-01,4.9\n,2026-10-02,\n");

        RefinedWriter.Written written = RefinedWriter.write(sample.schema(), raw, 5, OWNER, out, 10);

        assertThat(written.rows()).isEqualTo(2);
        assertThat(parquetRows(out.resolve("daily_steps.parquet"), "file_id, owner, day, steps, distance_km"))
                .containsExactly(List.of(5L, OWNER.value(), LocalDate.of(2026, 10, 1), 7000L, 4.9),
                        java.util.Arrays.asList(5L, OWNER.value(), LocalDate.of(2026, 10, 2), null, null));
    }

    @Test
    void fileIdAndOwnerComeFromTheCallerNotTheRawTable() throws IOException {
        Files.writeString(raw.resolve("daily_steps.csv"), "day,steps,distance_km\n2026-10-01,7000,4.9\n");

        RefinedWriter.write(sample.schema(), raw, 9, OWNER, out, 10);

        assertThat(parquetRows(out.resolve("daily_steps.parquet"), "file_id, owner")).containsExactly(List.of(9L, OWNER.value()));
    }

    @Test
    void aRawTableWithAnExtraColumnFailsNamingTheColumns() throws IOException {
        Files.writeString(raw.resolve("daily_steps.csv"), "day,steps,distance_km,owner\n2026-10-01,7000,4.9,0xabc\n");

        assertBadInput(() -> RefinedWriter.write(sample.schema(), raw, 5, OWNER, out, 10),
                "daily_steps", "owner", "[day, steps, distance_km]");
    }

    @Test
    void aRawTableWithAMissingColumnFailsNamingTheColumns() throws IOException {
        Files.writeString(raw.resolve("daily_steps.jsonl"), "{\"day\": \"2026-10-01\", \"steps\": 7000}\n");

        assertBadInput(() -> RefinedWriter.write(sample.schema(), raw, 5, OWNER, out, 10),
                "daily_steps", "[day, steps]", "[day, steps, distance_km]");
    }

    @Test
    void aMissingRawTableFailsNamingIt() {
        assertBadInput(() -> RefinedWriter.write(sample.schema(), raw, 5, OWNER, out, 10), "daily_steps.parquet");
    }

    @Test
    void tooManyRowsFail() throws IOException {
        DeclarativeRefiner.refine(sample, List.of(input("export.json", FITNESS)), raw);

        assertBadInput(() -> RefinedWriter.write(sample.schema(), raw, 5, OWNER, out, 1), "daily_steps", "2 rows", "at most 1");
        RefinedWriter.write(sample.schema(), raw, 5, OWNER, out, 2);
    }
}
