package org.datacoop.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code coop status [NAME]}: whether {@code coop up} is running on the data dir, and what it printed. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Shows whether `coop up` runs on the data dir and is ready, with the lines it printed.",
            "",
            "Prints the same `name value` lines as `coop up` (rpc-url, storage-url, validator, the "
                + "contracts), or with NAME only that value, for scripts: `cast ... --rpc-url $(coop status "
                + "rpc-url)`. Fails when no `coop up` is running there; with --wait it waits until one is "
                + "ready, so a script that started `coop up &` knows when to go on."
        })
final class StatusCommand implements Callable<Integer> {
    private static final Duration POLL = Duration.ofMillis(250);

    @Mixin
    private DataDirOption dataDir;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "Print only this value (e.g. rpc-url, DataRegistry).")
    private String name;

    @Option(names = "--wait", description = "Wait until `coop up` is ready on the data dir.")
    private boolean await;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "With --wait: how long to wait (default: 120).")
    private long timeoutSeconds = 120;

    @Mixin
    private JsonOption json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second");
        }
        Path dir = dataDir.resolve();
        Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
        Optional<Map<String, String>> running = UpStatus.read(dir);
        while (running.isEmpty() && await) {
            if (Instant.now().isAfter(deadline)) {
                throw new CoopException(ErrorCode.UNREACHABLE, "`coop up` is not ready on " + dir + " after "
                        + timeoutSeconds + " s (its progress and errors go to its own stderr)");
            }
            Thread.sleep(POLL);
            running = UpStatus.read(dir);
        }
        Map<String, String> printed = running.orElseThrow(() -> new CoopException(ErrorCode.UNREACHABLE,
                "`coop up` is not running on " + dir + " (start it with `coop up`, or wait for it with --wait)"));
        if (name != null) {
            if (!printed.containsKey(name)) {
                throw new IllegalArgumentException("`coop up` printed no " + name + "; it printed " + String.join(", ",
                        printed.keySet()));
            }
            printed = Map.of(name, printed.get(name));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json.on()) {
            out.println(Json.write(printed));
        } else if (name != null) {
            out.println(printed.get(name));
        } else {
            printed.forEach((label, value) -> out.println(label + " " + value));
        }
        out.flush();
        return 0;
    }
}
