package org.datacoop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code coop wallet}: the contributor's key, kept only in an encrypted keystore. */
@Command(
        name = "wallet",
        mixinStandardHelpOptions = true,
        description = "Creates, imports and shows the wallet kept in DIR/wallet.json (an encrypted keystore, mode 600).",
        subcommands = {WalletCommand.Create.class, WalletCommand.Import.class, WalletCommand.Show.class})
final class WalletCommand {
    /** Given here it applies to the subcommand: {@code coop wallet --json ...}. */
    @Mixin
    private JsonOption json;

    /** Prints the wallet and where it is kept: a keystore path, or {@code $COOP_PRIVATE_KEY}. */
    private static void print(CommandSpec spec, boolean json, Address address, String verb, String source) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode body = Json.object();
            body.put("address", address.value());
            body.put("source", source);
            out.println(Json.write(body));
        } else {
            out.println(verb + " " + address + " (" + source + ")");
        }
    }

    private static Path freeKeystore(Path dataDir) {
        Path keystore = dataDir.resolve(WalletOptions.KEYSTORE);
        if (Files.exists(keystore)) {
            throw new CoopException(ErrorCode.REFUSED, "a wallet already exists at " + keystore + "; nothing was changed");
        }
        return keystore;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a new wallet.")
    static final class Create implements Callable<Integer> {
        @Mixin
        private DataDirOption dataDir;

        @Mixin
        private WalletOptions wallet;

        @Mixin
        private JsonOption json;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            Path keystore = freeKeystore(dataDir.resolve());
            Wallet created = Wallet.create();
            created.save(keystore, wallet.password("new wallet password: "));
            print(spec, json.on(), created.address(), "created wallet", keystore.toString());
            return 0;
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = "Imports a private key (from --private-key-file or $COOP_PRIVATE_KEY) or a keystore file.")
    static final class Import implements Callable<Integer> {
        @Mixin
        private DataDirOption dataDir;

        @Mixin
        private WalletOptions wallet;

        static final class Source {
            @Option(names = "--private-key-file", paramLabel = "FILE", description = "File holding the hex private key.")
            Path privateKeyFile;

            @Option(names = "--keystore", paramLabel = "FILE", description = "A Web3 Secret Storage keystore to copy.")
            Path keystore;
        }

        @ArgGroup(exclusive = true)
        private Source source;

        @Mixin
        private JsonOption json;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            Path target = freeKeystore(dataDir.resolve());
            Wallet imported;
            if (source != null && source.keystore != null) {
                char[] password = wallet.password("password of " + source.keystore + ": ");
                imported = Wallet.load(source.keystore, password);
                imported.save(target, password);
            } else {
                String key = Secrets.of(spec)
                        .find(Secrets.Secret.PRIVATE_KEY, null, source == null ? null : source.privateKeyFile)
                        .orElseThrow(() -> new IllegalArgumentException(
                                "nothing to import: pass --private-key-file, --keystore, or set COOP_PRIVATE_KEY"));
                imported = Wallet.fromPrivateKey(key);
                imported.save(target, wallet.password("new wallet password: "));
            }
            print(spec, json.on(), imported.address(), "imported wallet", target.toString());
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows the wallet's address.")
    static final class Show implements Callable<Integer> {
        @Mixin
        private DataDirOption dataDir;

        @Mixin
        private JsonOption json;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            var key = Secrets.of(spec).find(Secrets.Secret.PRIVATE_KEY, null, null);
            if (key.isPresent()) {
                print(spec, json.on(), Wallet.fromPrivateKey(key.get()).address(), "wallet", "$COOP_PRIVATE_KEY");
                return 0;
            }
            Path keystore = dataDir.resolve().resolve(WalletOptions.KEYSTORE);
            if (!Files.isRegularFile(keystore)) {
                throw new CoopException(ErrorCode.NOT_FOUND, "no wallet at " + keystore + " (create one with `coop wallet create`)");
            }
            // A keystore names its address in the clear, so showing it needs no password.
            Address address;
            try {
                JsonNode stored = Json.MAPPER.readTree(keystore.toFile());
                address = Address.of("0x" + stored.path("address").asText().replaceFirst("^0x", ""));
            } catch (IOException | IllegalArgumentException e) {
                throw new CoopException(ErrorCode.BAD_INPUT, keystore + " is not a valid keystore: it names no address");
            }
            print(spec, json.on(), address, "wallet", keystore.toString());
            return 0;
        }
    }
}
