package org.datacoop.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datacoop.protocol.crypto.PasswordEncryption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code coop decrypt FILE -o OUT}: opens ours and gpg's files; writes OUT only if the integrity check passes. */
@Command(
        name = "decrypt",
        mixinStandardHelpOptions = true,
        description = "Decrypts FILE (OpenPGP, binary or armored, from DataCoop, gpg, Vana or LazAI) to OUT.")
final class DecryptCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The encrypted file.")
    private Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", required = true, description = "Where to write the plaintext.")
    private Path output;

    @Option(names = "--force", description = "Replace OUT if it exists.")
    private boolean force;

    @Mixin
    private FilePasswordOptions password;

    @Mixin
    private WalletOptions wallet;

    @Mixin
    private DataDirOption dataDir;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        FileArguments.requireInput(input);
        FileArguments.requireFreeOutput(output, force);
        new PasswordEncryption().decryptFile(input, output, password.resolve(wallet, dataDir.resolve()));
        spec.commandLine().getErr().println("decrypted " + input + " to " + output);
        return 0;
    }
}
