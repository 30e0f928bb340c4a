package org.datacoop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datacoop.protocol.crypto.PasswordEncryption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What {@code coop encrypt} and {@code coop decrypt} share: FILE, -o OUT, --force, the password and --json. */
abstract class FileCryptCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The input file.")
    private Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", required = true, description = "Where to write the result.")
    private Path output;

    @Option(names = "--force", description = "Replace OUT if it exists.")
    private boolean force;

    @Mixin
    private FilePasswordOptions password;

    @Mixin
    private WalletOptions wallet;

    @Mixin
    private DataDirOption dataDir;

    @Mixin
    private JsonOption json;

    @Spec
    private CommandSpec spec;

    /** Runs the operation; it leaves nothing at {@code output} when it fails. */
    abstract void apply(PasswordEncryption pgp, Path input, Path output, char[] password);

    /** The past tense for the closing line: "encrypted", "decrypted". */
    abstract String done();

    @Override
    public Integer call() {
        FileArguments.requireInput(input);
        FileArguments.requireFreeOutput(output, force);
        apply(new PasswordEncryption(), input, output, password.resolve(wallet, dataDir.resolve()));
        if (json.on()) {
            ObjectNode body = Json.object();
            body.put(done(), input.toString());
            body.put("output", output.toString());
            spec.commandLine().getOut().println(Json.write(body));
        } else {
            spec.commandLine().getErr().println(done() + " " + input + " to " + output);
        }
        return 0;
    }
}
