package org.datacoop.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.Optional;
import org.datacoop.chain.ChainException;
import org.datacoop.node.program.ProgramException;
import org.datacoop.protocol.crypto.CryptoException;
import org.datacoop.protocol.storage.StorageException;
import org.datacoop.query.QueryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;

/** {@code coop}: the DataCoop command line. */
@Command(
        name = "coop",
        mixinStandardHelpOptions = true,
        version = "coop 0.1.0",
        description = "DataCoop: contribute private data to DataDAOs, validate it, reward it.",
        subcommands = {
            DemoCommand.class,
            UpCommand.class,
            FaucetCommand.class,
            WalletCommand.class,
            EncryptCommand.class,
            DecryptCommand.class,
            ContributeCommand.class,
            FilesCommand.class,
            FileCommand.class,
            RewardCommand.class,
            JobCommand.class,
            DlpCommand.class,
            NodeCommand.class,
            RefinerCommand.class,
            SchemaCommand.class,
            PermissionCommand.class,
            QueryCommand.class,
            QueryCommand.Earnings.class,
            DepositCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Coop {
    private final Map<String, String> environment;

    private Coop(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree with DataCoop's error handling: a known failure prints one clear line. */
    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /**
     * The command tree reading its {@code COOP_*} variables from {@code environment}, so that tests
     * can run commands in process with variables of their own.
     */
    static CommandLine commandLine(Map<String, String> environment) {
        CommandLine cli = new CommandLine(new Coop(environment));
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            String message = switch (e) {
                case ChainException known -> known.getMessage();
                case CryptoException known -> known.getMessage();
                case StorageException known -> known.getMessage();
                case ProgramException known -> known.getMessage();
                case QueryException known -> known.getMessage();
                case IllegalArgumentException known -> known.getMessage();
                case NoSuchFileException missing -> "no such file: " + missing.getMessage();
                case IOException io -> io.getMessage();
                case UncheckedIOException io -> io.getMessage();
                default -> null;
            };
            if (message == null) {
                throw e;
            }
            command.getErr().println("coop: " + message);
            return 1;
        });
        return cli;
    }

    /** The variable {@code name} of the environment the command {@code spec} runs in; a blank one is unset. */
    static Optional<String> variable(CommandSpec spec, String name) {
        Coop root = (Coop) spec.root().userObject();
        return Optional.ofNullable(root.environment.get(name)).filter(value -> !value.isBlank());
    }
}
