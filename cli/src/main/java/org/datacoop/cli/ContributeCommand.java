package org.datacoop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.datacoop.chain.Wallet;
import org.datacoop.sdk.contribute.Contribution;
import org.datacoop.sdk.contribute.Contributor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code coop contribute FILE --dlp ID}: encrypt, upload, register, pay for validation, share the key. */
@Command(
        name = "contribute",
        mixinStandardHelpOptions = true,
        description = {
            "Contributes FILE to a DataDAO: encrypts it with the wallet-derived password, uploads it,",
            "registers it, pays the validation fee, and shares the password with the assigned validator",
            "only (wrapped to its key, on-chain). A file registered before is reported, not registered twice."
        })
final class ContributeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The file to contribute.")
    private Path file;

    @Option(names = "--dlp", paramLabel = "ID", required = true, description = "The DataDAO to contribute to.")
    private long dlpId;

    @Option(names = "--seed", paramLabel = "TEXT", description = "Message the wallet signs to derive the password.")
    private String seed = Wallet.DEFAULT_SEED;

    @Option(names = "--json", description = "Print fileId, jobId, url and the rest as JSON.")
    private boolean json;

    @Mixin
    private WalletOptions wallet;

    @Mixin
    private DataDirOption dataDir;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Contribution contribution;
        try (Contributor contributor = wallet.contributor(dataDir.resolve())) {
            contribution = contributor.contribute(file, dlpId, seed, new ProgressBar(err));
        }
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("fileId", contribution.fileId());
            result.put("jobId", contribution.jobId());
            result.put("dlpId", contribution.dlpId());
            result.put("url", contribution.url());
            result.put("checksum", contribution.checksum());
            result.put("owner", contribution.owner().value());
            result.put("validator", contribution.validator().value());
            result.put("alreadyRegistered", contribution.alreadyRegistered());
            result.put("transactions", contribution.transactions());
            out.println(new ObjectMapper().writeValueAsString(result));
        } else {
            out.println((contribution.alreadyRegistered() ? "already registered: file " : "registered file ")
                    + contribution.fileId() + " at " + contribution.url());
            out.println("validation job " + contribution.jobId() + " for DataDAO " + contribution.dlpId()
                    + ", assigned to validator " + contribution.validator());
            contribution.transactions().forEach(tx -> out.println("transaction " + tx));
        }
        return 0;
    }
}
