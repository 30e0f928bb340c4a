package org.datacoop.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datacoop.protocol.crypto.PasswordEncryption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code coop encrypt FILE -o OUT}: OpenPGP, with the wallet-derived password; gpg opens the result. */
@Command(
        name = "encrypt",
        mixinStandardHelpOptions = true,
        description = "Encrypts FILE to OUT (OpenPGP, AES-256, integrity-protected) with the wallet-derived password.")
final class EncryptCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The file to encrypt.")
    private Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", required = true, description = "Where to write the result.")
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
        new PasswordEncryption().encryptFile(input, output, password.resolve(wallet, dataDir.resolve()));
        spec.commandLine().getErr().println("encrypted " + input + " to " + output);
        return 0;
    }
}
