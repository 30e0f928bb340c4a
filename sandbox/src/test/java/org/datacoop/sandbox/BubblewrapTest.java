package org.datacoop.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.datacoop.sandbox.SandboxException.Reason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a hostile program tries, run in the real bubblewrap: each attempt fails or is contained. */
class BubblewrapTest {
    @TempDir
    Path nodeDir;

    private Bubblewrap sandbox;
    private Path input;
    private Path output;
    private Path secret;

    @BeforeEach
    void setUp() throws IOException {
        Bubblewrap.Availability availability = Bubblewrap.probe(nodeDir);
        // CI installs bubblewrap (.ci/run); a developer machine without it says why and skips.
        assumeTrue(availability.sandbox().isPresent(), availability.unavailableReason());
        sandbox = availability.sandbox().get();
        secret = Files.writeString(nodeDir.resolve("signing.key"), "0xsecret-signing-key");
        Path workspace = sandbox.area().directory("scratch/job-1");
        sandbox.area().adopt(workspace);
        input = Files.createDirectories(workspace.resolve("input"));
        output = Files.createDirectories(workspace.resolve("output"));
        Files.writeString(input.resolve("data.json"), "{\"steps\": 1}");
    }

    private int run(String script, Map<String, String> environment, Limits limits, Duration timeout) throws IOException {
        Path program = sandbox.area().directory("programs").resolve("program-" + UUID.randomUUID());
        Files.writeString(program, "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        return sandbox.run(new Launch(Root.HOST, List.of("/app/program"), environment, "/app", input, output,
                Optional.empty(), List.of(new Mount(program, "/app/program")), limits, timeout));
    }

    private int run(String script) throws IOException {
        return run(script, Map.of(), Limits.DEFAULT, Duration.ofSeconds(30));
    }

    private String report() throws IOException {
        return Files.readString(output.resolve("report"), StandardCharsets.UTF_8);
    }

    @Test
    void readsItsInputAndWritesItsOutputWithItsEnvironment() throws IOException {
        int exit = run("cat /input/data.json > /output/report; echo \" $USER_EMAIL\" >> /output/report",
                Map.of("USER_EMAIL", "alice@example.com"), Limits.DEFAULT, Duration.ofSeconds(30));

        assertThat(exit).isZero();
        assertThat(report()).contains("{\"steps\": 1}").contains("alice@example.com");
    }

    @Test
    void theNodesFilesAreNotThere() throws IOException {
        int exit = run("""
                for path in %s %s /root /home /etc/passwd /etc/shadow /var /work; do
                  if cat "$path" >/dev/null 2>&1 || ls "$path" >/dev/null 2>&1; then echo "SEEN $path"; fi
                done >> /output/report
                ls / >> /output/report
                """.formatted(secret, nodeDir));

        assertThat(exit).isZero();
        assertThat(report()).doesNotContain("SEEN").doesNotContain("root\n").doesNotContain("home");
    }

    @Test
    void writesOutsideOutputFail() throws IOException {
        int exit = run("""
                for path in /input/data.json /input/new /usr/evil /evil /app/program; do
                  if echo x > "$path" 2>/dev/null; then echo "WROTE $path"; fi
                done >> /output/report
                echo done >> /output/report
                """);

        assertThat(exit).isZero();
        assertThat(report()).doesNotContain("WROTE").contains("done");
        assertThat(Files.readString(input.resolve("data.json"))).isEqualTo("{\"steps\": 1}");
    }

    @Test
    void noNetwork() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(500);
            int exit = run("""
                    python3 -c 'import socket; socket.create_connection(("127.0.0.1", %d), 2)' 2>/dev/null \
                      && echo CONNECTED >> /output/report
                    echo done >> /output/report
                    """.formatted(listener.getLocalPort()));

            assertThat(exit).isZero();
            assertThat(report()).doesNotContain("CONNECTED").contains("done");
            assertThatThrownBy(listener::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aForkBombIsCappedAndLeavesNothingBehind() throws IOException, InterruptedException {
        String marker = uniqueSleep();
        int exit = run("""
                i=0; ok=0
                while [ $i -lt 200 ]; do if sleep %s 2>/dev/null & then ok=$((ok+1)); fi; i=$((i+1)); done
                echo started > /output/report
                wait
                """.formatted(marker), Map.of(), Limits.DEFAULT, Duration.ofSeconds(3));

        assertThat(exit).isNotZero();
        // the kernel kills what is left in the namespace once its init has gone, a moment after
        waitFor(() -> sleepers(marker) == 0);
        assertThat(sleepers(marker)).isZero();
    }

    /**
     * A sandbox its node did not end (the node killed, bwrap reparented to init) is stopped when a
     * node starts on the same area; another node's sandboxes are left alone.
     */
    @Test
    void leftoverSandboxesOfThisAreaAreStoppedAndOthersAreNot(@TempDir Path otherNodeDir) throws Exception {
        String mine = uniqueSleep();
        String theirs = uniqueSleep();
        Process left = Runtime.getRuntime().exec(sandbox.commandLine(sleepLaunch(sandbox, mine)).toArray(String[]::new));
        Bubblewrap other = Bubblewrap.probe(otherNodeDir).sandbox().orElseThrow();
        Process othersRun = Runtime.getRuntime().exec(other.commandLine(sleepLaunch(other, theirs)).toArray(String[]::new));
        try {
            waitFor(() -> sleepers(mine) > 0 && sleepers(theirs) > 0);
            assertThat(sleepers(mine)).isPositive();

            assertThat(sandbox.stopLeftovers()).isEqualTo(1);

            waitFor(() -> sleepers(mine) == 0);
            assertThat(sleepers(mine)).isZero();
            assertThat(left.isAlive()).isFalse();
            assertThat(sleepers(theirs)).as("another node's sandbox").isPositive();
        } finally {
            left.destroyForcibly();
            othersRun.destroyForcibly();
            Supervision.kill(othersRun);
        }
    }

    private static Launch sleepLaunch(Bubblewrap box, String seconds) throws IOException {
        Path workspace = box.area().directory("scratch/left-" + UUID.randomUUID());
        box.area().adopt(workspace);
        Path in = Files.createDirectories(workspace.resolve("input"));
        Path out = Files.createDirectories(workspace.resolve("output"));
        box.area().adopt(out);
        return new Launch(Root.HOST, List.of("/bin/sleep", seconds), Map.of(), "/", in, out, Optional.empty(), List.of(),
                Limits.DEFAULT, Duration.ofSeconds(30));
    }

    @Test
    void aTimeoutKillsTheWholeTree() throws IOException {
        String marker = uniqueSleep();
        assertThatThrownBy(() -> run("(sleep %s &) ; sleep %s".formatted(marker, marker), Map.of(), Limits.DEFAULT,
                Duration.ofMillis(700)))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMED_OUT))
                .hasMessageContaining("700 ms");
        assertThat(sleepers(marker)).isZero();
    }

    @Test
    void fillingOutputFailsTheRunNamingTheLimit() {
        assertThatThrownBy(() -> run("i=0; while [ $i -lt 64 ]; do head -c 1048576 /dev/zero > /output/f$i; i=$((i+1)); done; sleep 5",
                Map.of(), Limits.DEFAULT.withOutputBytes(4L << 20), Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OUTPUT_TOO_LARGE))
                .hasMessageContaining("4 MiB");
    }

    @Test
    void aSingleFileCannotGrowPastTheLimitAndTmpIsBounded() throws IOException {
        int exit = run("""
                head -c 8388608 /dev/zero > /tmp/big 2>/dev/null || echo BIG_REFUSED >> /output/report
                rm -f /tmp/big
                head -c 134217728 /dev/zero > /tmp/fill 2>/dev/null || echo TMP_FULL >> /output/report
                """, Map.of(), Limits.DEFAULT.withOutputBytes(4L << 20), Duration.ofSeconds(30));
        assertThat(report()).contains("BIG_REFUSED");

        exit = run("head -c 134217728 /dev/zero > /tmp/fill 2>/dev/null || echo TMP_FULL > /output/report");

        assertThat(exit).isZero();
        assertThat(report()).contains("TMP_FULL");
    }

    @Test
    void aLinkLeftInOutputIsRefusedSoTheNodeNeverFollowsIt() {
        assertThatThrownBy(() -> run("ln -s %s /output/table.csv".formatted(secret)))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSAFE_OUTPUT))
                .hasMessageContaining("table.csv");
    }

    @Test
    void itDiesWithItsParent() throws Exception {
        String marker = uniqueSleep();
        Path program = sandbox.area().directory("programs").resolve("sleeper");
        Files.writeString(program, "#!/bin/sh\nsleep " + marker + "\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = sandbox.commandLine(new Launch(Root.HOST, List.of("/app/program"), Map.of(), "/", input,
                output, Optional.empty(), List.of(new Mount(program, "/app/program")), Limits.DEFAULT, Duration.ofSeconds(30)));
        // A stand-in for the node: a shell that starts the sandbox, then is killed with SIGKILL.
        String quoted = String.join(" ", command.stream().map(arg -> "'" + arg + "'").toList());
        Process parent = new ProcessBuilder("/bin/sh", "-c", quoted + " & wait").start();
        waitFor(() -> sleepers(marker) == 1);
        parent.destroyForcibly().waitFor(5, TimeUnit.SECONDS);

        waitFor(() -> sleepers(marker) == 0);
        assertThat(sleepers(marker)).isZero();
    }

    @Test
    void theEnvironmentIsNotOnTheCommandLine() {
        List<String> command = sandbox.commandLine(new Launch(Root.HOST, List.of("/app/program"), Map.of("API_KEY", "s3cret"),
                "/", input, output, Optional.empty(), List.of(), Limits.DEFAULT, Duration.ofSeconds(1)));

        assertThat(String.join(" ", command)).doesNotContain("s3cret").contains("--unshare-all").contains("--die-with-parent");
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
    }

    /** A sleep length no other run on this machine uses, so counting its sleepers counts only this test's. */
    private static String uniqueSleep() {
        return "4242." + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
    }

    /** Processes anywhere on this machine running {@code sleep MARKER}. */

    private static long sleepers(String marker) {
        try (Stream<ProcessHandle> processes = ProcessHandle.allProcesses()) {
            return processes.filter(process -> process.info().commandLine().orElse("").contains("sleep " + marker)).count();
        }
    }
}
