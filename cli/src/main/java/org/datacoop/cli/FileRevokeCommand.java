package org.datacoop.cli;

import org.datacoop.protocol.Address;
import org.datacoop.sdk.contribute.Contributor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop file revoke FILE_ID --from ADDRESS}: the key taken back from an account. */
@Command(
        name = "revoke",
        mixinStandardHelpOptions = true,
        description = {
            "Takes the key of one of the wallet's files away from an account.",
            "",
            "The account can no longer open the file for new work, and `coop contribute` does not share it "
                + "again unless given --share. What the account did with the file while it held the key "
                + "(proofs, refinements) stays."
        })
final class FileRevokeCommand extends SigningCommand {
    @Parameters(paramLabel = "FILE_ID", description = "The file.")
    private long fileId;

    @Option(names = "--from", required = true, paramLabel = "ADDRESS", description = "The account that holds the key.")
    private String from;

    @Override
    public Integer call() {
        Address account = Address.of(from);
        Contributor.KeyChange change;
        try (Contributor contributor = contributor()) {
            change = contributor.revokeKey(fileId, account);
        }
        FileCommand.print(out(), change, "revoked the key of file " + fileId + " from " + account, asJson());
        return 0;
    }
}
