package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.datacoop.chain.devnet.Toolchain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README runs as written: every {@code ```sh} block of README.md, in order, in one bash with
 * {@code set -euo pipefail}, as a new user pastes them into one terminal: from the checkout, with a
 * fresh HOME and {@code ~/.datacoop} and none of coop's other variables set. The walkthrough's
 * {@code coop up} is the fresh devnet. One line is skipped: {@code ./coop test}, which runs this test
 * (recursion). {@code ./coop demo} runs: it takes seconds, on a devnet of its own. The {@code coop up}
 * sample (a {@code ```text} block, not run) must show the lines {@code coop up} really printed.
 */
class ReadmeTest {
    private static final Duration LIMIT = Duration.ofMinutes(10);
    private static final Pattern COOP_TEST = Pattern.compile("^\\s*\\./coop test(\\s.*)?$");
    private static final String MARK = ">>> README.md line ";
    /** Everything a user's shell might already hold for coop: the README must set what it needs itself. */
    private static final List<String> COOP_VARIABLES = List.of("COOP_DATA_DIR", "COOP_PRIVATE_KEY", "COOP_MAINTAINER_KEY",
            "COOP_WALLET_PASSWORD", "COOP_FILE_PASSWORD");

    /** A fenced block: the README line its first content line is on, and its lines. */
    record Block(int line, List<String> lines) {}

    @TempDir
    Path home;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES) // the walkthrough's own LIMIT, past the suite's 5-minute default
    void everyCommandBlockRunsAsWrittenOnAFreshDevnet() throws Exception {
        Path checkout = Toolchain.discover().home();
        List<String> readme = Files.readAllLines(checkout.resolve("README.md"));
        List<Block> commands = blocks(readme, "sh");
        assertThat(commands).as("the README's command blocks").hasSizeGreaterThan(5);
        buildOnce(checkout);

        Path script = Files.writeString(home.resolve("readme.sh"), script(commands));
        Path output = home.resolve("readme.out");
        // its own process group: `coop up &`, anvil and anything else the README starts are stopped with it
        ProcessBuilder bash = new ProcessBuilder("setsid", "bash", script.toString())
                .directory(checkout.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        COOP_VARIABLES.forEach(bash.environment()::remove);
        bash.environment().put("HOME", home.toString());
        // what ~/.datacoop is to a user; Java's user.home is the account's home, not $HOME
        Path dataDir = home.resolve(".datacoop");
        bash.environment().put("COOP_DATA_DIR", dataDir.toString());
        Process run = bash.start();
        boolean finished;
        try {
            finished = run.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            stopGroup(run.pid());
        }
        String printed = Files.readString(output);
        assertThat(finished).as("the README ran within %s; %s", LIMIT, failedBlock(printed, commands)).isTrue();
        assertThat(run.exitValue()).as("exit status; %s", failedBlock(printed, commands)).isZero();
        assertThat(printed).as("every block ran").contains(MARK + commands.getLast().line());
        assertThat(dataDir.resolve("wallet.json")).as("the walkthrough's data dir").exists();

        checkUpSample(readme, Files.readAllLines(home.resolve("coop-up.log")));
    }

    /**
     * The CLI built once, as a user's first run would, with the real HOME, where Maven keeps its
     * repository; then a run on the class-data archive the launcher made prints its answer alone.
     */
    private static void buildOnce(Path checkout) throws IOException, InterruptedException {
        coopVersion(checkout);
        assertThat(checkout.resolve("cli/target/coop.jsa")).as("the launcher's class-data archive").isNotEmptyFile();
        assertThat(coopVersion(checkout)).as("the JVM says nothing of the archive on stdout").matches("coop \\S+\n");
    }

    /** What {@code ./coop --version} prints on stdout, once it has exited 0. */
    private static String coopVersion(Path checkout) throws IOException, InterruptedException {
        Process version = new ProcessBuilder("./coop", "--version").directory(checkout.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start(); // a build failure shows in the test log
        String out = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(version.waitFor(10, TimeUnit.MINUTES)).as(out).isTrue();
        assertThat(version.exitValue()).as(out).isZero();
        return out;
    }

    /** The blocks fenced with {@code ```lang}. */
    static List<Block> blocks(List<String> readme, String lang) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            if (readme.get(i).equals("```" + lang)) {
                int start = i + 1;
                int end = start;
                while (end < readme.size() && !readme.get(end).startsWith("```")) {
                    end++;
                }
                assertThat(end).as("the block at README.md line %d is closed", start + 1).isLessThan(readme.size());
                blocks.add(new Block(start + 1, readme.subList(start, end)));
                i = end;
            }
        }
        return blocks;
    }

    /** The blocks as one bash script, each announced by a mark that names its README line. */
    static String script(List<Block> blocks) {
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        for (Block block : blocks) {
            script.append("echo '").append(MARK).append(block.line()).append("'\n");
            for (String line : block.lines()) {
                script.append(COOP_TEST.matcher(line).matches() ? ": skipped, it runs this test: " + line.strip() : line)
                        .append('\n');
            }
        }
        return script.toString();
    }

    /** The block that was running when the script stopped, with what it printed. */
    private static String failedBlock(String printed, List<Block> blocks) {
        int at = printed.lastIndexOf(MARK);
        if (at < 0) {
            return "it stopped before the first block:\n" + printed;
        }
        String fromMark = printed.substring(at + MARK.length());
        int line = Integer.parseInt(fromMark.lines().findFirst().orElseThrow().strip());
        Block block = blocks.stream().filter(b -> b.line() == line).findFirst().orElseThrow();
        return "the block at README.md line " + line + " failed:\n" + String.join("\n", block.lines())
                + "\n--- what it printed ---\n" + fromMark.substring(fromMark.indexOf('\n') + 1);
    }

    /**
     * The README's {@code $ ./coop up} sample against what the walkthrough's {@code coop up} printed
     * to {@code ~/coop-up.log}: the same names in the same order, one line each, values of the same
     * kind (a url, an address); the values themselves differ per run.
     */
    private static void checkUpSample(List<String> readme, List<String> log) {
        List<String> sample = blocks(readme, "text").stream()
                .map(Block::lines)
                .filter(lines -> !lines.isEmpty() && lines.getFirst().startsWith("$ ./coop up"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the README has no `$ ./coop up` sample"))
                .stream().skip(1).toList();
        int first = log.indexOf(log.stream().filter(l -> l.startsWith("rpc-url ")).findFirst()
                .orElseThrow(() -> new AssertionError("coop up printed no rpc-url:\n" + String.join("\n", log))));
        List<String> printed = log.subList(first, log.size()).stream().takeWhile(l -> !l.startsWith("ready:")).toList();
        assertThat(names(sample)).as("the names in the README's coop up sample").isEqualTo(names(printed));
        for (int i = 0; i < sample.size(); i++) {
            assertThat(kind(printed.get(i))).as("the kind of value of `%s`", sample.get(i)).isEqualTo(kind(sample.get(i)));
        }
    }

    private static List<String> names(List<String> lines) {
        return lines.stream().map(line -> line.split(" ", 2)[0]).toList();
    }

    private static String kind(String line) {
        String value = line.split(" ", 2)[1];
        if (value.matches("http://127\\.0\\.0\\.1:\\d+")) {
            return "url";
        }
        return value.matches("0x[0-9a-f]{40}") ? "address" : value;
    }

    /** SIGTERM to the group (coop up stops anvil on it), then SIGKILL to whatever is left after a minute. */
    private static void stopGroup(long group) throws IOException, InterruptedException {
        signal("-TERM", group);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (signal("-0", group) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        if (signal("-0", group)) {
            signal("-KILL", group);
            throw new AssertionError("processes the README started were still running a minute after SIGTERM");
        }
    }

    /** {@code kill SIGNAL -- -GROUP}; whether a process of the group got it. */
    private static boolean signal(String signal, long group) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, "--", "-" + group).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return kill.waitFor() == 0;
    }
}
