package org.datacoop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.devnet.Anvil;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** coop wallet, encrypt and decrypt as a user runs them, with GnuPG opening what coop writes. */
class WalletAndFileCommandsTest {
    @TempDir
    Path dir;

    private Path dataDir;
    private Path passwordFile;

    private record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        CommandLine cli = Coop.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    @BeforeEach
    void setUp() throws Exception {
        dataDir = dir.resolve("coop");
        // readable by its owner only, as a secret's file should be (coop warns otherwise)
        passwordFile = Files.writeString(dir.resolve("wallet-password"), "correct horse battery\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void createsAWalletOnceAndShowsItWithoutItsPassword() throws Exception {
        Run created = run("wallet", "create", "--json", "--data-dir", dataDir.toString(),
                "--wallet-password-file", passwordFile.toString());
        assertThat(created.exit()).as(created.err()).isZero();
        String address = new ObjectMapper().readTree(created.out()).path("address").asText();
        assertThat(address).matches("0x[0-9a-f]{40}");
        Path keystore = dataDir.resolve("wallet.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore))).isEqualTo("rw-------");

        Run shown = run("wallet", "show", "--data-dir", dataDir.toString());
        assertThat(shown.out()).isEqualTo("wallet " + address + " (" + keystore + ")" + System.lineSeparator());

        assertThat(new ObjectMapper().readTree(run("wallet", "show", "--json", "--data-dir", dataDir.toString()).out())
                        .path("source").asText())
                .isEqualTo(keystore.toString());

        Run again = run("wallet", "create", "--data-dir", dataDir.toString(), "--wallet-password-file", passwordFile.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("a wallet already exists at " + keystore + "; nothing was changed");
    }

    @Test
    void showNamesAKeystoreThatIsNotOne() throws Exception {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("wallet.json"), "not json at all");
        Run shown = run("wallet", "show", "--data-dir", dataDir.toString());
        assertThat(shown.exit()).isEqualTo(1);
        assertThat(shown.err()).isEqualTo("coop: " + dataDir.resolve("wallet.json")
                + " is not a valid keystore: it names no address" + System.lineSeparator());
    }

    @Test
    void importsAPrivateKey() throws Exception {
        Path keyFile = Files.writeString(dir.resolve("key"), Anvil.DEV_ACCOUNT_KEY);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        Run imported = run("wallet", "import", "--private-key-file", keyFile.toString(), "--data-dir", dataDir.toString(),
                "--wallet-password-file", passwordFile.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).startsWith("imported wallet 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    }

    @Test
    void gpgOpensWhatCoopEncryptsWithTheWalletAndCoopOpensItBack() throws Exception {
        run("wallet", "create", "--data-dir", dataDir.toString(), "--wallet-password-file", passwordFile.toString());
        Path plain = Files.writeString(dir.resolve("steps.json"), "{\"owner\":\"me\",\"days\":[{\"date\":\"2026-11-01\",\"steps\":8000}]}");
        Path encrypted = dir.resolve("steps.json.gpg");

        Run encrypt = run("encrypt", plain.toString(), "-o", encrypted.toString(), "--data-dir", dataDir.toString(),
                "--wallet-password-file", passwordFile.toString());
        assertThat(encrypt.exit()).as(encrypt.err()).isZero();

        String derived = Wallet.load(dataDir.resolve("wallet.json"), "correct horse battery".toCharArray())
                .encryptionPassword(Wallet.DEFAULT_SEED);
        Path byGpg = dir.resolve("by-gpg.json");
        gpgDecrypt(encrypted, byGpg, derived);
        assertThat(byGpg).hasSameTextualContentAs(plain);

        Path back = dir.resolve("back.json");
        Run decrypt = run("decrypt", encrypted.toString(), "-o", back.toString(), "--data-dir", dataDir.toString(),
                "--wallet-password-file", passwordFile.toString());
        assertThat(decrypt.exit()).as(decrypt.err()).isZero();
        assertThat(back).hasSameTextualContentAs(plain);
    }

    @Test
    void v6IsWrittenOnRequestAndOpenedByDecryptAndAnUnknownFormatIsNamed() throws Exception {
        Path plain = Files.writeString(dir.resolve("steps.json"), "{\"steps\": 8000}");
        Path encrypted = dir.resolve("steps.json.gpg");
        Run encrypt = run("encrypt", plain.toString(), "-o", encrypted.toString(), "--password", "p", "--format", "v6");
        assertThat(encrypt.exit()).as(encrypt.err()).isZero();
        byte[] bytes = Files.readAllBytes(encrypted);
        assertThat(bytes[0]).as("a password packet").isEqualTo((byte) 0xC3);
        assertThat(bytes[2]).as("of version 6").isEqualTo((byte) 6);

        Path back = dir.resolve("back.json");
        Run decrypt = run("decrypt", encrypted.toString(), "-o", back.toString(), "--password", "p");
        assertThat(decrypt.exit()).as(decrypt.err()).isZero();
        assertThat(back).hasSameTextualContentAs(plain);

        Run unknown = run("encrypt", plain.toString(), "-o", dir.resolve("x").toString(), "--password", "p", "--format", "v5");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("Invalid value for option '--format': unknown OpenPGP format 'v5': v4 (the default) or v6");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void theWrongSeedIsAWrongPasswordAndWritesNothing() throws Exception {
        run("wallet", "create", "--data-dir", dataDir.toString(), "--wallet-password-file", passwordFile.toString());
        Path plain = Files.writeString(dir.resolve("chat.txt"), "hello");
        Path encrypted = dir.resolve("chat.gpg");
        run("encrypt", plain.toString(), "-o", encrypted.toString(), "--data-dir", dataDir.toString(),
                "--wallet-password-file", passwordFile.toString());

        Run decrypt = run("decrypt", encrypted.toString(), "-o", dir.resolve("out").toString(), "--seed", "another seed",
                "--data-dir", dataDir.toString(), "--wallet-password-file", passwordFile.toString());
        assertThat(decrypt.exit()).isEqualTo(1);
        assertThat(decrypt.err()).isEqualTo("coop: wrong password for " + encrypted + System.lineSeparator());
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void namesAMissingInputAnExistingOutputAndAMissingWallet() throws Exception {
        Run missing = run("encrypt", dir.resolve("nope").toString(), "-o", dir.resolve("x").toString(), "--password", "p");
        assertThat(missing.err()).contains("coop: no file at " + dir.resolve("nope"));

        Path exists = Files.writeString(dir.resolve("exists"), "keep me");
        Run taken = run("encrypt", exists.toString(), "-o", exists.toString(), "--password", "p");
        assertThat(taken.err()).contains(exists + " exists; pass --force to replace it");
        assertThat(exists).hasContent("keep me");

        Run noWallet = run("encrypt", exists.toString(), "-o", dir.resolve("y").toString(), "--data-dir", dataDir.toString(),
                "--wallet-password-file", passwordFile.toString());
        assertThat(noWallet.exit()).isEqualTo(1);
        assertThat(noWallet.err()).contains("no wallet at " + dataDir.resolve("wallet.json"));
    }

    private static void gpgDecrypt(Path in, Path out, String password) throws Exception {
        Path home = Files.createTempDirectory("gnupg");
        Process gpg = new ProcessBuilder(List.of("gpg", "--homedir", home.toString(), "--batch", "--quiet",
                        "--pinentry-mode", "loopback", "--passphrase-fd", "0", "-o", out.toString(), "-d", in.toString()))
                .redirectErrorStream(true)
                .start();
        gpg.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
        gpg.getOutputStream().close();
        String output = new String(gpg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gpg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gpg.exitValue()).as(output).isZero();
    }
}
