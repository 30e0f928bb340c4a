package org.datacoop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datacoop.cli.compute.AlgorithmCommand;
import org.datacoop.cli.compute.ChallengerCommand;
import org.datacoop.cli.compute.TaskCommand;
import org.datacoop.cli.claim.ClaimCommand;
import org.datacoop.cli.dat.DatCommand;
import org.datacoop.cli.own.OwnCommand;
import org.datacoop.cli.union.TemplateCommand;
import org.datacoop.cli.union.TermsCommand;
import org.datacoop.cli.union.TraceCommand;
import org.datacoop.cli.union.UnionCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Mixin;
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
            StatusCommand.class,
            FaucetCommand.class,
            WalletCommand.class,
            EncryptCommand.class,
            DecryptCommand.class,
            ContributeCommand.class,
            FilesCommand.class,
            DatCommand.class,
            OwnCommand.class,
            TemplateCommand.class,
            TermsCommand.class,
            UnionCommand.class,
            TraceCommand.class,
            ClaimCommand.class,
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
            AlgorithmCommand.class,
            TaskCommand.class,
            ChallengerCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Coop {
    /** Given here it applies to the command that runs: {@code coop --json job show 4}. */
    @Mixin
    private JsonOption json;

    private final Map<String, String> environment;

    private Coop(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree with DataCoop's error handling: a known failure prints one clear line, or JSON. */
    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /**
     * The command tree reading its {@code COOP_*} variables from {@code environment}, so that tests
     * can run commands in process with variables of their own. Every failure of every command is
     * reported here, as {@link JsonOption} describes.
     */
    static CommandLine commandLine(Map<String, String> environment) {
        CommandLine cli = new CommandLine(new Coop(environment));
        IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((e, args) -> {
            if (!JsonOption.requested(List.of(args))) {
                return usage.handleParseException(e, args); // the message and the usage help, on stderr
            }
            return report(e.getCommandLine(), true, ErrorCode.BAD_INPUT, e.getMessage(),
                    e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput());
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            ErrorCode code = ErrorCode.of(e);
            boolean json = JsonOption.requested(parsed.originalArgs());
            if (code == ErrorCode.INTERNAL) {
                if (!json) {
                    throw e; // a bug: picocli prints the stack trace to report it with
                }
                e.printStackTrace(command.getErr());
            }
            return report(command, json, code, ErrorCode.message(e), command.getCommandSpec().exitCodeOnExecutionException());
        });
        return cli;
    }

    private static int report(CommandLine command, boolean json, ErrorCode code, String message, int exit) {
        if (json) {
            ObjectNode error = Json.object();
            error.put("error", message);
            error.put("code", code.id());
            command.getOut().println(Json.write(error));
            command.getOut().flush();
        } else {
            command.getErr().println("coop: " + message);
        }
        return exit;
    }

    /** The variable {@code name} of the environment the command {@code spec} runs in; a blank one is unset. */
    static Optional<String> variable(CommandSpec spec, String name) {
        Coop root = (Coop) spec.root().userObject();
        return Optional.ofNullable(root.environment.get(name)).filter(value -> !value.isBlank());
    }
}
