package org.datacoop.compute.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.datacoop.compute.ComputeException;
import org.datacoop.compute.ComputeException.Reason;
import org.datacoop.compute.TaskInput;
import org.datacoop.compute.data.Rows;
import org.datacoop.compute.data.Selection;

/**
 * Applies a model to a task's rows, writing {@code predictions.csv} (RFC 4180, {@code \n} line ends):
 * <pre>
 * row,date,prediction,probability:false,probability:true
 * 1,2026-01-02,true,0.12,0.88
 * </pre>
 * {@code row} is the row's place (from 1) in the total order; then the params' {@code key} columns,
 * copied so a requester can tell the rows apart ({@code {"key": ["date"]}}, none by default: the rows
 * themselves stay in the enclave); then the predicted class and each class's probability for a
 * classifier, or the predicted value for a regression. Numbers are {@link Double#toString(double)}.
 */
public final class Prediction {
    public static final String FILE = "predictions.csv";

    private Prediction() {}

    static void run(LinearModel model, TaskInput input, Path output) {
        JsonNode params = StrictJson.object(input.params(), "the params", Reason.INVALID_PARAMS);
        StrictJson.onlyFields(params, "the params", Reason.INVALID_PARAMS, "key");
        List<String> key = params.has("key") ? StrictJson.names(params.path("key"), "key", Reason.INVALID_PARAMS) : List.of();
        Selection selection = Selection.of(input.rows());
        model.features().forEach(feature -> Evaluation.requireModelFeature(selection, feature));
        key.forEach(column -> selection.requireColumn(column, "key"));
        Rows rows = selection.read(model.features(), key);
        double[][] columns = model.features().stream().map(rows::number).toArray(double[][]::new);
        List<String> header = new ArrayList<>(List.of("row"));
        header.addAll(key);
        header.add("prediction");
        model.outputs().forEach(out -> {
            if (model.classifier()) {
                header.add("probability:" + out.name());
            }
        });
        double[] x = new double[columns.length];
        try (BufferedWriter csv = Files.newBufferedWriter(output.resolve(FILE), StandardCharsets.UTF_8)) {
            line(csv, header);
            for (int row = 0; row < rows.count(); row++) {
                Evaluation.fill(x, columns, row);
                double[] predicted = model.predict(x);
                List<String> fields = new ArrayList<>(List.of(Integer.toString(row + 1)));
                for (String column : key) {
                    fields.add(rows.text(column).get(row));
                }
                if (model.classifier()) {
                    fields.add(model.outputs().get(Evaluation.argmax(predicted)).name());
                    for (double p : predicted) {
                        fields.add(Double.toString(p));
                    }
                } else {
                    fields.add(Double.toString(predicted[0]));
                }
                line(csv, fields);
            }
        } catch (IOException e) {
            throw new ComputeException(Reason.UNAVAILABLE, "cannot write " + FILE + ": " + e.getMessage(), e);
        }
    }

    private static void line(BufferedWriter csv, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                csv.write(',');
            }
            String field = fields.get(i);
            boolean quote = field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r");
            csv.write(quote ? '"' + field.replace("\"", "\"\"") + '"' : field);
        }
        csv.write('\n');
    }
}
