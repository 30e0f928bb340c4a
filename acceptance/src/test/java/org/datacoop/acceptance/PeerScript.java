package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.datacoop.chain.devnet.Toolchain;

/**
 * A peer's client run as a Node.js script from acceptance/src/test/js, the way the peer test suites
 * (Vana's SDK, LazAI's alith) drive a DataCoop devnet: the script prints one JSON line of what it saw
 * last, and fails the test with everything it printed unless it exits 0.
 */
final class PeerScript {
    static final Path SCRIPTS = Path.of("src", "test", "js").toAbsolutePath();

    private PeerScript() {}

    /**
     * Where a browser script saves the README's picture {@code name}: under acceptance/target, and
     * over docs/ only when asked (COOP_UPDATE_SCREENSHOTS=1), so running the tests leaves the
     * checkout clean. An earlier run's is removed, so the picture is the one this run takes.
     */
    static Path screenshot(String name) throws IOException {
        Path home = Toolchain.discover().home();
        Path screenshot = System.getenv("COOP_UPDATE_SCREENSHOTS") != null
                ? home.resolve("docs").resolve(name)
                : Files.createDirectories(home.resolve("acceptance/target")).resolve(name);
        Files.deleteIfExists(screenshot);
        return screenshot;
    }

    /** {@code wei} in ETH as the page writes it (viem's formatEther): no trailing zeros, no exponent. */
    static String ether(BigInteger wei) {
        return new BigDecimal(wei).movePointLeft(18).stripTrailingZeros().toPlainString();
    }

    /**
     * Runs {@code node [nodeOptions...] script} in the scripts directory with {@code env} added,
     * its output kept in {@code outputDir}; returns its last line as JSON.
     */
    static JsonNode run(Path outputDir, String script, List<String> nodeOptions, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("node");
        command.addAll(nodeOptions);
        command.add(script);
        Path output = outputDir.resolve(script + ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(SCRIPTS.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        builder.environment().put("TIMEOUT_SECONDS", Long.toString(Devnet.WAIT.toSeconds()));
        Process process = builder.start();
        // A bound so a hung script ends the test with its output, not a measurement.
        boolean ended = process.waitFor(Devnet.WAIT.toSeconds() * 2, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(ended && process.exitValue() == 0).as("%s %s:%n%s", script, ended ? "failed" : "did not end", printed).isTrue();
        String last = printed.strip().lines().reduce((first, next) -> next).orElse("");
        return new ObjectMapper().readTree(last);
    }
}
