package org.datacoop.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --data-dir}, shared by every command that reads or keeps local state. */
public final class DataDirOption {
    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Where the devnet, the deployment and local files are kept "
                    + "(default: $COOP_DATA_DIR, else ~/.datacoop).")
    private Path dataDir;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    public Path resolve() {
        if (dataDir != null) {
            return dataDir.toAbsolutePath().normalize();
        }
        return Coop.variable(spec, "COOP_DATA_DIR")
                .map(fromEnv -> Path.of(fromEnv).toAbsolutePath().normalize())
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".datacoop"));
    }
}
