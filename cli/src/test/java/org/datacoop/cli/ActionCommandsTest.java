package org.datacoop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arguments of the commands for actions that exist in the contracts (issue 18): help with a
 * whole-sentence summary and {@code --json}, and bad arguments refused in one clear line before any
 * data dir, chain or wallet is touched (the data dir here holds no deployment at all).
 */
class ActionCommandsTest {
    @TempDir
    Path dataDir;

    /** {@code coop ARGS} with this test's data dir, which holds no deployment; help needs none. */
    private CoopRun run(String... args) {
        if (args[args.length - 1].equals("--help")) {
            return CoopRun.of(args);
        }
        String[] withDir = Arrays.copyOf(args, args.length + 2);
        withDir[args.length] = "--data-dir";
        withDir[args.length + 1] = dataDir.toString();
        return CoopRun.of(withDir);
    }

    @Test
    void everyNewCommandHasASentenceOfHelpAndJson() {
        String[][] commands = {
            {"file", "share"}, {"file", "revoke"}, {"dlp", "update"}, {"deposit", "withdraw"},
            {"refiner", "remove-service"}, {"refiner", "run"}
        };
        for (String[] command : commands) {
            String help = run(command[0], command[1], "--help").out();
            String summary = String.join(" ", Coop.commandLine().getSubcommands().get(command[0]).getSubcommands().get(command[1])
                    .getCommandSpec().usageMessage().description());
            assertThat(summary).as(String.join(" ", command)).matches("[A-Z].*\\.");
            assertThat(help).as(String.join(" ", command)).contains("--json", "--data-dir", summary.substring(0, 40));
        }
        assertThat(run("file", "--help").out()).contains("share", "revoke");
        assertThat(run("deposit", "--help").out()).contains("withdraw");
        assertThat(run("dlp", "update", "--help").out()).contains("ID", "--program", "--program-url", "--reward-per-file",
                "--min-group-size", "--share");
        assertThat(run("contribute", "--help").out()).contains("--share");
    }

    @Test
    void dlpUpdateNeedsSomethingToChangeAndChecksItFirst() {
        assertThat(run("dlp", "update", "1").err()).startsWith("coop: nothing to change");
        assertThat(run("dlp", "update", "1", "--program-url", "http://x/p").err())
                .startsWith("coop: --program-url needs --program");
        assertThat(run("dlp", "update", "1", "--min-group-size", "-1").err()).startsWith("coop: --min-group-size must not be negative");
        assertThat(run("dlp", "update", "1", "--share", "101").err()).startsWith("coop: --share must be a percentage");
        assertThat(run("dlp", "update", "1", "--share", "12.345").err()).startsWith("coop: --share takes at most two decimals");
        assertThat(run("dlp", "update", "1", "--reward-per-file", "-1").err()).startsWith("coop: --reward-per-file must not be negative");
        assertThat(run("dlp", "update", "1", "--program", dataDir.resolve("missing.json").toString()).err())
                .startsWith("coop: no program file at");
        assertThat(run("dlp", "update", "x", "--share", "1").exit()).as("a DataDAO id is a number").isEqualTo(2);
    }

    @Test
    void sharesAreWholeBasisPoints() {
        assertThat(DlpUpdateCommand.basisPoints(new BigDecimal("20"))).isEqualTo(2000);
        assertThat(DlpUpdateCommand.basisPoints(new BigDecimal("12.5"))).isEqualTo(1250);
        assertThat(DlpUpdateCommand.basisPoints(new BigDecimal("0.01"))).isEqualTo(1);
        assertThat(DlpUpdateCommand.percent(1250)).isEqualTo("12.5");
        assertThat(DlpUpdateCommand.percent(0)).isEqualTo("0");
        assertThatThrownBy(() -> DlpUpdateCommand.basisPoints(new BigDecimal("-1"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void depositWithdrawTakesExactlyOneAmount() {
        assertThat(run("deposit", "withdraw").exit()).isEqualTo(2);
        CoopRun both = run("deposit", "withdraw", "--amount", "1", "--all");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(run("deposit", "withdraw", "--amount", "0").err()).startsWith("coop: --amount must be more than 0");
        assertThat(run("deposit", "withdraw", "--amount", "0.0000000000000000001").err())
                .startsWith("coop: --amount has more than 18 decimals");
    }

    @Test
    void fileCommandsNameTheAccount() {
        assertThat(run("file", "share", "1").err()).contains("--to");
        assertThat(run("file", "revoke", "1").err()).contains("--from");
        assertThat(run("file", "share", "one", "--to", "0x" + "1".repeat(40)).exit()).isEqualTo(2);
    }

    @Test
    void refinerRunAndRemoveServiceCheckTheirArguments() {
        assertThat(run("refiner", "run", "--dlp", "1", "--wait", "--timeout", "0").err())
                .startsWith("coop: --timeout must be at least 1 second");
        assertThat(run("refiner", "run").err()).contains("--dlp");
        assertThat(run("refiner", "remove-service", "--dlp", "1").err()).contains("ADDRESS");
    }
}
