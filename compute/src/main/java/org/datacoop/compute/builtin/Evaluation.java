package org.datacoop.compute.builtin;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.datacoop.compute.ComputeException;
import org.datacoop.compute.ComputeException.Reason;
import org.datacoop.compute.data.Selection;

/**
 * How well a model fits rows, written as {@code metrics.json} (compact, fields in this order, numbers
 * as {@link Double#toString(double)}):
 * <pre>
 * {"algorithm":"builtin:logistic-regression/v1","rows":120,"accuracy":0.95,"logLoss":0.17}
 * {"algorithm":"builtin:linear-regression/v1","rows":120,"rmse":3.2,"r2":0.91}
 * </pre>
 * Accuracy counts rows whose most probable class (the first by name on a tie) is their label; log-loss
 * is the mean of {@code -ln p}, {@code p} the probability given to the row's label, at least 1e-15
 * (a class the model never saw has probability 0). R2 is {@code null} when every label is the same.
 * Sums run in the rows' total order, with {@link StrictMath}.
 */
public final class Evaluation {
    public static final String FILE = "metrics.json";
    private static final double MIN_PROBABILITY = 1e-15;

    private Evaluation() {}

    /**
     * What {@code metrics.json} holds: {@code accuracy} and {@code logLoss} for a classifier,
     * {@code rmse} and {@code r2} for a regression (the others NaN, and not written); {@code r2} is
     * empty when undefined.
     */
    public record Metrics(String algorithm, int rows, double accuracy, double logLoss, double rmse, Optional<Double> r2) {}

    public static Metrics measure(LinearModel model, Path parquet) {
        Selection selection = Selection.of(parquet);
        model.features().forEach(feature -> requireModelFeature(selection, feature));
        return measure(model, Labels.read(selection, model.features(), model.label(), model.classifier()));
    }

    /** The metrics of {@code model} over rows already read (a training task's own). */
    static Metrics measure(LinearModel model, Labels labels) {
        int n = labels.rows().count();
        double[][] columns = model.features().stream().map(labels.rows()::number).toArray(double[][]::new);
        double[] x = new double[columns.length];
        if (model.classifier()) {
            List<String> classes = model.outputs().stream().map(LinearModel.Output::name).toList();
            int correct = 0;
            double loss = 0;
            for (int row = 0; row < n; row++) {
                fill(x, columns, row);
                double[] p = model.predict(x);
                String actual = labels.classes().get(row);
                if (classes.get(argmax(p)).equals(actual)) {
                    correct++;
                }
                int index = classes.indexOf(actual);
                loss -= StrictMath.log(Math.max(index < 0 ? 0 : p[index], MIN_PROBABILITY));
            }
            return new Metrics(model.algorithm().descriptor(), n, (double) correct / n, loss / n, Double.NaN, Optional.empty());
        }
        double[] y = labels.values();
        double mean = 0;
        for (double value : y) {
            mean += value;
        }
        mean /= n;
        double residuals = 0;
        double total = 0;
        for (int row = 0; row < n; row++) {
            fill(x, columns, row);
            double error = y[row] - model.predict(x)[0];
            residuals += error * error;
            total += (y[row] - mean) * (y[row] - mean);
        }
        Optional<Double> r2 = total == 0 ? Optional.empty() : Optional.of(1 - residuals / total);
        return new Metrics(model.algorithm().descriptor(), n, Double.NaN, Double.NaN, StrictMath.sqrt(residuals / n), r2);
    }

    /** A model's feature must be a numeric column of the rows it is applied to. */
    static void requireModelFeature(Selection selection, String feature) {
        if (!selection.columns().contains(feature)) {
            throw new ComputeException(Reason.INVALID_MODEL, "the model's feature '" + feature
                    + "' is not a column of the selection (its columns: " + String.join(", ", selection.columns()) + ")");
        }
        selection.requireNumeric(feature, "the model's feature");
    }

    static void fill(double[] x, double[][] columns, int row) {
        for (int i = 0; i < columns.length; i++) {
            x[i] = columns[i][row];
        }
    }

    /** The index of the largest value, the first on a tie. */
    static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    static void write(Metrics metrics, Path dir) {
        try (OutputStream out = Files.newOutputStream(dir.resolve(FILE));
                JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("algorithm", metrics.algorithm());
            json.writeNumberField("rows", metrics.rows());
            if (metrics.algorithm().equals(Builtin.LOGISTIC_REGRESSION.descriptor())) {
                number(json, "accuracy", metrics.accuracy());
                number(json, "logLoss", metrics.logLoss());
            } else {
                number(json, "rmse", metrics.rmse());
                json.writeFieldName("r2");
                if (metrics.r2().isPresent()) {
                    json.writeNumber(Double.toString(metrics.r2().get()));
                } else {
                    json.writeNull();
                }
            }
            json.writeEndObject();
            json.flush();
            out.write('\n');
        } catch (IOException e) {
            throw new ComputeException(Reason.UNAVAILABLE, "cannot write " + FILE + ": " + e.getMessage(), e);
        }
    }

    private static void number(JsonGenerator json, String field, double value) throws IOException {
        json.writeFieldName(field);
        json.writeNumber(Double.toString(value));
    }
}
