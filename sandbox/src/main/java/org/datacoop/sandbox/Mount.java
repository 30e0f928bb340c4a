package org.datacoop.sandbox;

import java.nio.file.Path;

/** A host file or directory shown read-only inside the sandbox at {@code target} (an absolute path). */
public record Mount(Path source, String target) {
    public Mount {
        if (!target.startsWith("/") || target.contains("..")) {
            throw new IllegalArgumentException("a mount target must be an absolute path without '..': " + target);
        }
        source = source.toAbsolutePath().normalize();
    }
}
