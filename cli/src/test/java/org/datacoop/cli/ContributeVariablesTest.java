package org.datacoop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code coop contribute --env/--secret}: bad variables are one clear line, before anything is sent or paid. */
class ContributeVariablesTest {
    @TempDir
    Path dataDir;

    private record Run(int exit, String out, String err) {}

    private Run contribute(String... options) {
        CommandLine cli = Coop.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] args = new String[options.length + 5];
        args[0] = "contribute";
        args[1] = "no-such-file.json";
        args[2] = "--dlp=1";
        args[3] = "--data-dir";
        args[4] = dataDir.toString(); // no deployment there: reaching the chain would fail differently
        System.arraycopy(options, 0, args, 5, options.length);
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpNamesTheOptions() {
        assertThat(contribute("--help").out()).contains("--env", "NAME=VALUE", "--secret", "NAME=@FILE");
    }

    @Test
    void aMalformedEnvVarIsNamed() {
        Run run = contribute("--env", "MODE");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("coop: --env takes NAME=VALUE, not MODE" + System.lineSeparator());
        assertThat(contribute("--env", "=x").err()).contains("--env takes NAME=VALUE");
        assertThat(contribute("--env", "1MODE=x").err()).contains("--env 1MODE: not an environment variable name");
    }

    @Test
    void aMalformedSecretNeverEchoesItsValue() {
        Run run = contribute("--secret", "sk-live-12345");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("--secret takes NAME=VALUE or NAME=@FILE").doesNotContain("sk-live");
        assertThat(contribute("--secret", "API-KEY=sk-live-12345").err()).contains("--secret API-KEY: not an environment variable")
                .doesNotContain("sk-live");
    }

    @Test
    void reservedNamesAreRefused() {
        assertThat(contribute("--env", "LD_PRELOAD=/tmp/x.so").err()).contains("--env LD_PRELOAD: the name is reserved");
        assertThat(contribute("--secret", "PATH=/tmp").err()).contains("--secret PATH: the name is reserved");
    }

    @Test
    void aNameGivenTwiceOrAsBothKindsIsRefused() {
        assertThat(contribute("--env", "MODE=a", "--env", "MODE=b").err()).contains("--env MODE is given twice");
        assertThat(contribute("--env", "MODE=a", "--secret", "MODE=b").err())
                .contains("MODE is given both as an env var and as a secret");
    }

    @Test
    void aSecretFileThatCannotBeReadIsNamed() {
        Path missing = dataDir.resolve("missing-secret");
        assertThat(contribute("--secret", "API_KEY=@" + missing).err())
                .contains("--secret API_KEY: the file " + missing + " does not exist");
    }

    @Test
    void aSecretFileOtherUsersCanReadIsWarnedAboutWithoutShowingIt() throws Exception {
        Path shared = java.nio.file.Files.writeString(dataDir.resolve("shared-secret"), "sk-live-67890\n");
        java.nio.file.Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Run run = contribute("--secret", "API_KEY=@" + shared);
        assertThat(run.err()).contains("coop: warning: --secret API_KEY: the file " + shared + " is readable by other users")
                .contains("chmod 600").doesNotContain("sk-live");
    }

    @Test
    void goodVariablesGetPastTheCheck() throws Exception {
        Path secret = java.nio.file.Files.writeString(dataDir.resolve("secret"), "sk-live-12345\n");
        java.nio.file.Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Run run = contribute("--env", "MODE=strict", "--env", "EMPTY=", "--secret", "API_KEY=@" + secret);
        // the next thing the command needs is the deployment, which this data dir lacks
        assertThat(run.err()).doesNotContain("--env", "--secret", "sk-live");
        assertThat(run.exit()).isNotZero();
    }
}
