package org.datacoop.cli;

import java.nio.file.Path;
import org.datacoop.chain.Wallet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The password of an encrypted file: derived from the wallet (the default) or given. */
final class FilePasswordOptions {
    @Option(
            names = "--seed",
            paramLabel = "TEXT",
            description = "Message the wallet signs to derive the password (default: \"" + Wallet.DEFAULT_SEED + "\").")
    private String seed = Wallet.DEFAULT_SEED;

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description = "File holding a password to use instead of the wallet's (default: $COOP_FILE_PASSWORD, else the wallet's).")
    private Path passwordFile;

    @Option(
            names = "--password",
            paramLabel = "TEXT",
            description = "The password itself; other users can read it in the process list, so prefer --password-file.")
    private String password;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    char[] resolve(WalletOptions wallet, Path dataDir) {
        return Secrets.of(spec).find(Secrets.Secret.FILE_PASSWORD, password, passwordFile)
                .orElseGet(() -> wallet.load(dataDir).encryptionPassword(seed))
                .toCharArray();
    }
}
