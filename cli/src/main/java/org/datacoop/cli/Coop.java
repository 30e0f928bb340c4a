package org.datacoop.cli;

import org.datacoop.chain.ChainException;
import org.datacoop.protocol.crypto.CryptoException;
import org.datacoop.protocol.storage.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
            RewardCommand.class,
            JobCommand.class,
            DlpCommand.class,
            NodeCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Coop {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree with DataCoop's error handling: a known failure prints one clear line. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Coop());
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof ChainException
                    || e instanceof CryptoException
                    || e instanceof StorageException
                    || e instanceof IllegalArgumentException) {
                command.getErr().println("coop: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli;
    }
}
