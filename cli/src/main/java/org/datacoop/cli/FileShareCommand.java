package org.datacoop.cli;

import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.sdk.contribute.Contributor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop file share FILE_ID --to ADDRESS}: the file's password, wrapped to a validator's key, on-chain. */
@Command(
        name = "share",
        mixinStandardHelpOptions = true,
        description = {
            "Shares the key of one of the wallet's files with a validator or a refinement service.",
            "",
            "The key is wrapped to the key the account publishes now: again after `file revoke`, or anew "
                + "after it rotated its keys. The password is derived from --seed, which must be the seed "
                + "the file was contributed with."
        })
final class FileShareCommand extends SigningCommand {
    @Parameters(paramLabel = "FILE_ID", description = "The file.")
    private long fileId;

    @Option(names = "--to", required = true, paramLabel = "ADDRESS", description = "The validator to share it with.")
    private String to;

    @Option(names = "--seed", paramLabel = "TEXT", description = "Message the wallet signs to derive the password.")
    private String seed = Wallet.DEFAULT_SEED;

    @Override
    public Integer call() {
        Address account = Address.of(to);
        Contributor.KeyChange change;
        try (Contributor contributor = contributor()) {
            change = contributor.shareKey(fileId, account, seed);
        }
        FileCommand.print(out(), change, "shared the key of file " + fileId + " with " + account, asJson());
        return 0;
    }
}
