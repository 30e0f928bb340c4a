package org.datacoop.sandbox.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A container image unpacked for the sandbox: its root file system and what its config says to run.
 *
 * @param environment the image's {@code Env}, as {@code NAME=VALUE} entries
 * @param workingDir the image's {@code WorkingDir}, {@code /} when it names none
 * @param labels the image's labels (a DataCoop program declares the variables it needs in one)
 */
public record Image(Path rootfs, List<String> entrypoint, List<String> cmd, List<String> environment,
        String workingDir, Map<String, String> labels) {
    public Image {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        environment = List.copyOf(environment);
        labels = Map.copyOf(labels);
    }

    /** What the image runs, as a container runtime would: its entrypoint followed by its cmd. */
    public List<String> command() {
        List<String> command = new ArrayList<>(entrypoint);
        command.addAll(cmd);
        return List.copyOf(command);
    }
}
