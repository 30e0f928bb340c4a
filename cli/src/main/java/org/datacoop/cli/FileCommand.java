package org.datacoop.cli;

import java.io.PrintWriter;
import org.datacoop.sdk.contribute.Contributor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code coop file}: who holds the key of one of the wallet's files. */
@Command(
        name = "file",
        mixinStandardHelpOptions = true,
        description = "Shares or revokes the key of one of the wallet's files, on-chain.",
        subcommands = {FileShareCommand.class, FileRevokeCommand.class})
final class FileCommand {
    @Mixin
    private JsonOption json;

    private FileCommand() {}

    /** Prints what a share or revocation sent, in words ({@code done}: what happened) or as JSON. */
    static void print(PrintWriter out, Contributor.KeyChange change, String done, boolean json) {
        if (json) {
            out.println(Json.write(Json.object().put("fileId", change.fileId()).put("account", change.account().value())
                    .put("txHash", change.txHash())));
        } else {
            out.println(done + " (transaction " + change.txHash() + ")");
        }
    }
}
