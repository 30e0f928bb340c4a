package org.datacoop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coop own terms}: help that says what terms do, and bad arguments refused in one clear line
 * before any data dir, chain or wallet is touched (the data dir here holds no deployment at all).
 */
class OwnTermsCommandTest {
    @TempDir
    Path dataDir;

    @Test
    void helpSaysThatTermsGateQueriesAndCompute() {
        String help = CoopRun.of("own", "terms", "--help").out();
        assertThat(help).contains("--terms-url", "--terms-hash", "--terms", "--clear", "--json",
                "Sets or clears the terms");
        assertThat(CoopRun.of("own", "--help").out()).contains("terms");
    }

    @Test
    void badArgumentsAreRefusedByNameBeforeAnythingIsTouched() {
        assertThat(terms("--file", "1").err()).startsWith("coop: give --terms-url (with --terms or --terms-hash), or --clear");
        assertThat(terms("--file", "1", "--terms-url", "https://t").err())
                .startsWith("coop: give the terms' hash with --terms-hash, or a local copy of them with --terms");
        assertThat(terms("--file", "1", "--terms-url", "https://t", "--terms-hash", "0x12").err())
                .startsWith("coop: --terms-hash is not 0x and 64 hex digits: 0x12");
        assertThat(terms("--file", "1", "--terms-url", "https://t", "--terms-hash", "0x" + "ab".repeat(32), "--terms",
                "terms.txt").err()).startsWith("coop: give --terms-hash or --terms, not both");
        assertThat(terms("--file", "1", "--clear", "--terms-url", "https://t").err())
                .startsWith("coop: --clear takes no --terms-url, --terms-hash or --terms");
    }

    private CoopRun terms(String... args) {
        String[] withDir = new String[args.length + 4];
        withDir[0] = "own";
        withDir[1] = "terms";
        System.arraycopy(args, 0, withDir, 2, args.length);
        withDir[args.length + 2] = "--data-dir";
        withDir[args.length + 3] = dataDir.toString();
        return CoopRun.of(withDir);
    }
}
