package org.datacoop.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.datacoop.compute.builtin.Builtin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs of their own, as a worker and a re-executing challenger would be, give the same result hash. */
class SeparateJvmTest {
    private static final String PARAMS = """
            {"features": ["distance_km", "active_minutes"], "label": {"column": "steps", "above": 8000}, "epochs": 6, "seed": 11}""";

    @TempDir
    Path dir;

    private String fork(Path rows, String output) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED", ForkedRun.class.getName(),
                Builtin.LOGISTIC_REGRESSION.shortName(), rows.toString(), PARAMS, dir.resolve(output).toString()))
                .redirectErrorStream(true)
                .start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(printed).isZero();
        return printed.lines().filter(line -> line.startsWith("resultHash=")).findFirst().orElseThrow(() -> new AssertionError(printed));
    }

    @Test
    void twoJvmsGiveTheSameResultHash() throws IOException, InterruptedException {
        Path rows = TaskRows.write(dir.resolve("rows.parquet"), 500);
        Path shuffled = TaskRows.write(dir.resolve("shuffled.parquet"), 500, "hash(day)");

        String first = fork(rows, "first");
        String second = fork(shuffled, "second");
        String here = "resultHash=" + Compute.run(Builtin.LOGISTIC_REGRESSION, TaskInput.of(rows, PARAMS), dir.resolve("here")).resultHashHex();

        assertThat(first).matches("resultHash=0x[0-9a-f]{64}");
        assertThat(second).isEqualTo(first);
        assertThat(here).isEqualTo(first);
    }
}
