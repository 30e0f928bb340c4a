package org.datacoop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.datacoop.chain.devnet.Anvil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Keys and passwords off the command line: each secret comes from a file or the environment, the
 * option with the secret itself still works but warns, and no error ever shows the secret.
 */
class SecretOptionsTest {
    // anvil's second account: any valid key does, and nothing answers at NOWHERE to use it
    private static final String KEY = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    private static final String NOWHERE = "http://127.0.0.1:9";
    private static final String NL = System.lineSeparator();

    /** What `coop up --rpc-url` says once it has a key: nothing answers there. */
    private static final String NO_NODE = "coop: no JSON-RPC node answers at " + NOWHERE;

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run run(Map<String, String> environment, String... args) {
        CommandLine cli = Coop.commandLine(environment);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    private static Run run(String... args) {
        return run(Map.of(), args);
    }

    private Path secretFile(String name, String content, String permissions) throws Exception {
        Path file = Files.writeString(dir.resolve(name), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    private Run upOnAnRpcUrl(Map<String, String> environment, String... keyArgs) {
        return run(environment, Stream.concat(Stream.of("up", "--rpc-url", NOWHERE, "--data-dir",
                        dir.resolve("coop").toString()), Stream.of(keyArgs))
                .toArray(String[]::new));
    }

    @Test
    void upTakesItsKeyFromAFileWithWhitespaceAndNo0x() throws Exception {
        Path keyFile = secretFile("key", "  " + KEY + "\n\n", "rw-------");
        Run run = upOnAnRpcUrl(Map.of(), "--private-key-file", keyFile.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith(NO_NODE).doesNotContain("warning");
    }

    @Test
    void upTakesItsKeyFromTheEnvironment() {
        Run run = upOnAnRpcUrl(Map.of("COOP_PRIVATE_KEY", "0x" + KEY));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith(NO_NODE).doesNotContain("warning");
    }

    @Test
    void upStillTakesTheKeyOnTheCommandLineButWarns() {
        Run run = upOnAnRpcUrl(Map.of(), "--private-key", "0x" + KEY);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("coop: warning: --private-key puts the key on the command line, where other"
                        + " users can read it (ps, shell history); use --private-key-file or $COOP_PRIVATE_KEY" + NL
                        + NO_NODE)
                .doesNotContain(KEY);
    }

    @Test
    void upWithoutAnyKeyNamesTheFileAndTheVariable() {
        Run run = upOnAnRpcUrl(Map.of());
        assertThat(run.err()).isEqualTo(
                "coop: --rpc-url needs a key: pass --private-key-file or set COOP_PRIVATE_KEY" + NL);
    }

    @Test
    void theKeyAndItsFileTogetherAreRefused() throws Exception {
        Path keyFile = secretFile("key", KEY, "rw-------");
        Run run = upOnAnRpcUrl(Map.of(), "--private-key", KEY, "--private-key-file", keyFile.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("coop: pass --private-key or --private-key-file, not both" + NL);
    }

    @Test
    void aMissingKeyFileIsNamed() {
        Path missing = dir.resolve("no-such-key");
        Run run = upOnAnRpcUrl(Map.of(), "--private-key-file", missing.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("coop: the key file " + missing + " does not exist" + NL);
    }

    @Test
    void anUnreadableKeyFileIsNamed() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file");
        Path locked = secretFile("locked", KEY, "---------");
        Run run = upOnAnRpcUrl(Map.of(), "--private-key-file", locked.toString());
        assertThat(run.err()).isEqualTo("coop: the key file " + locked + " cannot be read: permission denied" + NL);
    }

    @Test
    void aMalformedKeyFileIsNamedWithoutShowingWhatItHolds() throws Exception {
        String almost = KEY.substring(1); // 63 digits: a key with one lost
        Path keyFile = secretFile("key", almost, "rw-------");
        Run run = upOnAnRpcUrl(Map.of(), "--private-key-file", keyFile.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("coop: the key file " + keyFile
                + " does not hold a private key (64 hex digits, with or without 0x)" + NL);
    }

    @Test
    void anEmptyKeyFileIsNamed() throws Exception {
        Path keyFile = secretFile("key", " \n", "rw-------");
        Run run = upOnAnRpcUrl(Map.of(), "--private-key-file", keyFile.toString());
        assertThat(run.err()).isEqualTo("coop: the key file " + keyFile + " is empty" + NL);
    }

    @Test
    void aKeyFileOthersCanReadWorksButWarns() throws Exception {
        Path keyFile = secretFile("key", KEY, "rw-r-----");
        Run run = upOnAnRpcUrl(Map.of(), "--private-key-file", keyFile.toString());
        assertThat(run.err()).startsWith("coop: warning: the key file " + keyFile
                        + " is readable by other users (rw-r-----); chmod 600 " + keyFile + NL + NO_NODE)
                .doesNotContain(KEY);
    }

    @Test
    void aMalformedMaintainerKeyInTheEnvironmentIsNamedWithoutShowingIt() {
        String secretLooking = "0x" + KEY + "ff";
        Run run = run(Map.of("COOP_MAINTAINER_KEY", secretLooking), "node", "run", "--data-dir", dir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo(
                "coop: $COOP_MAINTAINER_KEY does not hold a private key (64 hex digits, with or without 0x)" + NL);
    }

    @Test
    void theMaintainerKeyComesFromAFileAndOnTheCommandLineWarns() throws Exception {
        Files.writeString(dir.resolve("deployment.json"), """
                {"chainId": 1, "rpcUrl": "%s", "devnet": false, "deployer": "0x%s",
                 "sampleDlpId": 1, "contracts": {}, "services": {}}""".formatted(NOWHERE, "0".repeat(40)));

        Path keyFile = dir.resolve("maintainer-key");
        Run noFile = run("node", "run", "--maintainer-key-file", keyFile.toString(), "--data-dir", dir.toString());
        assertThat(noFile.err()).isEqualTo("coop: the key file " + keyFile + " does not exist" + NL);

        secretFile("maintainer-key", Anvil.DEV_ACCOUNT_KEY, "rw-------");
        Run fromFile = run("node", "run", "--maintainer-key-file", keyFile.toString(), "--data-dir", dir.toString());
        assertThat(fromFile.exit()).isEqualTo(1);
        assertThat(fromFile.err()).startsWith("coop: ").doesNotContain("warning", "key");

        Run onTheLine = run("node", "run", "--maintainer-key", Anvil.DEV_ACCOUNT_KEY, "--data-dir", dir.toString());
        assertThat(onTheLine.err()).startsWith("coop: warning: --maintainer-key puts the key on the command line,"
                + " where other users can read it (ps, shell history); use --maintainer-key-file or $COOP_MAINTAINER_KEY"
                + NL);
    }

    @Test
    void aFilePasswordComesFromAFileOrTheEnvironmentAndOnTheCommandLineWarns() throws Exception {
        Path plain = Files.writeString(dir.resolve("steps.json"), "{\"steps\": 8000}");
        Path encrypted = dir.resolve("steps.json.gpg");
        Path passwordFile = secretFile("password", "correct horse battery\n", "rw-------");

        Run encrypt = run("encrypt", plain.toString(), "-o", encrypted.toString(), "--password-file", passwordFile.toString());
        assertThat(encrypt.exit()).as(encrypt.err()).isZero();
        assertThat(encrypt.err()).doesNotContain("warning");

        Path back = dir.resolve("back.json");
        Run decrypt = run(Map.of("COOP_FILE_PASSWORD", "correct horse battery"),
                "decrypt", encrypted.toString(), "-o", back.toString());
        assertThat(decrypt.exit()).as(decrypt.err()).isZero();
        assertThat(back).hasSameTextualContentAs(plain);

        Run onTheLine = run("decrypt", encrypted.toString(), "-o", dir.resolve("again.json").toString(),
                "--password", "correct horse battery");
        assertThat(onTheLine.exit()).as(onTheLine.err()).isZero();
        assertThat(onTheLine.err()).startsWith("coop: warning: --password puts the password on the command line, where"
                + " other users can read it (ps, shell history); use --password-file or $COOP_FILE_PASSWORD" + NL);
    }

    @Test
    void theWalletIsTheEnvironmentsKeyAndAMalformedOneIsNotShown() {
        Run shown = run(Map.of("COOP_PRIVATE_KEY", Anvil.DEV_ACCOUNT_KEY), "wallet", "show", "--data-dir", dir.toString());
        assertThat(shown.out()).isEqualTo("wallet 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266 ($COOP_PRIVATE_KEY)" + NL);

        Run malformed = run(Map.of("COOP_PRIVATE_KEY", "not" + KEY), "wallet", "show", "--data-dir", dir.toString());
        assertThat(malformed.err()).isEqualTo(
                "coop: $COOP_PRIVATE_KEY does not hold a private key (64 hex digits, with or without 0x)" + NL);
    }

    @Test
    void aWalletPasswordFileOthersCanReadWarns() throws Exception {
        Path passwordFile = secretFile("wallet-password", "correct horse battery", "rw-r--r--");
        Run created = run("wallet", "create", "--data-dir", dir.resolve("coop").toString(),
                "--wallet-password-file", passwordFile.toString());
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.err()).isEqualTo("coop: warning: the password file " + passwordFile
                + " is readable by other users (rw-r--r--); chmod 600 " + passwordFile + NL);
    }
}
