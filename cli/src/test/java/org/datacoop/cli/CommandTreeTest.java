package org.datacoop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Every command and subcommand, found by walking picocli's tree (so a command added later is
 * checked too): its help works, its summary is a whole sentence, its help is written in whole
 * paragraphs, and it takes {@code --json}.
 */
class CommandTreeTest {
    @TestFactory
    Stream<DynamicTest> everyCommand() {
        List<List<String>> paths = new ArrayList<>();
        collect(Coop.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(20);
        return paths.stream().map(path -> DynamicTest.dynamicTest(String.join(" ", prepend("coop", path)), () -> check(path)));
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            // picocli's own `help` is not DataCoop's: it only prints another command's help
            boolean alias = !name.equals(sub.getCommandName());
            if (!alias && !(sub.getCommand() instanceof CommandLine.HelpCommand)) {
                List<String> longer = new ArrayList<>(path);
                longer.add(name);
                collect(sub, longer, paths);
            }
        });
    }

    private static void check(List<String> path) {
        CommandLine cli = Coop.commandLine();
        CommandLine command = cli;
        for (String name : path) {
            command = command.getSubcommands().get(name);
        }
        String[] summary = command.getCommandSpec().usageMessage().description();
        assertThat(summary).as("a description").isNotEmpty();
        assertThat(summary[0]).as("the summary of coop %s", String.join(" ", path))
                .matches("[A-Z].*\\.").doesNotEndWith("..");
        assertThat(command.getCommandSpec().findOption("--json")).as("--json on coop %s", String.join(" ", path)).isNotNull();
        // picocli wraps each element of a description as a paragraph of its own: one cut by hand at
        // some width comes out as a ragged line per element
        List<String> paragraphs = new ArrayList<>(List.of(summary));
        command.getCommandSpec().options().forEach(option -> paragraphs.addAll(List.of(option.description())));
        command.getCommandSpec().positionalParameters().forEach(parameter -> paragraphs.addAll(List.of(parameter.description())));
        assertThat(paragraphs).as("the paragraphs of coop %s's help", String.join(" ", path))
                .allSatisfy(paragraph -> assertThat(paragraph).matches("|.*[.:)?!`]"));

        List<String> args = new ArrayList<>(path);
        args.add("--help");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute(args.toArray(String[]::new))).as(err.toString()).isZero();
        // picocli wraps the help to the terminal's width
        assertThat(out.toString().replaceAll("\\s+", " ")).startsWith("Usage: coop").contains("--json", summary[0]);
    }
}
