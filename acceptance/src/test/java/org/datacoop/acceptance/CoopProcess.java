package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.datacoop.chain.devnet.Toolchain;

/** Runs {@code coop} as a user does, in its own JVM, and {@code cast} as an outside client. */
final class CoopProcess {
    private CoopProcess() {}

    /** A {@code coop} command line in a child JVM with this test's class path and the launcher's JVM options. */
    static ProcessBuilder coop(String... args) {
        Path home = Toolchain.discover().home();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + home.resolve("cli").resolve("jvm.options"),
                "-Dcoop.home=" + home,
                "-cp",
                System.getProperty("java.class.path"),
                "org.datacoop.cli.Coop"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** {@code coop} as the wallet whose key is {@code key} ({@code COOP_PRIVATE_KEY}). */
    static ProcessBuilder as(String key, String... args) {
        ProcessBuilder builder = coop(args);
        builder.environment().put("COOP_PRIVATE_KEY", key);
        return builder;
    }

    /** A long-running {@code coop} whose log goes to a file: a stderr pipe nobody reads would block it once full. */
    static ProcessBuilder coopLogging(String... args) throws IOException {
        return coop(args).redirectError(java.nio.file.Files.createTempFile("coop", ".log").toFile());
    }

    /** A finished {@code coop} command: its exit status and what it printed. */
    record Result(int exit, String out, String err) {}

    static Result run(ProcessBuilder builder) throws IOException, InterruptedException {
        Path err = java.nio.file.Files.createTempFile("coop", ".err");
        Process process = builder.redirectError(err.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("coop finished").isTrue();
        return new Result(process.exitValue(), out, java.nio.file.Files.readString(err));
    }

    /** Reads {@code name value} lines from {@code coop up} until the last contract is printed. */
    static Map<String, String> readPrintedLines(Process up) throws IOException {
        return readPrintedLines(up, "DataDaoToken");
    }

    /** Reads {@code name value} lines from a long-running {@code coop} until line {@code last}. */
    static Map<String, String> readPrintedLines(Process up, String last) throws IOException {
        Map<String, String> printed = new LinkedHashMap<>();
        BufferedReader lines = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            String[] parts = line.split(" ", 2);
            printed.put(parts[0], parts.length > 1 ? parts[1] : "");
            if (parts[0].equals(last)) {
                return printed;
            }
        }
        throw new AssertionError("coop exited before printing " + last + "; printed " + printed);
    }

    /** Stops {@code coop up} with SIGTERM, as Ctrl-C or a service manager would. */
    static void stop(Process up) throws InterruptedException {
        up.destroy();
        if (!up.waitFor(60, TimeUnit.SECONDS)) {
            up.destroyForcibly();
            throw new AssertionError("coop up did not stop within 60 s of SIGTERM");
        }
    }

    static String cast(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Toolchain.discover().tool("cast").toString());
        command.addAll(List.of(args));
        Process cast = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(cast.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(cast.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(cast.exitValue()).as("cast %s: %s", args, output).isZero();
        return output;
    }
}
