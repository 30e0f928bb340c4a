package org.datacoop.compute.builtin;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.datacoop.compute.Algorithm;
import org.datacoop.compute.AlgorithmDigest;
import org.datacoop.compute.ComputeException;
import org.datacoop.compute.ComputeException.Reason;
import org.datacoop.compute.TaskInput;

/**
 * The algorithms every node has. Each is named by a descriptor, {@code builtin:NAME/v1}, and pinned by
 * the SHA-256 of that descriptor's UTF-8 bytes; a change to what one computes is a new version, so a
 * DataDAO's allowlist never silently covers new behaviour.
 * <ul>
 * <li>{@code logistic-regression}: trains a classifier ({@link TrainingParams}); writes {@code model.json}
 *     ({@link LinearModel}) and {@code metrics.json} (its accuracy and log-loss on the training rows).
 * <li>{@code linear-regression}: trains a regression; writes {@code model.json} and {@code metrics.json}
 *     (RMSE and R2 on the training rows).
 * <li>{@code predict}: applies the task's model to its rows; writes {@code predictions.csv} ({@link Prediction}).
 * <li>{@code evaluate}: measures the task's model on its rows; writes {@code metrics.json} ({@link Evaluation}).
 * </ul>
 */
public enum Builtin implements Algorithm {
    LOGISTIC_REGRESSION("logistic-regression"),
    LINEAR_REGRESSION("linear-regression"),
    PREDICT("predict"),
    EVALUATE("evaluate");

    private final String name;
    private final String descriptor;
    private final AlgorithmDigest digest;

    Builtin(String name) {
        this.name = name;
        this.descriptor = "builtin:" + name + "/v1";
        this.digest = AlgorithmDigest.ofDescriptor(descriptor);
    }

    /** Its short name, as a requester writes it: {@code logistic-regression}. */
    public String shortName() {
        return name;
    }

    /** What its digest is the hash of: {@code builtin:logistic-regression/v1}. */
    public String descriptor() {
        return descriptor;
    }

    /**
     * Whether a task running {@code algorithm} (a built-in's descriptor, or a program's digest) may train
     * a model: every algorithm but a built-in that only applies one. A program may do anything.
     */
    public static boolean mayTrain(String algorithm) {
        return byDescriptor(algorithm).map(Builtin::trains).orElse(true);
    }

    /** Whether it trains a model ({@link Training}), rather than apply one. */
    public boolean trains() {
        return this == LOGISTIC_REGRESSION || this == LINEAR_REGRESSION;
    }

    @Override
    public AlgorithmDigest digest() {
        return digest;
    }

    @Override
    public String describe() {
        return descriptor;
    }

    /** The built-in a requester names, by its short name or its descriptor. */
    public static Optional<Builtin> byName(String name) {
        return Arrays.stream(values()).filter(b -> b.name.equals(name) || b.descriptor.equals(name)).findFirst();
    }

    public static Optional<Builtin> byDescriptor(String descriptor) {
        return Arrays.stream(values()).filter(b -> b.descriptor.equals(descriptor)).findFirst();
    }

    public static Optional<Builtin> byDigest(AlgorithmDigest digest) {
        return Arrays.stream(values()).filter(b -> b.digest.equals(digest)).findFirst();
    }

    @Override
    public void run(TaskInput input, Path output) {
        switch (this) {
            case LOGISTIC_REGRESSION, LINEAR_REGRESSION -> {
                if (input.model().isPresent()) {
                    throw new ComputeException(Reason.INVALID_PARAMS, descriptor + " trains a model; it takes none");
                }
                TrainingParams params = TrainingParams.parse(input.params());
                Labels rows = Training.read(this, input.rows(), params);
                LinearModel model = Training.train(this, rows, params);
                model.write(output);
                Evaluation.write(Evaluation.measure(model, rows), output);
            }
            case PREDICT -> Prediction.run(model(input), input, output);
            case EVALUATE -> {
                StrictJson.onlyFields(StrictJson.object(input.params(), "the params", Reason.INVALID_PARAMS),
                        "the params", Reason.INVALID_PARAMS);
                Evaluation.write(Evaluation.measure(model(input), input.rows()), output);
            }
        }
    }

    private LinearModel model(TaskInput input) {
        return LinearModel.read(input.model().orElseThrow(() -> new ComputeException(Reason.INVALID_MODEL,
                descriptor + " needs a model: the output of a " + LOGISTIC_REGRESSION.descriptor + " or "
                        + LINEAR_REGRESSION.descriptor + " task")));
    }
}
