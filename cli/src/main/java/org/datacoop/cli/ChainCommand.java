package org.datacoop.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command on the deployment {@code coop up} recorded in the data dir: it takes {@code --json} and
 * {@code --data-dir}, and prints to picocli's streams.
 */
public abstract class ChainCommand implements Callable<Integer> {
    // picocli reads the annotated fields of superclasses too: every subclass takes these options
    @Mixin
    private JsonOption json;

    @Mixin
    private DataDirOption dataDir;

    @Spec
    private CommandSpec spec;

    /** Whether this command or a parent was given {@code --json}. */
    protected final boolean asJson() {
        return json.on();
    }

    protected final CommandSpec spec() {
        return spec;
    }

    protected final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected final Path dir() {
        return dataDir.resolve();
    }

    /** The deployment's contracts for reading: nothing is signed, so no wallet is opened. */
    protected final ChainSession readOnly() {
        return ChainSession.readOnly(dir());
    }
}
