package org.datacoop.cli;

import java.nio.file.Path;
import org.datacoop.chain.Wallet;
import picocli.CommandLine.Option;

/** The password of an encrypted file: derived from the wallet (the default) or given. */
final class FilePasswordOptions {
    @Option(
            names = "--seed",
            paramLabel = "TEXT",
            description = "Message the wallet signs to derive the password (default: \"" + Wallet.DEFAULT_SEED + "\").")
    private String seed = Wallet.DEFAULT_SEED;

    @Option(
            names = "--password",
            paramLabel = "TEXT",
            description = "Use this password instead of the wallet's (visible to other local users in the process list).")
    private String password;

    char[] resolve(WalletOptions wallet, Path dataDir) {
        if (password != null) {
            return password.toCharArray();
        }
        return wallet.load(dataDir).encryptionPassword(seed).toCharArray();
    }
}
