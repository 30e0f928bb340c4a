package org.datacoop.query.refine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.datacoop.query.ColumnType;
import org.datacoop.query.QueryException;
import org.datacoop.query.TableSchema;
import org.junit.jupiter.api.Test;

class RefinerDefinitionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The sample DataDAO's files, read where the chain module keeps them so the two cannot drift apart. */
    static byte[] chainResource(String name) throws IOException {
        Path path = Path.of(System.getProperty("user.dir"))
                .resolve("../chain/src/main/resources/org/datacoop/chain/" + name).normalize();
        return Files.readAllBytes(path);
    }

    private static RefinerDefinition parse(String json) {
        return RefinerDefinition.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A declarative definition of one table daily_steps with the given columns (JSON array elements). */
    private static String withColumns(String columns) {
        return "{\"refiner\": \"builtin:refiner/v1\", \"tables\": [{\"name\": \"daily_steps\", \"rows\": \"/days\","
                + " \"columns\": [" + columns + "]}]}";
    }

    private static void assertBad(String json, String... named) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.code()).isEqualTo(QueryException.Code.BAD_REFINER))
                .hasMessageContainingAll(named);
    }

    @Test
    void parsesTheSampleRefiner() throws IOException {
        RefinerDefinition definition = RefinerDefinition.parse(chainResource("sample-refiner.json"));

        assertThat(definition.description()).contains("fitness");
        assertThat(definition.tables()).hasSize(1);
        RefinerDefinition.TableMapping table = definition.tables().get(0);
        assertThat(table.name()).isEqualTo("daily_steps");
        assertThat(table.rows()).hasValueSatisfying(p -> assertThat(p.toString()).isEqualTo("/days"));
        assertThat(table.columns()).extracting(RefinerDefinition.ColumnMapping::name)
                .containsExactly("day", "steps", "distance_km");
        assertThat(table.columns()).extracting(RefinerDefinition.ColumnMapping::type)
                .containsExactly(ColumnType.DATE, ColumnType.BIGINT, ColumnType.DOUBLE);
        RefinerDefinition.ColumnMapping distance = table.columns().get(2);
        assertThat(distance.path().toString()).isEqualTo("/distance_m");
        assertThat(distance.unit()).contains(Unit.M);
        assertThat(distance.as()).contains(Unit.KM);
        assertThat(distance.convert(4900)).isEqualTo(4.9);
        assertThat(table.columns().get(1).convert(7000)).isEqualTo(7000);

        assertThat(definition.schema()).containsExactly(TableSchema.of("daily_steps", List.of(
                new TableSchema.Column("day", ColumnType.DATE),
                new TableSchema.Column("steps", ColumnType.BIGINT),
                new TableSchema.Column("distance_km", ColumnType.DOUBLE))));
    }

    @Test
    void schemaDocumentIsTheSampleSchema() throws IOException {
        RefinerDefinition definition = RefinerDefinition.parse(chainResource("sample-refiner.json"));

        byte[] document = definition.schemaDocument("fitness-daily");

        assertThat(JSON.readTree(document)).isEqualTo(JSON.readTree(chainResource("sample-schema.json")));
        SchemaDefinition schema = SchemaDefinition.parse(document);
        assertThat(schema.name()).isEqualTo("fitness-daily");
        assertThat(schema.dialect()).isEqualTo(SchemaDefinition.DIALECT);
        schema.requireMatches(definition);
    }

    @Test
    void schemaDefinitionRefusesARefinerThatWidensIt() throws IOException {
        SchemaDefinition schema = SchemaDefinition.parse(chainResource("sample-schema.json"));
        RefinerDefinition wider = parse(withColumns("{\"name\": \"day\", \"path\": \"/date\", \"type\": \"DATE\"},"
                + "{\"name\": \"steps\", \"path\": \"/steps\", \"type\": \"BIGINT\"},"
                + "{\"name\": \"distance_km\", \"path\": \"/distance_m\", \"type\": \"DOUBLE\", \"unit\": \"m\", \"as\": \"km\"},"
                + "{\"name\": \"heart_rate\", \"path\": \"/hr\", \"type\": \"BIGINT\"}"));

        assertThatThrownBy(() -> schema.requireMatches(wider))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.code()).isEqualTo(QueryException.Code.BAD_REFINER))
                .hasMessageContaining("heart_rate");
    }

    @Test
    void refusesAnExternalRefinerDefinition() {
        assertThatThrownBy(() -> parse("{\"refiner\": \"external\", \"command\": [\"python3\", \"refine.py\"],"
                + " \"tables\": [{\"name\": \"sleep\", \"columns\": [{\"name\": \"hours\", \"type\": \"double\"}]}]}"))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("published as its executable");
    }

    @Test
    void refusesWhatIsNotJson() {
        assertBad("{\"refiner\": ", "not JSON");
        assertBad("[1, 2]", "JSON object");
    }

    @Test
    void refusesAnUnknownRefinerKind() {
        assertBad("{\"refiner\": \"builtin:refiner/v2\", \"tables\": []}", "\"refiner\"", "builtin:refiner/v2");
        assertBad("{\"tables\": []}", "\"refiner\"");
    }

    @Test
    void refusesMissingOrEmptyTables() {
        assertBad("{\"refiner\": \"builtin:refiner/v1\"}", "\"tables\"");
        assertBad("{\"refiner\": \"builtin:refiner/v1\", \"tables\": []}", "\"tables\"");
        assertBad("{\"refiner\": \"builtin:refiner/v1\", \"tables\": [{\"name\": \"daily_steps\", \"columns\": []}]}",
                "daily_steps", "\"columns\"");
    }

    @Test
    void refusesBadIdentifiers() {
        assertBad(withColumns("{\"name\": \"Steps\", \"path\": \"/steps\", \"type\": \"BIGINT\"}"), "'Steps'", "column");
        assertBad(withColumns("{\"name\": \"1steps\", \"path\": \"/steps\", \"type\": \"BIGINT\"}"), "'1steps'", "column");
        assertBad(withColumns("{\"name\": \"steps; DROP\", \"path\": \"/steps\", \"type\": \"BIGINT\"}"), "'steps; DROP'");
        assertBad("{\"refiner\": \"builtin:refiner/v1\", \"tables\": [{\"name\": \"DailySteps\", \"columns\":"
                + " [{\"name\": \"steps\", \"path\": \"/steps\", \"type\": \"BIGINT\"}]}]}", "'DailySteps'", "table");
    }

    @Test
    void refusesReservedColumnNames() {
        assertBad(withColumns("{\"name\": \"file_id\", \"path\": \"/id\", \"type\": \"BIGINT\"}"), "daily_steps.file_id", "reserved");
        assertBad(withColumns("{\"name\": \"owner\", \"path\": \"/who\", \"type\": \"VARCHAR\"}"), "daily_steps.owner", "reserved");
    }

    @Test
    void refusesAColumnNamedTwice() {
        assertBad(withColumns("{\"name\": \"steps\", \"path\": \"/steps\", \"type\": \"BIGINT\"},"
                + "{\"name\": \"steps\", \"path\": \"/other\", \"type\": \"BIGINT\"}"), "daily_steps.steps");
    }

    @Test
    void refusesAnUnknownTypeNamingTheColumn() {
        assertBad(withColumns("{\"name\": \"steps\", \"path\": \"/steps\", \"type\": \"INTEGER\"}"),
                "daily_steps.steps", "INTEGER", "BIGINT");
        assertBad(withColumns("{\"name\": \"steps\", \"path\": \"/steps\"}"), "daily_steps.steps", "type");
    }

    @Test
    void refusesAMissingOrMalformedPath() {
        assertBad(withColumns("{\"name\": \"steps\", \"type\": \"BIGINT\"}"), "daily_steps.steps", "\"path\"");
        assertBad(withColumns("{\"name\": \"steps\", \"path\": \"steps\", \"type\": \"BIGINT\"}"), "daily_steps.steps", "JSON Pointer");
        assertBad("{\"refiner\": \"builtin:refiner/v1\", \"tables\": [{\"name\": \"daily_steps\", \"rows\": \"days\", \"columns\":"
                + " [{\"name\": \"steps\", \"path\": \"/steps\", \"type\": \"BIGINT\"}]}]}", "daily_steps rows", "JSON Pointer");
    }

    @Test
    void refusesAUnitWithoutAs() {
        assertBad(withColumns("{\"name\": \"distance_km\", \"path\": \"/d\", \"type\": \"DOUBLE\", \"unit\": \"m\"}"),
                "daily_steps.distance_km", "\"as\"");
        assertBad(withColumns("{\"name\": \"distance_km\", \"path\": \"/d\", \"type\": \"DOUBLE\", \"as\": \"km\"}"),
                "daily_steps.distance_km", "\"unit\"");
    }

    @Test
    void refusesAConversionAcrossDimensionsNamingTheColumn() {
        assertBad(withColumns("{\"name\": \"distance_km\", \"path\": \"/d\", \"type\": \"DOUBLE\", \"unit\": \"m\", \"as\": \"kg\"}"),
                "daily_steps.distance_km", "m (length)", "kg (mass)");
    }

    @Test
    void refusesAnUnknownUnitNamingTheColumn() {
        assertBad(withColumns("{\"name\": \"distance_km\", \"path\": \"/d\", \"type\": \"DOUBLE\", \"unit\": \"parsec\", \"as\": \"km\"}"),
                "daily_steps.distance_km", "parsec");
    }

    @Test
    void refusesAUnitOnANonDoubleColumn() {
        assertBad(withColumns("{\"name\": \"distance_km\", \"path\": \"/d\", \"type\": \"BIGINT\", \"unit\": \"m\", \"as\": \"km\"}"),
                "daily_steps.distance_km", "DOUBLE");
    }

    @Test
    void refusesATableDefinedTwice() {
        String table = "{\"name\": \"daily_steps\", \"columns\": [{\"name\": \"steps\", \"path\": \"/steps\", \"type\": \"BIGINT\"}]}";
        assertBad("{\"refiner\": \"builtin:refiner/v1\", \"tables\": [" + table + ", " + table + "]}", "daily_steps", "twice");
    }

    @Test
    void unitsConvertWithinADimensionOnly() {
        assertThat(Unit.M.factorTo(Unit.KM)).isEqualTo(0.001);
        assertThat(Unit.named("Mi").factorTo(Unit.M)).isEqualTo(1609.344);
        assertThat(Unit.H.factorTo(Unit.MIN)).isEqualTo(60.0);
        assertThat(Unit.KCAL.factorTo(Unit.KJ)).isEqualTo(4.184);
        assertThat(Unit.M.convert(5600, Unit.KM)).isEqualTo(5.6);
        assertThat(Unit.KM.convert(5.6, Unit.M)).isEqualTo(5600.0);
        assertThat(Unit.MS.convert(90_000, Unit.MIN)).isEqualTo(1.5);
        assertThatThrownBy(() -> Unit.M.factorTo(Unit.KG)).isInstanceOf(QueryException.class).hasMessageContaining("m (length)");
    }
}
