package org.datacoop.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.Wallet;
import org.datacoop.sdk.contribute.Contributor;
import picocli.CommandLine.Option;

/**
 * Where the acting wallet comes from: {@code COOP_PRIVATE_KEY} when set (as {@code PRIVATE_KEY} in
 * the peers' SDKs), else the keystore {@code DIR/wallet.json}, opened with the password from
 * {@code --password-file}, {@code COOP_WALLET_PASSWORD}, or the terminal.
 */
final class WalletOptions {
    static final String KEYSTORE = "wallet.json";

    @Option(
            names = "--wallet-password-file",
            paramLabel = "FILE",
            description = "File holding the wallet password (default: $COOP_WALLET_PASSWORD, else asked).")
    private Path passwordFile;

    Wallet load(Path dataDir) {
        String key = System.getenv("COOP_PRIVATE_KEY");
        if (key != null && !key.isBlank()) {
            return Wallet.fromPrivateKey(key);
        }
        Path keystore = dataDir.resolve(KEYSTORE);
        return Wallet.load(keystore, password("wallet password for " + keystore + ": "));
    }

    /** The acting wallet as a contributor on the network {@code coop up} recorded in {@code dataDir}. */
    Contributor contributor(Path dataDir) {
        return Contributor.connect(Deployment.readFrom(dataDir), load(dataDir), dataDir.resolve("tmp"));
    }

    char[] password(String prompt) {
        if (passwordFile != null) {
            try {
                return Files.readString(passwordFile).strip().toCharArray();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the password file " + passwordFile + ": " + e.getMessage());
            }
        }
        String fromEnv = System.getenv("COOP_WALLET_PASSWORD");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException(
                    "no wallet password: pass --wallet-password-file or set COOP_WALLET_PASSWORD");
        }
        char[] typed = console.readPassword(prompt);
        if (typed == null) {
            throw new IllegalArgumentException("no wallet password was typed (the input ended)");
        }
        return typed;
    }
}
