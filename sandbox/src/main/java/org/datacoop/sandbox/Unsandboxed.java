package org.datacoop.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.datacoop.sandbox.SandboxException.Reason;

/**
 * No sandbox: the program runs as the node's user and sees the node's file system, its keys
 * included. Only for an operator who passed {@code --unsafe-no-sandbox} on a machine without
 * bubblewrap; every attestation then says {@code none}. Paths inside the launch ({@code /input},
 * {@code /output}, mounts) are translated to the host's, and images cannot run.
 */
public final class Unsandboxed implements Sandbox {
    private final SandboxArea area;

    public Unsandboxed(Path nodeDir) {
        this.area = SandboxArea.sameUser(nodeDir);
    }

    @Override
    public String type() {
        return "none";
    }

    @Override
    public SandboxArea area() {
        return area;
    }

    @Override
    public List<String> commandLine(Launch launch) {
        Limits limits = launch.limits();
        List<String> command = new ArrayList<>(List.of(Bubblewrap.tool("prlimit").orElse("prlimit"),
                "--as=" + limits.memoryBytes(), "--nofile=" + limits.openFiles(), "--fsize=" + limits.outputBytes(),
                "--core=0", "--"));
        launch.command().forEach(argument -> command.add(hostPath(launch, argument)));
        return List.copyOf(command);
    }

    @Override
    public int run(Launch launch) {
        if (!(launch.root() instanceof Root.Host)) {
            throw new SandboxException(Reason.UNAVAILABLE, "an image cannot run without a sandbox; install bubblewrap");
        }
        Map<String, String> environment = new HashMap<>();
        launch.environment().forEach((name, value) -> environment.put(name, hostPath(launch, value)));
        return Supervision.run(new ProcessBuilder(commandLine(launch))
                .directory(Path.of(hostPath(launch, launch.workingDir())).toFile()), environment, launch);
    }

    /** {@code path} inside the sandbox as a path on this machine; anything else unchanged. */
    private static String hostPath(Launch launch, String path) {
        Map<String, Path> mounts = new HashMap<>();
        mounts.put(Launch.INPUT, launch.input());
        mounts.put(Launch.OUTPUT, launch.output());
        launch.sealed().ifPresent(sealed -> mounts.put(Launch.SEALED, sealed));
        launch.mounts().forEach(mount -> mounts.put(mount.target(), mount.source()));
        for (Map.Entry<String, Path> mount : mounts.entrySet()) {
            String target = mount.getKey();
            if (path.equals(target)) {
                return mount.getValue().toString();
            }
            if (path.startsWith(target + "/")) {
                return mount.getValue().resolve(path.substring(target.length() + 1)).toString();
            }
        }
        return path;
    }
}
