package org.datacoop.compute.builtin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.datacoop.compute.ComputeException;
import org.datacoop.compute.ComputeException.Reason;
import org.datacoop.compute.TaskInput;
import org.datacoop.compute.data.Rows;
import org.datacoop.compute.data.Selection;
import org.datacoop.protocol.Sha256;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.sgd.AbstractLinearSGDModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * Trains the built-in linear models with Tribuo's SGD: one thread, a fresh trainer seeded with the
 * params' seed for every run, the rows in their total order, so the same task gives the same
 * weights bit for bit. Features are used as they are (no scaling).
 */
public final class Training {
    /** Tribuo's default AdaGrad initial accumulator value. */
    private static final double ADAGRAD_EPSILON = 0.1;
    /** Tells Tribuo's trainer not to log progress. */
    private static final int NO_LOGGING = -1;
    /**
     * Tribuo logs every training's size and label counts at INFO: figures from decrypted rows, which
     * stay out of the node's log. Held here, as java.util.logging forgets the level of a logger no
     * one references.
     */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(Level.WARNING);
    }

    /** The most epochs a training's trace commits (see {@link #checkpoints}). */
    public static final int MAX_CHECKPOINTS = 16;

    private Training() {}

    /**
     * The commitments of a training task's models along the way, for its trace
     * ({@link org.datacoop.compute.trace.Traces}): the SHA-256 of {@code model.json} as trained for
     * epochs 1, 2, ... up to the task's epochs, or, past {@link #MAX_CHECKPOINTS} epochs, for that many
     * evenly spaced ones ending at the last (each is a training from scratch, so they cost their sum).
     * Tribuo trains in one call with no hook between epochs: a checkpoint is a shorter training from the
     * same seed, which is what a referee re-executes for that step.
     */
    public static List<byte[]> checkpoints(Builtin algorithm, TaskInput input) {
        if (!algorithm.trains()) {
            throw new IllegalArgumentException(algorithm.descriptor() + " trains nothing; its trace has no checkpoints");
        }
        TrainingParams params = TrainingParams.parse(input.params());
        Labels rows = read(algorithm, input.rows(), params);
        int count = Math.min(params.epochs(), MAX_CHECKPOINTS);
        List<byte[]> states = new ArrayList<>(count);
        for (int k = 1; k <= count; k++) {
            int epochs = (int) Math.ceilDiv((long) params.epochs() * k, count);
            TrainingParams shorter = new TrainingParams(params.features(), params.label(), epochs, params.learningRate(),
                    params.seed(), params.minibatch());
            states.add(Sha256.of(train(algorithm, rows, shorter).toJson()));
        }
        return states;
    }

    /**
     * Trains a logistic regression over the rows in {@code parquet} with {@code params} (see
     * {@link TrainingParams}): the whole path a training task takes, for benchmarks to time.
     */
    public static LinearModel logisticRegression(Path parquet, String params) {
        return train(Builtin.LOGISTIC_REGRESSION, parquet, TrainingParams.parse(params));
    }

    /** Trains a linear regression over the rows in {@code parquet} with {@code params}. */
    public static LinearModel linearRegression(Path parquet, String params) {
        return train(Builtin.LINEAR_REGRESSION, parquet, TrainingParams.parse(params));
    }

    static LinearModel train(Builtin algorithm, Path parquet, TrainingParams params) {
        return train(algorithm, read(algorithm, parquet, params), params);
    }

    /** The rows a training reads from {@code parquet}, in their total order. */
    static Labels read(Builtin algorithm, Path parquet, TrainingParams params) {
        Selection selection = Selection.of(parquet);
        params.features().forEach(feature -> selection.requireNumeric(feature, "feature"));
        return Labels.read(selection, params.features(), params.label(), algorithm == Builtin.LOGISTIC_REGRESSION);
    }

    /** Trains over rows already read ({@link #read}): the metrics of a training task are measured on the same ones. */
    static LinearModel train(Builtin algorithm, Labels labels, TrainingParams params) {
        boolean classifier = algorithm == Builtin.LOGISTIC_REGRESSION;
        Rows rows = labels.rows();
        String[] names = params.features().toArray(String[]::new);
        double[][] columns = params.features().stream().map(rows::number).toArray(double[][]::new);
        AbstractLinearSGDModel<?> model;
        if (classifier) {
            TreeSet<String> classes = new TreeSet<>(labels.classes());
            if (classes.size() < 2) {
                // A failed task's reason is recorded on-chain in the clear: it names no value of the rows.
                throw new ComputeException(Reason.INVALID_DATA, "label '" + params.label().column()
                        + "' has a single class in the selection; a classifier needs at least two");
            }
            LabelFactory factory = new LabelFactory();
            MutableDataset<org.tribuo.classification.Label> data = dataset(factory);
            for (int row = 0; row < rows.count(); row++) {
                data.add(new ArrayExample<>(new org.tribuo.classification.Label(labels.classes().get(row)), names, features(columns, row)));
            }
            model = new org.tribuo.classification.sgd.linear.LinearSGDTrainer(new LogMulticlass(),
                    new AdaGrad(params.learningRate(), ADAGRAD_EPSILON), params.epochs(), NO_LOGGING, params.minibatch(), params.seed())
                    .train(data);
        } else {
            if (params.label() instanceof Label.Above) {
                throw new ComputeException(Reason.INVALID_PARAMS, "label must be a numeric column for a regression, not a threshold");
            }
            String label = params.label().column();
            RegressionFactory factory = new RegressionFactory();
            MutableDataset<Regressor> data = dataset(factory);
            for (int row = 0; row < rows.count(); row++) {
                data.add(new ArrayExample<>(new Regressor(label, labels.values()[row]), names, features(columns, row)));
            }
            model = new org.tribuo.regression.sgd.linear.LinearSGDTrainer(new SquaredLoss(),
                    new AdaGrad(params.learningRate(), ADAGRAD_EPSILON), params.epochs(), NO_LOGGING, params.minibatch(), params.seed())
                    .train(data);
        }
        return new LinearModel(algorithm, params.features(), params.label(), outputs(model, params.features(), classifier));
    }

    private static <T extends Output<T>> MutableDataset<T> dataset(OutputFactory<T> factory) {
        return new MutableDataset<>(new SimpleDataSourceProvenance("task rows", factory), factory);
    }

    private static double[] features(double[][] columns, int row) {
        double[] values = new double[columns.length];
        for (int i = 0; i < columns.length; i++) {
            values[i] = columns[i][row];
        }
        return values;
    }

    /**
     * The weights Tribuo learnt, as one output per class sorted by name (or the one regression
     * output). Tribuo keeps them as a matrix of outputs by feature ids with the bias last, and has no
     * id for a feature that was zero in every row: its weight is 0.
     */
    private static List<LinearModel.Output> outputs(AbstractLinearSGDModel<?> model, List<String> features, boolean classifier) {
        DenseMatrix weights = model.getWeightsCopy();
        ImmutableFeatureMap featureIds = model.getFeatureIDMap();
        ImmutableOutputInfo<?> outputIds = model.getOutputIDInfo();
        int bias = weights.getDimension2Size() - 1;
        List<LinearModel.Output> outputs = new ArrayList<>();
        for (int id = 0; id < weights.getDimension1Size(); id++) {
            Output<?> output = outputIds.getOutput(id);
            String name = classifier ? ((org.tribuo.classification.Label) output).getLabel() : ((Regressor) output).getNames()[0];
            double[] values = new double[features.size()];
            for (int i = 0; i < values.length; i++) {
                int feature = featureIds.getID(features.get(i));
                values[i] = feature < 0 ? 0 : weights.get(id, feature);
                finite(values[i]);
            }
            finite(weights.get(id, bias));
            outputs.add(new LinearModel.Output(name, values, weights.get(id, bias)));
        }
        outputs.sort((a, b) -> a.name().compareTo(b.name()));
        return outputs;
    }

    private static void finite(double weight) {
        if (!Double.isFinite(weight)) {
            throw new ComputeException(Reason.ALGORITHM_FAILED, "training diverged (a weight is not finite); lower learningRate");
        }
    }
}
