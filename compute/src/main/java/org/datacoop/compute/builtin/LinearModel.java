package org.datacoop.compute.builtin;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.datacoop.compute.ComputeException;
import org.datacoop.compute.ComputeException.Reason;

/**
 * A trained linear model in DataCoop's own portable form, {@code model.json} (never Java serialization,
 * so reading one from a requester runs no code of theirs):
 * <pre>
 * {"format":"datacoop-linear-model/v1",
 *  "algorithm":"builtin:logistic-regression/v1",          or builtin:linear-regression/v1
 *  "features":["distance_km","active_minutes"],
 *  "label":{"column":"steps","above":8000},               or "steps"
 *  "outputs":[{"name":"false","weights":[-0.5,0.25],"bias":0.125},
 *             {"name":"true","weights":[0.5,-0.25],"bias":-0.125}]}
 * </pre>
 * One output per class (sorted by name) for a classifier, whose scores a softmax turns into
 * probabilities; one output, named after the label column, for a regression. {@code weights[i]}
 * belongs to {@code features[i]}. Every number is written as the shortest decimal that reads back as
 * exactly the same double ({@link Double#toString(double)}), so a model read back predicts bit for bit
 * as the one written. The file is compact JSON, fields in this order, ending with a newline.
 */
public record LinearModel(Builtin algorithm, List<String> features, Label label, List<Output> outputs) {
    public static final String FORMAT = "datacoop-linear-model/v1";
    public static final String FILE = "model.json";
    /** The largest model file read: a linear model is a few numbers per feature. */
    static final long MAX_BYTES = 16L << 20;

    /** One output's weights, one per feature, and its bias. */
    public record Output(String name, double[] weights, double bias) {
        public Output {
            weights = weights.clone();
        }

        @Override
        public double[] weights() {
            return weights.clone();
        }

        /** {@code bias + sum(weights[i] * x[i])}, summed in feature order. */
        double score(double[] x) {
            double sum = bias;
            for (int i = 0; i < weights.length; i++) {
                sum += weights[i] * x[i];
            }
            return sum;
        }
    }

    public LinearModel {
        features = List.copyOf(features);
        outputs = List.copyOf(outputs);
        if (algorithm != Builtin.LOGISTIC_REGRESSION && algorithm != Builtin.LINEAR_REGRESSION) {
            throw new IllegalArgumentException(algorithm.descriptor() + " does not make a linear model");
        }
        for (Output output : outputs) {
            if (output.weights.length != features.size()) {
                throw new IllegalArgumentException("output " + output.name() + " has " + output.weights.length
                        + " weights for " + features.size() + " features");
            }
        }
    }

    public boolean classifier() {
        return algorithm == Builtin.LOGISTIC_REGRESSION;
    }

    /**
     * A classifier's class probabilities for {@code x} (softmax of the outputs' scores, in output
     * order, with {@link StrictMath} so every machine gets the same bits); a regression's one prediction.
     */
    public double[] predict(double[] x) {
        double[] scores = outputs.stream().mapToDouble(output -> output.score(x)).toArray();
        if (!classifier()) {
            return scores;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double score : scores) {
            max = Math.max(max, score);
        }
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = StrictMath.exp(scores[i] - max);
            total += scores[i];
        }
        for (int i = 0; i < scores.length; i++) {
            scores[i] /= total;
        }
        return scores;
    }

    /** The canonical bytes of {@code model.json}. */
    public byte[] toJson() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = new JsonFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("format", FORMAT);
            json.writeStringField("algorithm", algorithm.descriptor());
            json.writeArrayFieldStart("features");
            for (String feature : features) {
                json.writeString(feature);
            }
            json.writeEndArray();
            json.writeFieldName("label");
            label.write(json);
            json.writeArrayFieldStart("outputs");
            for (Output output : outputs) {
                json.writeStartObject();
                json.writeStringField("name", output.name());
                json.writeArrayFieldStart("weights");
                for (double weight : output.weights) {
                    json.writeNumber(Double.toString(weight));
                }
                json.writeEndArray();
                json.writeFieldName("bias");
                json.writeNumber(Double.toString(output.bias()));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }

    public void write(Path dir) {
        try {
            Files.write(dir.resolve(FILE), toJson());
        } catch (IOException e) {
            throw new ComputeException(Reason.UNAVAILABLE, "cannot write " + FILE + ": " + e.getMessage(), e);
        }
    }

    /** The model in {@code dir}/model.json; fails naming what is wrong with it. */
    public static LinearModel read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            if (!Files.isRegularFile(file)) {
                throw new ComputeException(Reason.INVALID_MODEL, "the task's model has no " + FILE);
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new ComputeException(Reason.INVALID_MODEL, "the model's " + FILE + " is over its 16 MiB limit");
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ComputeException(Reason.INVALID_MODEL, "cannot read the model's " + FILE + ": " + e.getMessage(), e);
        }
    }

    /** The model {@code text} describes; fails naming the field that is wrong. */
    public static LinearModel parse(String text) {
        Reason bad = Reason.INVALID_MODEL;
        JsonNode model = StrictJson.object(text, "the model", bad);
        StrictJson.onlyFields(model, "the model", bad, "format", "algorithm", "features", "label", "outputs");
        if (!FORMAT.equals(model.path("format").asText(null))) {
            throw new ComputeException(bad, "the model's format is " + model.path("format") + ", not \"" + FORMAT + "\"");
        }
        String descriptor = model.path("algorithm").asText("");
        Builtin algorithm = Builtin.byDescriptor(descriptor)
                .filter(builtin -> builtin == Builtin.LOGISTIC_REGRESSION || builtin == Builtin.LINEAR_REGRESSION)
                .orElseThrow(() -> new ComputeException(bad, "the model is for algorithm " + model.path("algorithm")
                        + ", not one whose models can be applied (" + Builtin.LOGISTIC_REGRESSION.descriptor() + ", "
                        + Builtin.LINEAR_REGRESSION.descriptor() + ")"));
        List<String> features = StrictJson.names(model.path("features"), "the model's features", bad);
        if (features.isEmpty()) {
            throw new ComputeException(bad, "the model names no features");
        }
        Label label = Label.parse(model.path("label"), "the model's label", bad);
        if (label instanceof Label.Above && algorithm == Builtin.LINEAR_REGRESSION) {
            throw new ComputeException(bad, "a linear regression model cannot have a threshold label");
        }
        JsonNode outputs = model.path("outputs");
        if (!outputs.isArray() || outputs.isEmpty()) {
            throw new ComputeException(bad, "the model's outputs must be a non-empty list");
        }
        int expected = algorithm == Builtin.LINEAR_REGRESSION ? 1 : outputs.size();
        if (outputs.size() != expected || (algorithm == Builtin.LOGISTIC_REGRESSION && outputs.size() < 2)) {
            throw new ComputeException(bad, "the model has " + outputs.size() + " outputs; a "
                    + (algorithm == Builtin.LINEAR_REGRESSION ? "regression has one" : "classifier has one per class, at least two"));
        }
        List<Output> parsed = new ArrayList<>();
        for (JsonNode output : outputs) {
            StrictJson.onlyFields(output, "a model output", bad, "name", "weights", "bias");
            String name = output.path("name").asText("");
            if (!output.path("name").isTextual() || name.isEmpty() || parsed.stream().anyMatch(o -> o.name().equals(name))) {
                throw new ComputeException(bad, "every model output needs a distinct name, not " + output.path("name"));
            }
            JsonNode weights = output.path("weights");
            if (!weights.isArray() || weights.size() != features.size()) {
                throw new ComputeException(bad, "output '" + name + "' must have one weight per feature (" + features.size() + ")");
            }
            double[] values = new double[features.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = finite(weights.get(i), "output '" + name + "' weight " + i);
            }
            parsed.add(new Output(name, values, finite(output.path("bias"), "output '" + name + "' bias")));
        }
        return new LinearModel(algorithm, features, label, parsed);
    }

    private static double finite(JsonNode node, String what) {
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
            throw new ComputeException(Reason.INVALID_MODEL, "the model's " + what + " must be a finite number, not " + node);
        }
        return node.doubleValue();
    }
}
