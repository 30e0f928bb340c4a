package org.datacoop.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployer;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.chain.devnet.Toolchain;

/**
 * How long the CLI takes to start, against a plain {@code java -version} in the same run:
 * {@code coop --help} (picocli's command tree, nothing else) and {@code coop files} for a wallet with
 * one file on a devnet (the command tree, the keystore's address, web3j and three chain reads),
 * each with and without the class-data sharing archive the launcher builds, and {@code ./coop files}
 * as a user runs it (bash, the launcher's staleness checks, the archive). Every row is a new JVM,
 * its output discarded, timed in wall time and in CPU time (all its threads, as bash's {@code times}
 * tells it); the rows are interleaved over {@value #ROUNDS} rounds after one untimed
 * round, and the median kept: the machines are shared and noisy.
 *
 * <p>Usage: {@code StartupBenchmark [--json]}, with {@code -Dcoop.home} at the checkout whose CLI
 * and archive ({@code ./coop bench startup} builds both) are measured.
 */
public final class StartupBenchmark {
    private static final int ROUNDS = 7;
    private static final String JAVA_VERSION = "java -version";

    private StartupBenchmark() {}

    public static void main(String[] args) throws Exception {
        boolean json = Arrays.asList(args).contains("--json");
        if (Arrays.asList(args).contains("--help")) {
            System.out.println("usage: coop bench startup [--json]");
            return;
        }
        Path home = Path.of(System.getProperty("coop.home", ".")).toAbsolutePath();
        Path archive = home.resolve("cli/target/coop.jsa");
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("no class-data archive at " + archive + ": run it as ./coop bench startup");
        }
        Path dir = Files.createTempDirectory("coop-bench-startup");
        try (Anvil anvil = Anvil.start(Toolchain.discover(), 0, Optional.empty(), Optional.empty())) {
            Runtime.getRuntime().addShutdownHook(new Thread(anvil::close, "stop-anvil")); // on Ctrl-C too
            System.err.println("deploying the contracts and registering one file ...");
            try (ChainConnection admin = ChainConnection.open(anvil.rpcUrl(), Anvil.DEV_ACCOUNT_KEY)) {
                Deployment deployment = new Deployer(admin, step -> {}).deploy(Deployer.Settings.DEFAULT, true);
                new DataCoopChain(admin, deployment).addFile("http://127.0.0.1:9/blobs/startup",
                        MessageDigest.getInstance("SHA-256").digest("startup".getBytes(StandardCharsets.UTF_8)));
                deployment.writeTo(dir);
            }
            // A keystore that names its address: `coop files` reads it without asking for the password.
            Wallet.fromPrivateKey(Anvil.DEV_ACCOUNT_KEY).save(dir.resolve("wallet.json"), "unused".toCharArray());
            run(home, archive, dir, json);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path home, Path archive, Path dataDir, boolean json) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = home.resolve("cli/target/coop.jar") + ":" + home.resolve("cli/target/lib/*");
        List<String> jvm = List.of(java, "@" + home.resolve("cli/jvm.options"), "-Dcoop.home=" + home, "-cp", classpath);
        List<String> shared = List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off");
        List<String> files = List.of("files", "--data-dir", dataDir.toString());
        Map<String, List<String>> rows = new LinkedHashMap<>();
        rows.put(JAVA_VERSION, List.of(java, "-version"));
        rows.put("coop --help", concat(jvm, List.of("org.datacoop.cli.Coop", "--help")));
        rows.put("coop --help, archive", concat(jvm, shared, List.of("org.datacoop.cli.Coop", "--help")));
        rows.put("coop files", concat(jvm, List.of("org.datacoop.cli.Coop"), files));
        rows.put("coop files, archive", concat(jvm, shared, List.of("org.datacoop.cli.Coop"), files));
        rows.put("./coop files (the launcher)", concat(List.of(home.resolve("coop").toString()), files));

        Map<String, List<Run>> runs = new LinkedHashMap<>();
        Path errors = dataDir.resolve("stderr.txt");
        for (int round = 0; round <= ROUNDS; round++) {
            System.err.println(round == 0 ? "warm-up round (page cache, not counted)" : "round " + round + " of " + ROUNDS);
            for (Map.Entry<String, List<String>> row : rows.entrySet()) {
                Run run = timed(row.getKey(), row.getValue(), errors);
                if (round > 0) {
                    runs.computeIfAbsent(row.getKey(), name -> new ArrayList<>()).add(run);
                }
            }
        }
        Map<String, double[]> medians = new LinkedHashMap<>(); // wall, CPU
        runs.forEach((name, list) -> medians.put(name, new double[] {
            median(list.stream().map(Run::wallMillis).toList()), median(list.stream().map(Run::cpuMillis).toList())}));
        double[] base = medians.get(JAVA_VERSION);
        double helpSaved = 1 - medians.get("coop --help, archive")[1] / medians.get("coop --help")[1];
        double filesSaved = 1 - medians.get("coop files, archive")[1] / medians.get("coop files")[1];
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("rounds", ROUNDS);
            Map<String, Object> rowsOut = new LinkedHashMap<>();
            medians.forEach((name, median) -> rowsOut.put(name, Map.of(
                    "wallMillis", round(median[0]), "cpuMillis", round(median[1]),
                    "wallVsJavaVersion", round(median[0] / base[0]), "cpuVsJavaVersion", round(median[1] / base[1]))));
            out.put("rows", rowsOut);
            out.put("archiveSavesHelpCpu", round(helpSaved));
            out.put("archiveSavesFilesCpu", round(filesSaved));
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
            return;
        }
        System.out.printf("%-30s %9s %9s %14s %14s%n", "start-up, a new JVM each", "wall ms", "CPU ms", "wall / java's", "CPU / java's");
        medians.forEach((name, median) -> System.out.printf("%-30s %9.0f %9.0f %14.1f %14.1f%n",
                name, median[0], median[1], median[0] / base[0], median[1] / base[1]));
        System.out.printf("medians of %d rounds; the archive saves %.0f%% of coop --help's CPU time and %.0f%% of coop files'%n",
                ROUNDS, 100 * helpSaved, 100 * filesSaved);
    }

    /** A run's wall time and its CPU time (user and system, all threads): on a busy machine the second is the steadier. */
    private record Run(double wallMillis, double cpuMillis) {}

    private static final Pattern CHILD_TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");

    /**
     * Runs {@code command} to its end under bash, whose {@code times} gives the CPU time it used
     * (the JDK tells a child's CPU time only while it runs); output discarded. A failure is an
     * error, not a fast row.
     */
    private static Run timed(String name, List<String> command, Path errors) throws IOException, InterruptedException {
        List<String> wrapped = concat(List.of("bash", "-c", "\"$@\" >/dev/null; status=$?; times; exit $status", "bash"), command);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(wrapped).redirectError(errors.toFile()).start();
        String times = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not finish in 2 minutes");
        }
        double wall = (System.nanoTime() - start) / 1e6;
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " failed (exit " + process.exitValue() + "): " + Files.readString(errors).strip());
        }
        // `times` prints the shell's own user and system time, then its children's: the second line.
        Matcher children = CHILD_TIMES.matcher(times.lines().skip(1).findFirst().orElse(""));
        if (!children.find()) {
            throw new IllegalStateException("bash's times printed no child times: " + times);
        }
        double cpu = 1000 * (60 * Double.parseDouble(children.group(1)) + Double.parseDouble(children.group(2))
                + 60 * Double.parseDouble(children.group(3)) + Double.parseDouble(children.group(4)));
        return new Run(wall, cpu);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
