package org.datacoop.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code --json}, on every command, and the convention it stands for:
 *
 * <ul>
 *   <li>A command given {@code --json} prints its result as one JSON document on stdout (progress,
 *       if any, goes to stderr). A command takes the option with {@code @Mixin JsonOption json} (or
 *       from {@link ChainCommand}) and asks {@link #on()}, which is also true when {@code --json} was
 *       given to a parent command ({@code coop job --json show 4}).
 *   <li>A command that fails under {@code --json} prints one object on stdout,
 *       {@code {"error": "what failed, in words", "code": "not_found"}}, and exits non-zero: 1, or
 *       2 for a command line picocli cannot parse. {@link ErrorCode} lists the codes, which are
 *       stable, and decides which failure gets which; {@link Coop#commandLine()} prints it, for
 *       every command, so commands only throw. A command that knows better than the exception's
 *       type throws {@link CoopException} with the code.
 *   <li>Without {@code --json} a failure is one {@code coop: ...} line on stderr.
 * </ul>
 */
public final class JsonOption {
    static final String NAME = "--json";

    @Option(names = NAME, description = "Print the result as JSON on stdout, and a failure as {\"error\": ..., \"code\": ...}.")
    private boolean json;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    /** Whether this command, or a parent on its command line, was given {@code --json}. */
    public boolean on() {
        for (CommandSpec command = spec; command != null; command = command.parent()) {
            ParseResult parsed = command.commandLine().getParseResult();
            if (parsed != null && parsed.hasMatchedOption(NAME)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a failed command line asked for JSON. It reads the arguments themselves: a command line
     * that did not parse stops before the options that follow the bad one are matched. Arguments
     * after {@code --} are positional, never the option.
     */
    static boolean requested(List<String> args) {
        int end = args.indexOf("--");
        return (end < 0 ? args : args.subList(0, end)).contains(NAME);
    }
}
