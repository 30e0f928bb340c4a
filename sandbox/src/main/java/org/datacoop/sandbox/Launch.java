package org.datacoop.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of an untrusted program. Inside the sandbox it sees {@code input} at {@code /input}
 * (read-only), {@code output} at {@code /output}, {@code sealed} at {@code /sealed} when given, a
 * private {@code /tmp}, the {@code mounts} (read-only) and its {@code root}; nothing else.
 *
 * @param command the program and its arguments, as paths inside the sandbox
 * @param environment every variable the program gets (nothing is inherited from the node)
 * @param workingDir its working directory inside the sandbox
 */
public record Launch(
        Root root,
        List<String> command,
        Map<String, String> environment,
        String workingDir,
        Path input,
        Path output,
        Optional<Path> sealed,
        List<Mount> mounts,
        Limits limits,
        Duration timeout) {
    public static final String INPUT = "/input";
    public static final String OUTPUT = "/output";
    public static final String SEALED = "/sealed";

    public Launch {
        Objects.requireNonNull(root, "root");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a launch needs a command");
        }
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        input = input.toAbsolutePath().normalize();
        output = output.toAbsolutePath().normalize();
        sealed = sealed.map(path -> path.toAbsolutePath().normalize());
        mounts = List.copyOf(mounts);
        Objects.requireNonNull(limits, "limits");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a launch needs a positive timeout");
        }
    }
}
