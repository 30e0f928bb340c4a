package org.datacoop.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.datacoop.chain.QueryRequestDigest;
import org.datacoop.chain.ReadsDocument;
import org.datacoop.chain.TaskReport;
import org.datacoop.chain.TaskSpec;
import org.datacoop.chain.Wallet;
import org.datacoop.compute.Compute;
import org.datacoop.compute.ComputeResult;
import org.datacoop.compute.ResultBundle;
import org.datacoop.compute.TaskInput;
import org.datacoop.compute.builtin.Builtin;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.protocol.query.QueryPermission;
import org.datacoop.protocol.query.RowsRead;
import org.datacoop.query.engine.PermissionCheck;
import org.datacoop.query.engine.QueryPlan;
import org.datacoop.query.engine.QueryPlanner;
import org.datacoop.query.engine.QueryResult;
import org.datacoop.query.engine.RefinedStore;
import org.datacoop.sandbox.Trees;
import org.datacoop.worker.SelectedRows;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * A training task through the worker's whole path against the same Tribuo training run directly in
 * one JVM, in the same run, over the query benchmark's 1,000,000 refined rows in 1,000 files loaded
 * into the production {@link RefinedStore}. The worker's path, timed whole: open the spec sealed to
 * the worker's key and check its hashes, plan the task's SQL and check it against the task's
 * permissions, select the rows with DuckDB and the rows-read lineage, write them as the Parquet the
 * algorithm reads, train the built-in logistic regression (which orders the rows totally first),
 * bundle the output and encrypt it to the requester, write the leaves document, and encode, hash and
 * sign the attestation report. Chain calls (reading the task, the proof transaction) and storage
 * uploads are round trips, not compute work, and are left out. The peer reads the same two columns
 * from plain DuckDB through JDBC, trains Tribuo's logistic regression with the same trainer, epochs,
 * learning rate, minibatch and seed, and measures its accuracy and log-loss on the same rows (a
 * training task's output: the weights and those metrics). Prints each side's median of interleaved rounds and their
 * ratio.
 *
 * <p>Usage: {@code ComputeBenchmark [--files N] [--rounds N] [--json]}. Progress goes to stderr.
 */
public final class ComputeBenchmark {
    private static final String SQL = "SELECT distance_km, steps FROM daily_steps";
    private static final int EPOCHS = 2;
    private static final long SEED = 7;
    private static final String PARAMS = "{\"features\": [\"distance_km\"], \"label\": {\"column\": \"steps\", \"above\": 8000},"
            + " \"epochs\": " + EPOCHS + ", \"seed\": " + SEED + "}";
    private static final String TASK_ID = "0x" + "ab".repeat(32);
    /** The worker path's stages, timed in each round. */
    private static final List<String> STAGES = List.of("spec", "plan and permissions", "select (DuckDB, lineage)",
            "rows as Parquet", "train (incl. total order)", "bundle and encrypt", "leaves, report, signature");

    private ComputeBenchmark() {}

    public static void main(String[] args) throws Exception {
        boolean json = false;
        int files = 1_000;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--help", "-h" -> {
                    System.out.println("usage: coop bench compute [--files N] [--rounds N] [--json]   (default 1000 files"
                            + " of 1000 rows, 3 rounds)");
                    return;
                }
                default -> {
                    System.err.println("unknown argument " + args[i] + "; usage: coop bench compute [--files N] [--rounds N] [--json]");
                    System.exit(2);
                }
            }
        }
        Logger.getLogger("org.tribuo").setLevel(Level.WARNING);
        Path dir = Files.createTempDirectory("coop-bench-compute");
        try {
            run(dir, files, rounds, json);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path dir, int files, int rounds, boolean json) throws Exception {
        progress("writing %d refined files of %d rows ...", files, RefinedRows.ROWS_PER_FILE);
        RefinedRows refined = RefinedRows.write(dir, files);
        Wallet worker = Wallet.create();
        Wallet requester = Wallet.create();
        List<QueryPermission> permissions = List.of(new QueryPermission(1, requester.address(), RefinedRows.REFINER_ID,
                "daily_steps", "", BigInteger.TEN.pow(15), Address.ZERO, true, false));
        TaskSpec spec = new TaskSpec(RefinedRows.DLP_ID, SQL, Builtin.LOGISTIC_REGRESSION.descriptor(), PARAMS,
                requester.publicKey(), Optional.empty());
        String sealedSpec = new KeyWrapping().wrapEcies(spec.toJson(), worker.publicKey());

        try (RefinedStore store = new RefinedStore(refined.loadDir());
                Connection peer = DriverManager.getConnection("jdbc:duckdb:")) {
            progress("loading them into the RefinedStore and into plain DuckDB ...");
            refined.loadInto(store);
            long rows = refined.loadInto(peer);
            double[] ours = new double[rounds];
            double[] theirs = new double[rounds];
            double[] ratios = new double[rounds];
            double[][] stages = new double[STAGES.size()][rounds];
            long rowsRead = 0;
            for (int round = -1; round < rounds; round++) { // round 0 warms both paths up
                double[] stageSeconds = new double[STAGES.size()];
                long start = System.nanoTime();
                rowsRead = workerPath(store, dir, worker, requester, sealedSpec, spec, permissions, stageSeconds);
                double oursSeconds = seconds(start);
                start = System.nanoTime();
                tribuoDirectly(peer);
                double peerSeconds = seconds(start);
                progress("round %d: worker path %.2f s, Tribuo directly %.2f s; stages %s", round + 1, oursSeconds, peerSeconds,
                        Arrays.toString(Arrays.stream(stageSeconds).map(ComputeBenchmark::round).toArray()));
                if (round >= 0) {
                    ours[round] = oursSeconds;
                    theirs[round] = peerSeconds;
                    ratios[round] = oursSeconds / peerSeconds;
                    for (int i = 0; i < STAGES.size(); i++) {
                        stages[i][round] = stageSeconds[i];
                    }
                }
            }
            if (rowsRead != rows) {
                throw new IllegalStateException("the task read " + rowsRead + " rows, not all " + rows);
            }
            // Each round's two runs are back to back, so their ratio shares the machine's load of the moment.
            double ratio = median(ratios);
            if (json) {
                StringBuilder stageJson = new StringBuilder();
                for (int i = 0; i < STAGES.size(); i++) {
                    stageJson.append(i == 0 ? "" : ", ").append('"').append(STAGES.get(i)).append("\": ")
                            .append(round(median(stages[i])));
                }
                System.out.printf("{\"rows\": %d, \"files\": %d, \"epochs\": %d, \"rounds\": %d, \"workerPathSeconds\": %.3f,"
                        + " \"tribuoSeconds\": %.3f, \"ratio\": %.3f, \"stageSeconds\": {%s}, \"heapPeakMiB\": %d}%n", rows,
                        files, EPOCHS, rounds, median(ours), median(theirs), ratio, stageJson, heapPeak() >> 20);
            } else {
                System.out.printf("training task, logistic regression over %,d rows in %,d files, %d epochs, median of %d rounds%n",
                        rows, files, EPOCHS, rounds);
                System.out.printf("  worker's whole path        %8.2f s%n", median(ours));
                for (int i = 0; i < STAGES.size(); i++) {
                    System.out.printf("    %-26s %6.2f s%n", STAGES.get(i), median(stages[i]));
                }
                System.out.printf("  Tribuo directly, one JVM   %8.2f s%n", median(theirs));
                System.out.printf("  ratio                      %8.2f  (median of each round's worker path / Tribuo)%n", ratio);
                System.out.printf("  heap peak                  %8d MiB%n", heapPeak() >> 20);
            }
        }
    }

    /** Everything the worker does for a task between reading it on-chain and sending its proof; returns the rows read. */
    private static long workerPath(RefinedStore store, Path dir, Wallet worker, Wallet requester, String sealedSpec,
            TaskSpec expected, List<QueryPermission> permissions, double[] stageSeconds) throws Exception {
        long start = System.nanoTime();
        TaskSpec spec = TaskSpec.parse(worker.unwrapEcies(sealedSpec));
        if (!spec.sqlHash().equals(QueryRequestDigest.sqlHash(expected.dlpId(), expected.sql()))
                || !spec.paramsHash().equals(expected.paramsHash())) {
            throw new IllegalStateException("the spec does not match the task");
        }
        start = lap(stageSeconds, 0, start);
        QueryPlan plan = new QueryPlanner(store).plan(spec.sql(), spec.dlpId(), dataDao -> 0);
        PermissionCheck.choose(plan, requester.address(), refiner -> permissions);
        start = lap(stageSeconds, 1, start);
        QueryResult result = store.run(plan, 2_000_000);
        start = lap(stageSeconds, 2, start);
        Path workspace = Files.createTempDirectory(dir, "task-");
        try {
            Path parquet = SelectedRows.write(result, Files.createDirectories(workspace.resolve("input")).resolve("rows.parquet"));
            start = lap(stageSeconds, 3, start);
            ComputeResult computed = Compute.run(Builtin.LOGISTIC_REGRESSION, TaskInput.of(parquet, spec.params()),
                    workspace.resolve("output"));
            start = lap(stageSeconds, 4, start);
            String output = new KeyWrapping().wrapEcies(ResultBundle.of(computed.output()), spec.requesterPublicKey());
            start = lap(stageSeconds, 5, start);
            List<RowsRead> reads = result.rowsRead();
            byte[] leaves = new ReadsDocument(TASK_ID, reads).toJson();
            TaskReport report = new TaskReport(TASK_ID, "0x" + "00".repeat(32), Builtin.LOGISTIC_REGRESSION.digest().toString(),
                    spec.paramsHash(), computed.resultHashHex(), "software", "0x" + "00".repeat(32), 1_750_000_000L, reads,
                    "http://127.0.0.1/leaves", "http://127.0.0.1/output");
            worker.signDigest(report.hash()); // as the worker signs the EIP-712 digest over it
            lap(stageSeconds, 6, start);
            if (output.isEmpty() || leaves.length == 0) {
                throw new IllegalStateException("nothing was produced");
            }
            return reads.stream().mapToLong(RowsRead::totalRows).sum();
        } finally {
            Trees.delete(workspace);
        }
    }

    /**
     * The same training with Tribuo alone: the two columns read through JDBC, the same trainer, then
     * the model's accuracy and log-loss on the same rows, as a training task reports them.
     */
    private static void tribuoDirectly(Connection peer) throws Exception {
        LabelFactory factory = new LabelFactory();
        List<Example<Label>> examples = new ArrayList<>();
        String[] names = {"distance_km"};
        try (Statement sql = peer.createStatement(); ResultSet rs = sql.executeQuery(SQL)) {
            while (rs.next()) {
                examples.add(new ArrayExample<>(new Label(rs.getLong(2) > 8000 ? "true" : "false"), names,
                        new double[] {rs.getDouble(1)}));
            }
        }
        MutableDataset<Label> data = new MutableDataset<>(new ListDataSource<>(examples, factory,
                new SimpleDataSourceProvenance("peer rows", factory)));
        Model<Label> model = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), EPOCHS, -1, 1, SEED).train(data);
        int correct = 0;
        double loss = 0;
        for (Prediction<Label> prediction : model.predict(data)) {
            String actual = prediction.getExample().getOutput().getLabel();
            correct += prediction.getOutput().getLabel().equals(actual) ? 1 : 0;
            loss -= Math.log(Math.max(prediction.getOutputScores().get(actual).getScore(), 1e-15));
        }
        if (correct < 0 || Double.isNaN(loss)) {
            throw new IllegalStateException("the peer's metrics are not numbers");
        }
    }

    private static long lap(double[] stageSeconds, int stage, long start) {
        long now = System.nanoTime();
        stageSeconds[stage] = (now - start) / 1e9;
        return now;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static long heapPeak() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    private static void progress(String format, Object... args) {
        System.err.println(String.format(format, args));
    }
}
