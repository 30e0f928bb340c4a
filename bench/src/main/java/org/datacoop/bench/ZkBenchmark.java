package org.datacoop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.datacoop.chain.devnet.Toolchain;
import org.datacoop.zk.AggregateProof;
import org.datacoop.zk.Circuits;

/**
 * The aggregate circuits against the same aggregate in plain Java, in one run. Per circuit (8 and 32
 * rows, full): its constraints, and per row; the median time to commit to the rows and to prove count,
 * sum, and count and sum of the rows at least a threshold (witness and Groth16 proof, in the node process
 * that serves the validator's calls, started and warmed before the rounds); plain Java's
 * median time for the same four aggregates over the same values; and the gas of verifying a proof
 * (forge's {@code contracts/test/gas/ZkGas.t.sol}, each call its own transaction).
 *
 * <p>Usage: {@code ZkBenchmark [--rounds N] [--json]}.
 */
public final class ZkBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int JAVA_REPEATS = 100_000;

    private ZkBenchmark() {}

    /** One circuit's figures; times in milliseconds, the Java aggregate's in microseconds. */
    record Row(int rows, long constraints, double commitMs, double proveMs, double javaMicros, long verifyGas) {
        double constraintsPerRow() {
            return (double) constraints / rows;
        }

        double proveOverJava() {
            return proveMs * 1_000 / javaMicros;
        }
    }

    public static void main(String[] args) throws Exception {
        boolean json = false;
        int rounds = 5;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--json")) {
                json = true;
            } else if (args[i].equals("--rounds") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: coop bench zk [--rounds N] [--json]");
                System.exit(2);
            }
        }
        Toolchain tools = Toolchain.discover();
        Circuits circuits = Circuits.at(tools.home());
        if (!circuits.built()) {
            throw new IllegalStateException("the circuits are not built: run ./coop build");
        }
        System.err.println("zk: compiling the circuits for their sizes ...");
        JsonNode sizes = constraints(tools.home(), Circuits.AGGREGATE_ROWS);
        System.err.println("zk: forge's gas tests ...");
        Map<String, Long> gas = GasBenchmark.measure(tools.tool("forge"), tools.home().resolve("contracts"))
                .snapshots().getOrDefault("ZkGas", Map.of());
        double nodeStart = time(() -> circuits.commitment(List.of(BigInteger.ONE), BigInteger.ONE));
        List<Row> rows = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int size : Circuits.AGGREGATE_ROWS) {
            System.err.printf("zk: %d rows, %d rounds ...%n", size, rounds);
            List<BigInteger> values = random.ints(size, -50_000, 50_000).mapToObj(BigInteger::valueOf).toList();
            BigInteger salt = BigInteger.valueOf(random.nextLong(Long.MAX_VALUE));
            BigInteger threshold = BigInteger.valueOf(1_000);
            double commit = median(rounds, () -> time(() -> circuits.commitment(values, salt)));
            AggregateProof[] last = new AggregateProof[1];
            double prove = median(rounds, () -> time(() -> last[0] = circuits.proveAggregate(values, salt, threshold)));
            long[] plain = values.stream().mapToLong(BigInteger::longValueExact).toArray();
            long[] java = aggregate(plain, threshold.longValueExact());
            if (last[0].count().longValueExact() != java[0] || last[0].sum().longValueExact() != java[1]
                    || last[0].countAtLeast().longValueExact() != java[2]
                    || last[0].sumAtLeast().longValueExact() != java[3]) {
                throw new IllegalStateException("the circuit's answer " + last[0].publicSignals().subList(0, 4)
                        + " is not Java's " + Arrays.toString(java));
            }
            double javaMicros = median(rounds, () -> {
                long start = System.nanoTime();
                long sink = 0;
                for (int r = 0; r < JAVA_REPEATS; r++) {
                    sink += aggregate(plain, threshold.longValueExact() + (r & 1))[3];
                }
                double micros = (System.nanoTime() - start) / 1_000.0 / JAVA_REPEATS;
                return sink == Long.MIN_VALUE ? -1 : micros;
            });
            rows.add(new Row(size, sizes.path("aggregate" + size).path("constraints").asLong(), commit, prove, javaMicros,
                    gas.getOrDefault("verifyProof_" + size, -1L)));
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("rounds", rounds);
            out.put("nodeStartMs", nodeStart);
            out.put("circuits", rows);
            out.put("gas", gas);
            System.out.println(JSON.writeValueAsString(out));
        } else {
            print(rows, nodeStart, gas, rounds);
        }
    }

    /** count, sum, count and sum of the values at least {@code threshold}: what the circuit proves. */
    static long[] aggregate(long[] values, long threshold) {
        long count = 0;
        long sum = 0;
        long countAtLeast = 0;
        long sumAtLeast = 0;
        for (long value : values) {
            count++;
            sum += value;
            if (value >= threshold) {
                countAtLeast++;
                sumAtLeast += value;
            }
        }
        return new long[] {count, sum, countAtLeast, sumAtLeast};
    }

    private static void print(List<Row> rows, double nodeStart, Map<String, Long> gas, int rounds) {
        System.out.printf("Aggregate circuits against plain Java (median of %d rounds; the prover's node process"
                + " started once, in %.0f ms with Poseidon's set-up)%n", rounds, nodeStart);
        System.out.printf("  %-6s %12s %9s %11s %11s %11s %14s %12s%n", "rows", "constraints", "per row", "commit ms",
                "prove ms", "Java µs", "prove / Java", "verify gas");
        for (Row row : rows) {
            System.out.printf("  %-6d %,12d %9.0f %11.0f %11.0f %11.3f %,14.0f %,12d%n", row.rows(), row.constraints(),
                    row.constraintsPerRow(), row.commitMs(), row.proveMs(), row.javaMicros(), row.proveOverJava(),
                    row.verifyGas());
        }
        Long read = gas.get("verifyAggregate_8");
        Long commit = gas.get("commit_2_columns");
        if (read != null && commit != null) {
            System.out.printf("  DataCommitments.verifyAggregate (8 rows) %,d gas; commit of a refinement's two columns %,d"
                    + " gas%n", read, commit);
        }
    }

    private static JsonNode constraints(Path home, List<Integer> rows) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", home.resolve("bench/src/main/js/constraints.js").toString()));
        rows.forEach(n -> command.add("aggregate" + n));
        return JSON.readTree(run(command));
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + ")");
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double time(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(int rounds, Supplier<Double> measure) {
        double[] values = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            values[i] = measure.get();
        }
        Arrays.sort(values);
        return values[rounds / 2];
    }
}
