package org.datacoop.compute.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.datacoop.compute.AlgorithmDigest;
import org.datacoop.compute.Compute;
import org.datacoop.compute.ComputeException;
import org.datacoop.compute.ComputeException.Reason;
import org.datacoop.compute.ComputeResult;
import org.datacoop.compute.TaskInput;
import org.datacoop.compute.TaskRows;
import org.datacoop.protocol.Sha256;
import org.datacoop.sandbox.Bubblewrap;
import org.datacoop.sandbox.Limits;
import org.datacoop.sandbox.Sandbox;
import org.datacoop.sandbox.image.Image;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A requester's own program runs in the real bubblewrap over the task's input, and is held to the sandbox's limits. */
class ExternalAlgorithmTest {
    /** Counts rows and sums a column named by the params, from both the CSV and the model; the output is in row order. */
    private static final String SUMMARY = """
            #!/usr/bin/python3
            import csv, json, os
            params = json.load(open('/input/params.json'))
            rows = list(csv.DictReader(open('/input/rows.csv')))
            model = sorted(os.listdir('/input/model')) if os.path.isdir('/input/model') else []
            assert os.path.getsize('/input/rows.parquet') > 0
            with open('/output/summary.json', 'w') as out:
                json.dump({'rows': len(rows), 'sum': sum(float(r[params['column']]) for r in rows),
                           'first': rows[0]['day'], 'model': model}, out, sort_keys=True)
            os.makedirs('/output/per-row')
            with open('/output/per-row/days.txt', 'w') as out:
                out.write('\\n'.join(r['day'] for r in rows))
            """;

    @TempDir
    Path nodeDir;

    private Sandbox sandbox;
    private Path rows;

    @BeforeEach
    void setUp() {
        Bubblewrap.Availability availability = Bubblewrap.probe(nodeDir);
        // CI installs bubblewrap (.ci/run); a machine without it says why and skips.
        assumeTrue(availability.sandbox().isPresent(), availability.unavailableReason());
        sandbox = availability.sandbox().get();
        rows = TaskRows.write(nodeDir.resolve("rows.parquet"), 40);
    }

    private Path program(String name, String script) throws IOException {
        // The sandbox shows programs this machine's /usr, never a user's pyenv.
        assumeTrue(!script.startsWith("#!/usr/bin/python3") || Files.isExecutable(Path.of("/usr/bin/python3")),
                "/usr/bin/python3 is missing (Debian: apt-get install python3)");
        Path program = Files.writeString(Files.createDirectories(nodeDir.resolve("programs")).resolve(name), script);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        return program;
    }

    private ExternalAlgorithm algorithm(String script, Limits limits) throws IOException {
        return ExternalAlgorithm.executable(sandbox, program("algorithm-" + System.nanoTime(), script), limits, Duration.ofSeconds(60));
    }

    private ComputeResult run(ExternalAlgorithm algorithm, TaskInput input) {
        return Compute.run(algorithm, input, nodeDir.resolve("out-" + System.nanoTime()));
    }

    /** Running {@code algorithm} fails as the algorithm's fault, with {@code message} in the error. */
    private void assertFails(ExternalAlgorithm algorithm, String message) {
        assertThatThrownBy(() -> run(algorithm, TaskInput.of(rows, "{}")))
                .isInstanceOf(ComputeException.class)
                .satisfies(e -> assertThat(((ComputeException) e).reason()).isEqualTo(Reason.ALGORITHM_FAILED))
                .hasMessageContaining(message);
    }

    @Test
    void readsTheRowsParamsAndModelAndItsOutputIsHashed() throws IOException {
        Path program = program("summary", SUMMARY);
        ExternalAlgorithm algorithm = ExternalAlgorithm.executable(sandbox, program, Limits.DEFAULT, Duration.ofSeconds(60));
        Path model = Files.createDirectories(nodeDir.resolve("model"));
        Files.writeString(model.resolve("model.json"), "{}");

        ComputeResult result = run(algorithm, TaskInput.of(rows, "{\"column\": \"steps\"}").withModel(model));

        assertThat(algorithm.digest()).isEqualTo(AlgorithmDigest.of(Sha256.of(program)));
        assertThat(algorithm.describe()).isEqualTo("external:" + algorithm.digest());
        assertThat(result.files()).containsExactly("per-row/days.txt", "summary.json");
        assertThat(Files.readString(result.output().resolve("summary.json")))
                .contains("\"rows\": 40").contains("\"first\": \"0\"").contains("\"model\": [\"model.json\"]");
    }

    /**
     * A tiny image root file system: this machine's dash as {@code /bin/sh} with the C library it
     * loads, and the mount points the sandbox binds over.
     */
    private Path rootfs() throws IOException {
        Path rootfs = sandbox.area().directory("images/test/rootfs");
        for (String dir : List.of("input", "output", "tmp", "proc", "dev", "app", "bin", "lib/x86_64-linux-gnu", "lib64")) {
            Files.createDirectories(rootfs.resolve(dir));
        }
        for (String[] file : new String[][] {{"/bin/dash", "bin/sh"}, {"/lib/x86_64-linux-gnu/libc.so.6", "lib/x86_64-linux-gnu/libc.so.6"},
                {"/lib64/ld-linux-x86-64.so.2", "lib64/ld-linux-x86-64.so.2"}}) {
            assumeTrue(Files.exists(Path.of(file[0])), file[0] + " is not on this machine to build a test image from");
            Path copy = Files.copy(Path.of(file[0]), rootfs.resolve(file[1]));
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return rootfs;
    }

    @Test
    void anImageRunsOverItsOwnRootWithItsCommandAndEnvironment() throws IOException {
        Image image = new Image(rootfs(), List.of("/bin/sh", "-c"),
                List.of("n=0; while read line; do n=$((n+1)); done < /input/rows.csv; echo \"$n $GREETING\" > /output/count"),
                List.of("GREETING=hello", "PATH=/bin"), "/", Map.of());
        AlgorithmDigest tarball = AlgorithmDigest.ofDescriptor("the image's tarball");
        ExternalAlgorithm algorithm = ExternalAlgorithm.image(sandbox, image, tarball, Limits.DEFAULT, Duration.ofSeconds(60));

        ComputeResult result = run(algorithm, TaskInput.of(rows, "{}"));

        assertThat(algorithm.digest()).isEqualTo(tarball);
        // 40 rows and the CSV's header.
        assertThat(Files.readString(result.output().resolve("count"))).isEqualTo("41 hello\n");
    }

    @Test
    void anImageThatNamesNothingToRunIsRefused() throws IOException {
        Image image = new Image(rootfs(), List.of(), List.of(), List.of(), "/", Map.of());

        assertThatThrownBy(() -> ExternalAlgorithm.image(sandbox, image, AlgorithmDigest.ofDescriptor("x"), Limits.DEFAULT, Duration.ofSeconds(5)))
                .isInstanceOf(ComputeException.class)
                .hasMessageContaining("names no entrypoint or cmd");
    }

    @Test
    void theSameTaskGivesTheSameResultHashWhateverTheOrderOfItsRows() throws IOException {
        ExternalAlgorithm algorithm = algorithm(SUMMARY, Limits.DEFAULT);
        Path shuffled = TaskRows.write(nodeDir.resolve("shuffled.parquet"), 40, "hash(day)");

        ComputeResult first = run(algorithm, TaskInput.of(rows, "{\"column\": \"steps\"}"));
        ComputeResult again = run(algorithm, TaskInput.of(shuffled, "{\"column\": \"steps\"}"));
        ComputeResult otherParams = run(algorithm, TaskInput.of(rows, "{\"column\": \"distance_km\"}"));

        assertThat(again.resultHash()).isEqualTo(first.resultHash());
        assertThat(otherParams.resultHash()).isNotEqualTo(first.resultHash());
    }

    @Test
    void writingOutsideOutputFailsAndLeavesNothing() throws IOException {
        String[] attempts = {"/input/rows.csv", "/input/escape", "/app/program", "/usr/escape", rows.getParent() + "/escape"};
        for (String target : attempts) {
            ExternalAlgorithm algorithm = algorithm("#!/bin/sh\necho pwned > " + target + " || exit 3\n", Limits.DEFAULT);

            assertFails(algorithm, "failed with exit code 3");
        }
        assertThat(nodeDir.resolve("escape")).doesNotExist();
        assertThat(Path.of("/usr/escape")).doesNotExist();
    }

    @Test
    void tooMuchOutputIsStoppedAndReported() throws IOException {
        ExternalAlgorithm algorithm = algorithm("#!/bin/sh\nhead -c 1048576 /dev/zero > /output/big\n", Limits.DEFAULT.withOutputBytes(64 << 10));

        assertFails(algorithm, "64 KiB");
    }

    @Test
    void aLinkInTheOutputIsRefused() throws IOException {
        ExternalAlgorithm algorithm = algorithm("#!/bin/sh\nln -s /etc/hostname /output/leak\n", Limits.DEFAULT);

        assertFails(algorithm, "leak");
    }

    @Test
    void aProgramRunningPastItsTimeIsStopped() throws IOException {
        ExternalAlgorithm algorithm = ExternalAlgorithm.executable(sandbox, program("sleeper", "#!/bin/sh\nsleep 600\n"),
                Limits.DEFAULT, Duration.ofSeconds(2));

        assertFails(algorithm, algorithm.describe());
    }

    @Test
    void anExecutableChangedAfterItWasPinnedDoesNotRun() throws IOException {
        Path program = program("swapped", SUMMARY);
        ExternalAlgorithm algorithm = ExternalAlgorithm.executable(sandbox, program, Limits.DEFAULT, Duration.ofSeconds(60));
        Files.writeString(program, "#!/bin/sh\ncp /input/rows.csv /output/stolen.csv\n");

        assertThatThrownBy(() -> run(algorithm, TaskInput.of(rows, "{}")))
                .isInstanceOf(ComputeException.class)
                .hasMessageContaining("changed since it was pinned as " + algorithm.digest());
    }
}
