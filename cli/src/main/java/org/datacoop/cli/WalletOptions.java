package org.datacoop.cli;

import java.io.Console;
import java.nio.file.Path;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.sdk.contribute.Contributor;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the acting wallet comes from: {@code COOP_PRIVATE_KEY} when set (as {@code PRIVATE_KEY} in
 * the peers' SDKs), else the keystore {@code DIR/wallet.json}, opened with the password from
 * {@code --wallet-password-file}, {@code COOP_WALLET_PASSWORD}, or the terminal.
 */
public final class WalletOptions {
    static final String KEYSTORE = "wallet.json";

    @Option(
            names = "--wallet-password-file",
            paramLabel = "FILE",
            description = "File holding the wallet password (default: $COOP_WALLET_PASSWORD, else asked).")
    private Path passwordFile;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    public Wallet load(Path dataDir) {
        return Secrets.of(spec).find(Secrets.Secret.PRIVATE_KEY, null, null)
                .map(Wallet::fromPrivateKey)
                .orElseGet(() -> {
                    Path keystore = dataDir.resolve(KEYSTORE);
                    return Wallet.load(keystore, password("wallet password for " + keystore + ": "));
                });
    }

    /** The acting wallet's address; a keystore that names it is not opened, so no password is asked. */
    public Address address(Path dataDir) {
        return Secrets.of(spec).find(Secrets.Secret.PRIVATE_KEY, null, null)
                .map(key -> Wallet.fromPrivateKey(key).address())
                .orElseGet(() -> Wallet.addressOfKeystore(dataDir.resolve(KEYSTORE)).orElseGet(() -> load(dataDir).address()));
    }

    /** The acting wallet as a contributor on the network {@code coop up} recorded in {@code dataDir}. */
    Contributor contributor(Path dataDir) {
        return Contributor.connect(Deployment.readFrom(dataDir), load(dataDir), dataDir.resolve("tmp"));
    }

    char[] password(String prompt) {
        var given = Secrets.of(spec).find(Secrets.Secret.WALLET_PASSWORD, null, passwordFile);
        if (given.isPresent()) {
            return given.get().toCharArray();
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
