package org.datacoop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coop status}: what a ready {@code coop up} printed, read by another process; never a
 * {@code coop up} that is not running. (The real {@code coop up} writing it is in the acceptance tests.)
 */
class StatusCommandTest {
    @TempDir
    Path dataDir;

    private void upPrinted() {
        Map<String, String> printed = new LinkedHashMap<>();
        printed.put("rpc-url", "http://127.0.0.1:41234");
        printed.put("DataRegistry", "0x5fbdb2315678afecb367f032d93f642f64180aa3");
        UpStatus.write(dataDir, printed); // this test's own JVM stands for the running coop up
    }

    private CoopRun status(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "status";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data-dir";
        all[args.length + 2] = dataDir.toString();
        return CoopRun.of(all);
    }

    @Test
    void printsWhatUpPrintedOrOneBareValue() {
        upPrinted();
        assertThat(status().out()).isEqualTo(
                "rpc-url http://127.0.0.1:41234\nDataRegistry 0x5fbdb2315678afecb367f032d93f642f64180aa3\n");
        assertThat(status("rpc-url").out()).isEqualTo("http://127.0.0.1:41234\n");
        assertThat(status("--wait", "rpc-url", "--json").out()).isEqualTo("{\"rpc-url\":\"http://127.0.0.1:41234\"}\n");
    }

    @Test
    void anUnknownNameIsRefusedNamingWhatThereIs() {
        upPrinted();
        CoopRun run = status("rpc_url");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("`coop up` printed no rpc_url; it printed rpc-url, DataRegistry");
    }

    @Test
    void noCoopUpIsNotRunningAndWaitingForItEndsWithItsTimeout() {
        CoopRun none = status("--json");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.out()).contains("\"code\":\"unreachable\"", "`coop up` is not running on " + dataDir);

        CoopRun waited = status("--wait", "--timeout", "1");
        assertThat(waited.exit()).isEqualTo(1);
        assertThat(waited.err()).contains("`coop up` is not ready on " + dataDir + " after 1 s");
    }

    @Test
    void aFileThatAKilledUpLeftBehindIsNotARunningOne() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(dataDir.resolve(UpStatus.FILE_NAME),
                "{\"pid\":" + gone.pid() + ",\"printed\":{\"rpc-url\":\"http://127.0.0.1:41234\"}}\n");
        CoopRun run = status("rpc-url");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("`coop up` is not running on " + dataDir);
    }

    @Test
    void aTimeoutBelowOneSecondIsRefused() {
        CoopRun run = status("--wait", "--timeout", "0");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("--timeout must be at least 1 second");
    }
}
