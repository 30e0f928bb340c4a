package org.datacoop.compute.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.datacoop.compute.ComputeException;
import org.datacoop.compute.ComputeException.Reason;

/**
 * A training task's params, in JSON:
 * <pre>
 * {"features": ["distance_km", "active_minutes"],        required: numeric columns
 *  "label": "steps" | {"column": "steps", "above": 8000}, required (a threshold only for a classifier)
 *  "epochs": 5, "learningRate": 0.1, "seed": 1, "minibatch": 1}   optional, these defaults
 * </pre>
 * Training runs AdaGrad SGD (Tribuo's default optimiser for linear models) over the rows in their total
 * order, shuffled each epoch by a generator seeded with {@code seed}.
 */
public record TrainingParams(List<String> features, Label label, int epochs, double learningRate, long seed, int minibatch) {
    public static final int MAX_EPOCHS = 1_000;
    public static final int MAX_MINIBATCH = 100_000;
    public static final double MAX_LEARNING_RATE = 100;

    public TrainingParams {
        features = List.copyOf(features);
        if (features.isEmpty()) {
            throw new ComputeException(Reason.INVALID_PARAMS, "features must name at least one column");
        }
        if (features.contains(label.column())) {
            throw new ComputeException(Reason.INVALID_PARAMS, "label column '" + label.column() + "' is also a feature");
        }
        if (epochs < 1 || epochs > MAX_EPOCHS) {
            throw new ComputeException(Reason.INVALID_PARAMS, "epochs is " + epochs + "; it must be between 1 and " + MAX_EPOCHS);
        }
        if (!(learningRate > 0 && learningRate <= MAX_LEARNING_RATE)) {
            throw new ComputeException(Reason.INVALID_PARAMS, "learningRate is " + learningRate
                    + "; it must be above 0 and at most " + MAX_LEARNING_RATE);
        }
        if (minibatch < 1 || minibatch > MAX_MINIBATCH) {
            throw new ComputeException(Reason.INVALID_PARAMS, "minibatch is " + minibatch + "; it must be between 1 and " + MAX_MINIBATCH);
        }
    }

    /** The params in {@code json}; fails naming the field that is missing, unknown or out of bounds. */
    public static TrainingParams parse(String json) {
        JsonNode params = StrictJson.object(json, "the params", Reason.INVALID_PARAMS);
        StrictJson.onlyFields(params, "the params", Reason.INVALID_PARAMS, "features", "label", "epochs", "learningRate", "seed", "minibatch");
        if (params.path("features").isMissingNode()) {
            throw new ComputeException(Reason.INVALID_PARAMS, "the params need features: the list of numeric columns to learn from");
        }
        if (params.path("label").isMissingNode()) {
            throw new ComputeException(Reason.INVALID_PARAMS, "the params need label: the column to predict, or {\"column\": NAME, \"above\": NUMBER}");
        }
        JsonNode rate = params.path("learningRate");
        if (!rate.isMissingNode() && !rate.isNumber()) {
            throw new ComputeException(Reason.INVALID_PARAMS, "learningRate must be a number, not " + rate);
        }
        return new TrainingParams(
                StrictJson.names(params.path("features"), "features", Reason.INVALID_PARAMS),
                Label.parse(params.path("label"), "label", Reason.INVALID_PARAMS),
                (int) StrictJson.whole(params, "epochs", 1, MAX_EPOCHS, 5, Reason.INVALID_PARAMS),
                rate.isMissingNode() ? 0.1 : rate.doubleValue(),
                StrictJson.whole(params, "seed", Long.MIN_VALUE, Long.MAX_VALUE, 1, Reason.INVALID_PARAMS),
                (int) StrictJson.whole(params, "minibatch", 1, MAX_MINIBATCH, 1, Reason.INVALID_PARAMS));
    }
}
