package org.datacoop.compute.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.datacoop.compute.Compute;
import org.datacoop.compute.ComputeException;
import org.datacoop.compute.ComputeException.Reason;
import org.datacoop.compute.TaskInput;
import org.datacoop.compute.TaskRows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a hostile or careless requester sends: each is refused with an error naming what is wrong. */
class HostileInputTest {
    @TempDir
    Path dir;

    private Path rows;
    private Path model;

    @BeforeEach
    void setUp() {
        rows = TaskRows.write(dir.resolve("rows.parquet"), 100);
        model = Compute.run(Builtin.LOGISTIC_REGRESSION, TaskInput.of(rows, BuiltinTest.CLASSIFY), dir.resolve("model")).output();
    }

    /** Running fails with {@code reason}, and leaves no output behind. */
    private AbstractThrowableAssert<?, ? extends Throwable> refused(Builtin algorithm, TaskInput input, Reason reason) {
        Path out = dir.resolve("out-" + System.nanoTime());
        AbstractThrowableAssert<?, ? extends Throwable> refusal = assertThatThrownBy(() -> Compute.run(algorithm, input, out))
                .isInstanceOf(ComputeException.class)
                .satisfies(e -> assertThat(((ComputeException) e).reason()).isEqualTo(reason));
        assertThat(out).doesNotExist();
        return refusal;
    }

    private AbstractThrowableAssert<?, ? extends Throwable> train(String params, Reason reason) {
        return refused(Builtin.LOGISTIC_REGRESSION, TaskInput.of(rows, params), reason);
    }

    private Path modelFile(String json) throws IOException {
        Path modelDir = Files.createDirectories(dir.resolve("bad-model-" + System.nanoTime()));
        Files.writeString(modelDir.resolve(LinearModel.FILE), json);
        return modelDir;
    }

    @Test
    void aMissingColumnIsNamedWithTheColumnsThereAre() {
        train("{\"features\": [\"distance_km\", \"heart_rate\"], \"label\": \"steps\"}", Reason.INVALID_PARAMS)
                .hasMessageContaining("feature column 'heart_rate' is not in the selection")
                .hasMessageContaining("day, date, distance_km, active_minutes, steps");
        train("{\"features\": [\"distance_km\"], \"label\": {\"column\": \"calories\", \"above\": 3}}", Reason.INVALID_PARAMS)
                .hasMessageContaining("label column 'calories' is not in the selection");
    }

    @Test
    void aNonNumericFeatureIsNamedWithItsType() {
        train("{\"features\": [\"date\"], \"label\": {\"column\": \"steps\", \"above\": 8000}}", Reason.INVALID_PARAMS)
                .hasMessageContaining("feature column 'date' is VARCHAR, not a number");
        refused(Builtin.LINEAR_REGRESSION, TaskInput.of(rows, "{\"features\": [\"steps\"], \"label\": \"date\"}"), Reason.INVALID_PARAMS)
                .hasMessageContaining("label column 'date' is VARCHAR, not a number");
    }

    @Test
    void nanInfiniteAndNullValuesAreRefusedNamingColumnAndRow() {
        for (String bad : new String[] {"'NaN'", "'Infinity'", "'-Infinity'", "NULL"}) {
            Path file = TaskRows.copy("SELECT day, date, CASE WHEN day = 3 THEN CAST(" + bad + " AS DOUBLE) ELSE distance_km END"
                    + " AS distance_km, active_minutes, steps FROM (" + TaskRows.days(50) + ")", dir.resolve("bad-" + System.nanoTime() + ".parquet"));

            refused(Builtin.LOGISTIC_REGRESSION, TaskInput.of(file, BuiltinTest.CLASSIFY), Reason.INVALID_DATA)
                    .hasMessageContaining("column 'distance_km' has")
                    .hasMessageContaining("in row 4")
                    .hasMessageContaining("finite number");
        }
    }

    @Test
    void anEmptySelectionIsRefused() {
        Path empty = TaskRows.copy("SELECT * FROM (" + TaskRows.days(10) + ") WHERE day < 0", dir.resolve("empty.parquet"));

        refused(Builtin.LOGISTIC_REGRESSION, TaskInput.of(empty, BuiltinTest.CLASSIFY), Reason.INVALID_DATA)
                .hasMessageContaining("the selection has no rows");
        refused(Builtin.PREDICT, TaskInput.of(empty, "{}").withModel(model), Reason.INVALID_DATA)
                .hasMessageContaining("the selection has no rows");
    }

    @Test
    void aFileThatIsNotParquetIsRefused() throws IOException {
        Path notParquet = Files.writeString(dir.resolve("rows.csv"), "day,steps\n1,2\n");

        refused(Builtin.LOGISTIC_REGRESSION, TaskInput.of(notParquet, BuiltinTest.CLASSIFY), Reason.INVALID_DATA)
                .hasMessageContaining("not a readable Parquet file");
    }

    /** Params with {@code field}'s value in {@link BuiltinTest#CLASSIFY} replaced by {@code value}. */
    private static String classifyWith(String field, String value) {
        return BuiltinTest.CLASSIFY.replaceFirst("\"" + field + "\": [^,}]+", "\"" + field + "\": " + value);
    }

    @Test
    void anEnormousEpochsValueIsRefusedByName() {
        train(classifyWith("epochs", "1000000000000"), Reason.INVALID_PARAMS)
                .hasMessageContaining("epochs is 1000000000000; it must be between 1 and 1000");
        train(classifyWith("epochs", "1e9"), Reason.INVALID_PARAMS).hasMessageContaining("epochs must be a whole number");
        train(classifyWith("epochs", "99999999999999999999999"), Reason.INVALID_PARAMS).hasMessageContaining("epochs is 99999999999999999999999");
    }

    @Test
    void badParamsAreNamed() {
        String[][] cases = {
            {classifyWith("seed", "7, \"threads\": 8"), "unknown field 'threads'"},
            {classifyWith("learningRate", "-1"), "learningRate is -1.0"},
            {classifyWith("learningRate", "\"fast\""), "learningRate must be a number"},
            {classifyWith("seed", "7, \"minibatch\": 0"), "minibatch is 0"},
            {"{\"label\": \"steps\"}", "need features"},
            {"{\"features\": [\"distance_km\"]}", "need label"},
            {"{\"features\": [\"distance_km\", \"distance_km\"], \"label\": \"steps\"}", "names 'distance_km' twice"},
            {"{\"features\": [\"steps\"], \"label\": {\"column\": \"steps\", \"above\": 1}}", "label column 'steps' is also a feature"},
            {"{\"features\": [\"distance_km\"], \"label\": \"steps\", \"label\": \"day\"}", "Duplicate field 'label'"},
            {"[1, 2]", "must be a JSON object"},
            {"{\"features\": [\"distance_km\"], \"label\": \"steps\"} {}", "not valid JSON"},
        };
        for (String[] bad : cases) {
            train(bad[0], Reason.INVALID_PARAMS).hasMessageContaining(bad[1]);
        }
    }

    @Test
    void aClassifierNeedsTwoClasses() {
        train("{\"features\": [\"distance_km\"], \"label\": {\"column\": \"steps\", \"above\": 1000000}}", Reason.INVALID_DATA)
                .hasMessageContaining("has a single class")
                .hasMessageNotContaining("false");
    }

    @Test
    void modelsGoOnlyWhereTheyBelong() {
        refused(Builtin.PREDICT, TaskInput.of(rows, "{}"), Reason.INVALID_MODEL).hasMessageContaining("builtin:predict/v1 needs a model");
        refused(Builtin.LOGISTIC_REGRESSION, TaskInput.of(rows, BuiltinTest.CLASSIFY).withModel(model), Reason.INVALID_PARAMS)
                .hasMessageContaining("takes none");
        refused(Builtin.PREDICT, TaskInput.of(rows, "{\"key\": [\"owner\"]}").withModel(model), Reason.INVALID_PARAMS)
                .hasMessageContaining("key column 'owner' is not in the selection");
        refused(Builtin.EVALUATE, TaskInput.of(rows, "{\"key\": [\"day\"]}").withModel(model), Reason.INVALID_PARAMS)
                .hasMessageContaining("unknown field 'key'");
    }

    @Test
    void aModelForAnotherAlgorithmIsRefused() throws IOException {
        String json = Files.readString(model.resolve(LinearModel.FILE));

        for (String other : new String[] {"builtin:kmeans/v1", "builtin:predict/v1", "builtin:logistic-regression/v2"}) {
            refused(Builtin.PREDICT, TaskInput.of(rows, "{}").withModel(modelFile(json.replace("builtin:logistic-regression/v1", other))),
                    Reason.INVALID_MODEL)
                    .hasMessageContaining("the model is for algorithm \"" + other + "\"");
        }
    }

    @Test
    void aModelForOtherFeaturesIsRefusedNamingTheFeature() throws IOException {
        String json = Files.readString(model.resolve(LinearModel.FILE)).replace("\"active_minutes\"", "\"heart_rate\"");

        refused(Builtin.PREDICT, TaskInput.of(rows, "{}").withModel(modelFile(json)), Reason.INVALID_MODEL)
                .hasMessageContaining("the model's feature 'heart_rate' is not a column of the selection");
        refused(Builtin.EVALUATE, TaskInput.of(rows, "{}").withModel(modelFile(json.replace("\"heart_rate\"", "\"date\""))), Reason.INVALID_PARAMS)
                .hasMessageContaining("the model's feature column 'date' is VARCHAR, not a number");
    }

    @Test
    void malformedModelsAreRefusedNamingWhatIsWrong() throws IOException {
        String json = Files.readString(model.resolve(LinearModel.FILE));
        String firstWeights = json.substring(json.indexOf("\"weights\":[") + 11, json.indexOf(']', json.indexOf("\"weights\":[")));
        String[][] cases = {
            {"not json at all", "not valid JSON"},
            {"\u00ac\u00ed\u0000\u0005sr\u0000\u0011java.util.HashMap", "not valid JSON"},
            {json.replace(LinearModel.FORMAT, "pickle/v3"), "the model's format"},
            {json.replace("[" + firstWeights + "]", "[" + firstWeights.split(",")[0] + "]"), "must have one weight per feature (2)"},
            {json.replace("[" + firstWeights + "]", "[\"NaN\"," + firstWeights.split(",")[1] + "]"), "weight 0 must be a finite number"},
            {json.replace("[" + firstWeights + "]", "[1e999," + firstWeights.split(",")[1] + "]"), "weight 0 must be a finite number"},
            {json.replace("\"name\":\"true\"", "\"name\":\"false\""), "distinct name"},
            {json.replace("{\"format\"", "{\"class\":\"java.lang.Runtime\",\"format\""), "unknown field 'class'"},
            {json.replace("\"label\":", "\"label\":\"steps\",\"label\":"), "Duplicate field 'label'"},
        };
        for (String[] bad : cases) {
            refused(Builtin.PREDICT, TaskInput.of(rows, "{}").withModel(modelFile(bad[0])), Reason.INVALID_MODEL)
                    .hasMessageContaining(bad[1]);
        }
        refused(Builtin.PREDICT, TaskInput.of(rows, "{}").withModel(Files.createDirectories(dir.resolve("no-model"))), Reason.INVALID_MODEL)
                .hasMessageContaining("has no model.json");
    }
}
