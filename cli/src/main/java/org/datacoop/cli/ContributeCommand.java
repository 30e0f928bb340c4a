package org.datacoop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.datacoop.chain.Wallet;
import org.datacoop.sdk.contribute.Contribution;
import org.datacoop.sdk.contribute.Contributor;
import org.datacoop.sdk.contribute.Outcome;
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
            "only (wrapped to its key, on-chain). A file registered before is reported, not registered twice.",
            "With --wait it then waits for the validator's proof and claims the reward."
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

    @Option(names = "--wait", description = "Wait for the proof, then claim the reward (shown, or why there is none).")
    private boolean await;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "With --wait: how long to wait for the proof (default: 600).")
    private long timeoutSeconds = 600;

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
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second");
        }
        Contribution contribution;
        Outcome outcome = null;
        try (Contributor contributor = wallet.contributor(dataDir.resolve())) {
            ProgressBar progress = new ProgressBar(err);
            contribution = contributor.contribute(file, dlpId, seed, progress);
            if (await) {
                outcome = contributor.awaitReward(contribution.jobId(), Duration.ofSeconds(timeoutSeconds), progress);
            }
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
            if (outcome != null) {
                ObjectNode outcomeJson = Outcomes.json(outcome);
                result.put("status", outcomeJson.get("status"));
                result.put("proof", outcomeJson.get("proof"));
                result.put("reward", outcomeJson.get("reward"));
                if (outcomeJson.has("failureReason")) {
                    result.put("failureReason", outcomeJson.get("failureReason"));
                }
            }
            out.println(Json.write(result));
        } else {
            out.println((contribution.alreadyRegistered() ? "already registered: file " : "registered file ")
                    + contribution.fileId() + " at " + contribution.url());
            out.println("validation job " + contribution.jobId() + " for DataDAO " + contribution.dlpId()
                    + ", assigned to validator " + contribution.validator());
            contribution.transactions().forEach(tx -> out.println("transaction " + tx));
            if (outcome != null) {
                Outcomes.print(outcome, out);
            }
        }
        return 0;
    }
}
