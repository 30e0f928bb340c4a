package org.datacoop.compute.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.assertj.core.data.Offset;
import org.datacoop.compute.AlgorithmDigest;
import org.datacoop.compute.Compute;
import org.datacoop.compute.ComputeResult;
import org.datacoop.compute.TaskInput;
import org.datacoop.compute.TaskRows;
import org.datacoop.protocol.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in algorithms learn, predict and measure, and give the same bytes for the same task. */
class BuiltinTest {
    static final String CLASSIFY = """
            {"features": ["distance_km", "active_minutes"], "label": {"column": "steps", "above": 8000},
             "epochs": 8, "learningRate": 0.5, "seed": 7}""";
    static final String REGRESS = """
            {"features": ["steps", "active_minutes"], "label": "distance_km", "epochs": 20, "learningRate": 0.1, "seed": 7}""";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ComputeResult run(Builtin algorithm, TaskInput input, String name) {
        return Compute.run(algorithm, input, dir.resolve(name));
    }

    /** A file of the days {@code values} lists, as SQL row values in {@link TaskRows#COLUMNS} order. */
    private Path days(String values, String name) {
        return TaskRows.copy("SELECT * FROM (VALUES " + values + ") t(" + TaskRows.COLUMNS + ")", dir.resolve(name));
    }

    private JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    @Test
    void builtInsArePinnedByTheDigestOfTheirDescriptor() {
        assertThat(Builtin.LOGISTIC_REGRESSION.descriptor()).isEqualTo("builtin:logistic-regression/v1");
        assertThat(Builtin.LOGISTIC_REGRESSION.digest())
                .isEqualTo(AlgorithmDigest.of(Sha256.of("builtin:logistic-regression/v1".getBytes(StandardCharsets.UTF_8))));
        assertThat(Builtin.byDigest(Builtin.EVALUATE.digest())).contains(Builtin.EVALUATE);
        assertThat(Builtin.byName("linear-regression")).contains(Builtin.LINEAR_REGRESSION);
        assertThat(Builtin.byName("builtin:predict/v1")).contains(Builtin.PREDICT);
        assertThat(Builtin.byName("kmeans")).isEmpty();
        assertThat(List.of(Builtin.values()).stream().map(Builtin::digest).distinct()).hasSize(Builtin.values().length);
    }

    @Test
    void logisticRegressionLearnsTheThresholdAndWritesItsModelAndMetrics() throws IOException {
        Path rows = TaskRows.write(dir.resolve("rows.parquet"), 600);

        ComputeResult result = run(Builtin.LOGISTIC_REGRESSION, TaskInput.of(rows, CLASSIFY), "out");

        assertThat(result.files()).containsExactly("metrics.json", "model.json");
        JsonNode model = json(result.output().resolve("model.json"));
        assertThat(model.path("format").asText()).isEqualTo(LinearModel.FORMAT);
        assertThat(model.path("algorithm").asText()).isEqualTo("builtin:logistic-regression/v1");
        assertThat(model.path("features")).hasSize(2);
        assertThat(model.path("outputs").findValuesAsText("name")).containsExactly("false", "true");
        // More distance, more steps: the "true" class weighs distance up.
        assertThat(model.path("outputs").get(1).path("weights").get(0).asDouble())
                .isGreaterThan(model.path("outputs").get(0).path("weights").get(0).asDouble());
        JsonNode metrics = json(result.output().resolve("metrics.json"));
        assertThat(metrics.path("rows").asInt()).isEqualTo(600);
        assertThat(metrics.path("accuracy").asDouble()).isGreaterThan(0.85);
        assertThat(metrics.path("logLoss").asDouble()).isPositive().isLessThan(0.5);
    }

    @Test
    void trainingLogsNothingAboutTheRows() {
        Path rows = TaskRows.write(dir.resolve("rows.parquet"), 100);
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord logRecord) {
                if (isLoggable(logRecord)) {
                    records.add(logRecord);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger tribuo = Logger.getLogger("org.tribuo");
        tribuo.addHandler(capture);
        try {
            Training.logisticRegression(rows, CLASSIFY);
        } finally {
            tribuo.removeHandler(capture);
        }

        assertThat(records).extracting(LogRecord::getMessage).isEmpty();
    }

    @Test
    void aModelReadBackIsTheSameModelByteForByte() throws IOException {
        Path rows = TaskRows.write(dir.resolve("rows.parquet"), 200);
        LinearModel trained = Training.logisticRegression(rows, CLASSIFY);

        LinearModel read = LinearModel.parse(new String(trained.toJson(), StandardCharsets.UTF_8));

        assertThat(read.toJson()).isEqualTo(trained.toJson());
        assertThat(read.predict(new double[] {9.5, 30})).containsExactly(trained.predict(new double[] {9.5, 30}));
    }

    @Test
    void theSameTaskGivesTheSameResultHashWhateverTheOrderOfItsRows() {
        Path rows = TaskRows.write(dir.resolve("rows.parquet"), 400);
        Path shuffled = TaskRows.write(dir.resolve("shuffled.parquet"), 400, "hash(day)");
        Path reversed = TaskRows.write(dir.resolve("reversed.parquet"), 400, "day DESC");

        ComputeResult first = run(Builtin.LOGISTIC_REGRESSION, TaskInput.of(rows, CLASSIFY), "a");
        ComputeResult again = run(Builtin.LOGISTIC_REGRESSION, TaskInput.of(rows, CLASSIFY), "b");
        ComputeResult fromShuffled = run(Builtin.LOGISTIC_REGRESSION, TaskInput.of(shuffled, CLASSIFY), "c");
        ComputeResult fromReversed = run(Builtin.LOGISTIC_REGRESSION, TaskInput.of(reversed, CLASSIFY), "d");

        assertThat(again.resultHash()).isEqualTo(first.resultHash());
        assertThat(fromShuffled.resultHash()).isEqualTo(first.resultHash());
        assertThat(fromReversed.resultHash()).isEqualTo(first.resultHash());
    }

    @Test
    void anotherSeedOrParamGivesAnotherResultHash() {
        Path rows = TaskRows.write(dir.resolve("rows.parquet"), 400);

        byte[] base = run(Builtin.LOGISTIC_REGRESSION, TaskInput.of(rows, CLASSIFY), "a").resultHash();
        byte[] otherSeed = run(Builtin.LOGISTIC_REGRESSION, TaskInput.of(rows, CLASSIFY.replace("\"seed\": 7", "\"seed\": 8")), "b").resultHash();
        byte[] otherEpochs = run(Builtin.LOGISTIC_REGRESSION, TaskInput.of(rows, CLASSIFY.replace("\"epochs\": 8", "\"epochs\": 9")), "c").resultHash();
        byte[] otherRows = run(Builtin.LOGISTIC_REGRESSION, TaskInput.of(TaskRows.write(dir.resolve("more.parquet"), 401), CLASSIFY), "d").resultHash();

        assertThat(List.of(otherSeed, otherEpochs, otherRows)).noneMatch(hash -> Arrays.equals(hash, base));
    }

    @Test
    void linearRegressionFitsDistanceFromSteps() throws IOException {
        Path rows = TaskRows.write(dir.resolve("rows.parquet"), 600);

        ComputeResult result = run(Builtin.LINEAR_REGRESSION, TaskInput.of(rows, REGRESS), "out");

        JsonNode model = json(result.output().resolve("model.json"));
        assertThat(model.path("outputs").findValuesAsText("name")).containsExactly("distance_km");
        JsonNode metrics = json(result.output().resolve("metrics.json"));
        assertThat(metrics.path("r2").asDouble()).isGreaterThan(0.9);
        assertThat(metrics.path("rmse").asDouble()).isPositive().isLessThan(1);
    }

    @Test
    void predictAppliesATrainedModelToEveryRowWithTheKeyColumns() throws IOException {
        Path rows = TaskRows.write(dir.resolve("rows.parquet"), 300);
        Path model = run(Builtin.LOGISTIC_REGRESSION, TaskInput.of(rows, CLASSIFY), "model").output();
        Path unseen = days("(1, '2027-01-01', 11.5, 60, 14000), (2, '2027-01-02', 0.5, 5, 600)", "unseen.parquet");

        ComputeResult result = run(Builtin.PREDICT, new TaskInput(unseen, "{\"key\": [\"date\"]}", Optional.of(model)), "out");

        List<String> lines = Files.readAllLines(result.output().resolve(Prediction.FILE));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("row,date,prediction,probability:false,probability:true");
        // Sorted by every column: day 1 (11.5 km) first.
        assertThat(lines.get(1)).startsWith("1,2027-01-01,true,");
        assertThat(lines.get(2)).startsWith("2,2027-01-02,false,");
        String[] fields = lines.get(1).split(",");
        assertThat(Double.parseDouble(fields[3]) + Double.parseDouble(fields[4])).isCloseTo(1.0, Offset.offset(1e-12));
    }

    @Test
    void evaluateMeasuresAModelOnOtherRows() throws IOException {
        Path rows = TaskRows.write(dir.resolve("rows.parquet"), 300);
        Path model = run(Builtin.LINEAR_REGRESSION, TaskInput.of(rows, REGRESS), "model").output();
        Path flat = days("(1, 'd', 4.0, 10, 5000), (2, 'e', 4.0, 20, 6000)", "flat.parquet");

        ComputeResult onTraining = run(Builtin.EVALUATE, TaskInput.of(rows, "{}").withModel(model), "a");
        ComputeResult onFlat = run(Builtin.EVALUATE, TaskInput.of(flat, "{}").withModel(model), "b");

        // Evaluating on the training rows repeats what training reported.
        assertThat(Files.readString(onTraining.output().resolve("metrics.json")))
                .isEqualTo(Files.readString(model.resolve("metrics.json")));
        JsonNode metrics = json(onFlat.output().resolve("metrics.json"));
        assertThat(metrics.path("rows").asInt()).isEqualTo(2);
        assertThat(metrics.path("r2").isNull()).as("R2 is undefined when every label is the same").isTrue();
    }
}
