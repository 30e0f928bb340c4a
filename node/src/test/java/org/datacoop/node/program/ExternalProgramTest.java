package org.datacoop.node.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.datacoop.node.program.ProgramException.Reason;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ProofRequest;
import org.datacoop.sandbox.Bubblewrap;
import org.datacoop.sandbox.Limits;
import org.datacoop.sandbox.Sandbox;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExternalProgramTest {
    private static final long DLP_ID = 3;
    private static final Address OWNER = Address.of("0x" + "ab".repeat(20));
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String WRITE_RESULTS = "echo '{\"valid\": true, \"score\": 1}' > \"$OUTPUT_DIR/results.json\"\n";

    @TempDir
    Path dir;

    private Sandbox sandbox;
    private Path input;
    private Path output;

    @BeforeEach
    void createWorkspace() throws Exception {
        Bubblewrap.Availability availability = Bubblewrap.probe(dir);
        // CI installs bubblewrap (.ci/run); a machine without it says why and skips.
        Assumptions.assumeTrue(availability.sandbox().isPresent(), availability.unavailableReason());
        sandbox = availability.sandbox().get();
        Path workspace = sandbox.area().directory("scratch/job");
        sandbox.area().adopt(workspace);
        input = Files.createDirectories(workspace.resolve("input"));
        output = Files.createDirectories(workspace.resolve("output"));
    }

    private ExternalProgram executable(Path program) {
        return executable(program, Limits.DEFAULT);
    }

    private ExternalProgram executable(Path program, Limits limits) {
        return ExternalProgram.executable(sandbox, program, limits);
    }

    @Test
    void judgesTheInputWithTheRunsEnvVarsAndSecrets() throws Exception {
        Files.writeString(input.resolve("export.txt"), "hello\n");
        Path program = script("""
                read line < "$INPUT_DIR/export.txt"
                cat > "$OUTPUT_DIR/results.json" <<EOF
                {"dlp_id": 3, "valid": true, "score": 0.75, "quality": 0.5,
                 "metadata": {"line": "$line", "mode": "$SCORING_MODE", "key": "$API_KEY", "home": "$HOME", "pwd": "$(pwd)"}}
                EOF
                """);

        ProgramResults results = executable(program)
                .run(run(Map.of("SCORING_MODE", "strict", "API_KEY", "s3cret-key"), TIMEOUT));

        assertThat(results.dlpId()).isEqualTo(DLP_ID);
        assertThat(results.valid()).isTrue();
        assertThat(results.score()).isEqualTo(0.75);
        assertThat(results.quality()).isEqualTo(0.5);
        assertThat(results.metadata().path("line").asText()).isEqualTo("hello");
        assertThat(results.metadata().path("mode").asText()).isEqualTo("strict");
        assertThat(results.metadata().path("key").asText()).isEqualTo("s3cret-key");
        assertThat(results.metadata().path("home").asText()).isEqualTo("/tmp");
        assertThat(results.metadata().path("pwd").asText()).isEqualTo("/app");
    }

    @Test
    void fillsInTheDlpIdWhenTheResultsLeaveItOut() {
        Path program = script(WRITE_RESULTS);

        assertThat(executable(program).run(run(Map.of(), TIMEOUT)).dlpId()).isEqualTo(DLP_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"LD_PRELOAD", "ld_library_path", "PATH", "HOME", "INPUT_DIR", "PYTHONPATH", "BASH_ENV",
        "NODE_OPTIONS", "JAVA_TOOL_OPTIONS", "GCONV_PATH"})
    void refusesVariablesThatWouldChangeWhatTheProgramRuns(String name) {
        Path program = script(WRITE_RESULTS);

        assertThatThrownBy(() -> executable(program).run(run(Map.of(name, "input/evil.so"), TIMEOUT)))
                .isInstanceOfSatisfying(ProgramException.class, e -> assertThat(e.reason()).isEqualTo(ProgramException.Reason.REFUSED))
                .hasMessageContaining(name + " is reserved");
        assertThat(ProofRequest.isReservedVariable(name)).isTrue();
        assertThat(ProofRequest.isReservedVariable("SCORING_MODE")).isFalse();
    }

    @Test
    void seesOnlyItsOwnEnvironmentNotTheNodes() throws Exception {
        Path program = script("env > \"$OUTPUT_DIR/env.txt\"\n" + WRITE_RESULTS);

        executable(program).run(run(Map.of("SCORING_MODE", "strict"), TIMEOUT));

        Map<String, String> seen = Files.readAllLines(output.resolve("env.txt")).stream()
                .filter(line -> line.contains("="))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')), line -> line.substring(line.indexOf('=') + 1)));
        Set<String> added = new HashSet<>(seen.keySet());
        added.removeAll(Set.of("PATH", "HOME", "TMPDIR", "INPUT_DIR", "OUTPUT_DIR", "SCORING_MODE"));
        assertThat(added).as("variables beyond the run's own").isSubsetOf("PWD", "OLDPWD", "SHLVL", "_");
        assertThat(seen).containsEntry("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .containsEntry("HOME", "/tmp")
                .containsEntry("INPUT_DIR", "/input")
                .containsEntry("OUTPUT_DIR", "/output")
                .containsEntry("SCORING_MODE", "strict");
    }

    @Test
    void stopsAProgramPastItsTimeoutWithEverythingItStarted() throws Exception {
        // A second, negligible duration makes this sleep findable among the machine's processes.
        String marker = "0.000" + System.nanoTime() % 1_000_000;
        Path program = script("sleep 60 " + marker + " &\nwait\n");
        ExternalProgram external = executable(program);

        CompletableFuture<ProgramResults> running =
                CompletableFuture.supplyAsync(() -> external.run(run(Map.of(), Duration.ofSeconds(2))));
        ProcessHandle sleep = awaitProcessWithArgument(marker);

        assertThatThrownBy(() -> running.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(ProgramException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TIMED_OUT);
                    assertThat(e.getMessage()).isEqualTo("the program ran past its 2 s timeout and was stopped");
                });
        sleep.onExit().get(5, TimeUnit.SECONDS);
        assertThat(sleep.isAlive()).isFalse();
    }

    @Test
    void reportsACrashByItsExitCodeAndNeverQuotesItsOutput() {
        // The output may hold the decrypted data or a secret: it never reaches the reason, which goes on-chain.
        Path program = script("echo 'first line of the private export' >&2\necho \"key was $API_KEY\"\nexit 3\n");

        assertThatThrownBy(() -> executable(program).run(run(Map.of("API_KEY", "s3cret-key"), TIMEOUT)))
                .isInstanceOfSatisfying(ProgramException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CRASHED);
                    assertThat(e.getMessage()).isEqualTo("the program failed with exit code 3");
                });
    }

    @Test
    void refusesAProgramThatCannotStart() throws Exception {
        Path program = dir.resolve("program");
        Files.writeString(program, "#!/nonexistent/interpreter\n");

        assertThatThrownBy(() -> executable(program))
                .isInstanceOfSatisfying(ProgramException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.REFUSED);
                    assertThat(e.getMessage()).contains("/nonexistent/interpreter");
                });
    }

    @Test
    void rejectsAnExitWithoutResults() {
        assertBadOutput(script("exit 0\n"), Limits.DEFAULT, "wrote no output/results.json");
    }

    @Test
    void rejectsResultsThatAreNotJson() {
        assertBadOutput(script("echo 'not json' > \"$OUTPUT_DIR/results.json\"\n"), Limits.DEFAULT,
                "not JSON");
    }

    @Test
    void rejectsResultsForAnotherDataDao() {
        assertBadOutput(script("echo '{\"dlp_id\": 9, \"valid\": true, \"score\": 1}' > \"$OUTPUT_DIR/results.json\"\n"),
                Limits.DEFAULT, "dlp_id 9", "DataDAO 3");
    }

    @Test
    void rejectsResultsOverTheSizeLimit() {
        assertBadOutput(script("head -c 1100000 /dev/zero | tr '\\0' ' ' > \"$OUTPUT_DIR/results.json\"\n"),
                Limits.DEFAULT, "larger than its 1 MiB limit");
    }

    @Test
    void stopsAProgramOverItsMemoryLimit() {
        Path program = script("""
                x=$(head -c 64000000 /dev/zero | tr '\\0' a)
                echo "{\\"valid\\": true, \\"score\\": 1, \\"metadata\\": {\\"length\\": ${#x}}}" > "$OUTPUT_DIR/results.json"
                """);

        ProgramResults underDefault = executable(program).run(run(Map.of(), TIMEOUT));
        assertThat(underDefault.metadata().path("length").asLong()).isEqualTo(64_000_000);
        assertThatThrownBy(() -> executable(program, Limits.DEFAULT.withMemoryBytes(16L << 20))
                        .run(run(Map.of(), TIMEOUT)))
                .isInstanceOfSatisfying(ProgramException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CRASHED));
    }

    @Test
    void seesNoNetworkButLoopback() {
        Path program = script("""
                devices=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\\n' ' ')
                echo "{\\"valid\\": true, \\"score\\": 1, \\"metadata\\": {\\"devices\\": \\"$devices\\"}}" > "$OUTPUT_DIR/results.json"
                """);
        ExternalProgram external = executable(program);

        assertThat(external.run(run(Map.of(), TIMEOUT)).metadata().path("devices").asText().strip()).isEqualTo("lo");
    }

    @Test
    void seesOnlyItsOwnProcesses() {
        Path program = script("""
                visible=$(ls /proc | grep -c '^[0-9]')
                echo "{\\"valid\\": true, \\"score\\": 1, \\"metadata\\": {\\"pid\\": $$, \\"visible\\": $visible}}" > "$OUTPUT_DIR/results.json"
                """);
        ExternalProgram external = executable(program);

        ProgramResults results = external.run(run(Map.of(), TIMEOUT));

        assertThat(results.metadata().path("pid").asInt()).as("after bwrap, its PID namespace's init").isEqualTo(2);
        assertThat(results.metadata().path("visible").asInt()).as("init, itself, ls and grep").isLessThanOrEqualTo(5);
    }

    private void assertBadOutput(Path program, Limits limits, String... messageParts) {
        assertThatThrownBy(() -> executable(program, limits).run(run(Map.of(), TIMEOUT)))
                .isInstanceOfSatisfying(ProgramException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.BAD_OUTPUT);
                    assertThat(e.getMessage()).contains(messageParts);
                });
    }

    /** A shell-script program where the loader keeps programs, readable by the sandbox's user. */
    private Path script(String body) {
        try {
            Path program = Files.writeString(sandbox.area().directory("programs").resolve("program"), "#!/bin/sh\n" + body);
            Files.setPosixFilePermissions(program, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            return program;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProgramRun run(Map<String, String> environment, Duration timeout) {
        return new ProgramRun(7, 42, DLP_ID, OWNER, "00".repeat(32), input, output, environment, timeout);
    }

    private static ProcessHandle awaitProcessWithArgument(String argument) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            Optional<ProcessHandle> found = ProcessHandle.allProcesses()
                    .filter(p -> p.info().arguments().map(args -> Arrays.asList(args).contains(argument)).orElse(false))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        return fail("no process with argument " + argument + " appeared");
    }
}
