package org.datacoop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coop template|terms|union|trace}: help that says what they do, and bad arguments refused in one
 * clear line before any data dir, chain or wallet is touched (the data dir here holds no deployment at all).
 * The lifecycle on a devnet is {@code UnionTest}'s.
 */
class UnionCommandsTest {
    @TempDir
    Path dataDir;

    @Test
    void helpNamesTheSubcommands() {
        assertThat(CoopRun.of("union", "--help").out()).contains("leaf", "create", "consent", "revoke", "activate", "show");
        assertThat(CoopRun.of("terms", "--help").out()).contains("set", "clear", "show");
        assertThat(CoopRun.of("template", "--help").out()).contains("register", "show");
        assertThat(CoopRun.of("trace", "--help").out()).contains("ASSET_ID|ADDRESS", "--json");
    }

    @Test
    void badArgumentsAreRefusedByNameBeforeAnythingIsTouched() {
        assertThat(run("terms", "set", "--asset", "1", "--template", "1", "--param", "arg1").err())
                .startsWith("coop: --param takes NAME=CONSTRAINT (free, 5, 1..4 or {a,b}), not 'arg1'");
        assertThat(run("terms", "set", "--asset", "1", "--template", "1", "--param", "arg1=5..4").err())
                .startsWith("coop: --param arg1: range 5..4 is empty");
        assertThat(run("terms", "set", "--asset", "1", "--template", "1", "--param", "a=1", "--param", "a=2").err())
                .startsWith("coop: --param names parameter a twice");
        assertThat(run("union", "create", "--template", "1", "--child", "1", "--slot", "arg1=1 arg2").err())
                .startsWith("coop: --slot takes NAME=CONSTRAINT");
        assertThat(run("template", "register", "--name", "add", "--kind", "magic", "--digest", "0x" + "ab".repeat(32),
                "--param", "a").err()).startsWith("coop: --kind: unknown kind 'magic' (algorithm, query or federated)");
        assertThat(run("trace", "cdt3").err())
                .startsWith("coop: trace takes an asset's id or an address (0x and 40 hex digits), not 'cdt3'");
        assertThat(run("trace", "0x12").err())
                .startsWith("coop: trace takes an asset's id or an address (0x and 40 hex digits), not '0x12'");
    }

    @Test
    void jsonErrorsCarryTheirCode() {
        assertThat(run("--json", "trace", "nope").out().replaceAll("\\s", "")).contains("\"code\":\"bad_input\"");
    }

    private CoopRun run(String... args) {
        String[] withDir = new String[args.length + 2];
        System.arraycopy(args, 0, withDir, 0, args.length);
        withDir[args.length] = "--data-dir";
        withDir[args.length + 1] = dataDir.toString();
        return CoopRun.of(withDir);
    }
}
