package org.datacoop.chain.devnet;

import java.nio.file.Files;
import java.nio.file.Path;
import org.datacoop.chain.ChainException;

/**
 * Finds the EVM tools the project installs from npm ({@code anvil}, {@code forge}, {@code cast})
 * under {@code node_modules/.bin} of the DataCoop checkout. The checkout is the {@code coop.home}
 * system property (set by the {@code coop} launcher and the build) or the {@code COOP_HOME}
 * environment variable.
 */
public final class Toolchain {
    private final Path home;

    private Toolchain(Path home) {
        this.home = home;
    }

    /** The toolchain of this checkout; fails saying how to set it when the checkout is unknown. */
    public static Toolchain discover() {
        String home = System.getProperty("coop.home");
        if (home == null || home.isBlank()) {
            home = System.getenv("COOP_HOME");
        }
        if (home == null || home.isBlank()) {
            throw new ChainException("cannot find the DataCoop checkout: run through ./coop, or set COOP_HOME");
        }
        return new Toolchain(Path.of(home).toAbsolutePath().normalize());
    }

    public static Toolchain at(Path home) {
        return new Toolchain(home.toAbsolutePath().normalize());
    }

    /** The executable {@code name}; fails naming it and the fix when it is not installed. */
    public Path tool(String name) {
        Path tool = home.resolve("node_modules").resolve(".bin").resolve(name);
        if (!Files.isExecutable(tool)) {
            throw new ChainException(name + " is not installed at " + tool
                    + " (run `npm ci` in " + home + ", or `./coop build`)");
        }
        return tool;
    }

    public Path home() {
        return home;
    }
}
