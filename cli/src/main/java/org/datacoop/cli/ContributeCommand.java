package org.datacoop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.ProofRequest;
import org.datacoop.sdk.contribute.Contribution;
import org.datacoop.sdk.contribute.Contributor;
import org.datacoop.sdk.contribute.Outcome;
import org.datacoop.sdk.contribute.ProgramVariables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop contribute FILE --dlp ID}: encrypt, upload, register, pay for validation, share the key. */
@Command(
        name = "contribute",
        mixinStandardHelpOptions = true,
        description = {
            "Contributes FILE to a DataDAO, encrypted, and pays for its validation.",
            "",
            "It encrypts FILE with the wallet-derived password, uploads it, registers it, pays the validation "
                + "fee, and shares the password with the assigned validator only (wrapped to its key, on-chain), "
                + "printing each transaction by what it did. A file registered before is reported, not registered twice.",
            "",
            "With --env and --secret the DataDAO's program gets env vars and secrets: they go to the "
                + "validator in a request the wallet signs (secrets wrapped to its RSA key) before the key is shared. "
                + "With --wait it then waits for the validator's proof and claims the reward."
        })
final class ContributeCommand extends SigningCommand {
    @Parameters(paramLabel = "FILE", description = "The file to contribute.")
    private Path file;

    @Option(names = "--dlp", paramLabel = "ID", required = true, description = "The DataDAO to contribute to.")
    private long dlpId;

    @Option(names = "--seed", paramLabel = "TEXT", description = "Message the wallet signs to derive the password.")
    private String seed = Wallet.DEFAULT_SEED;

    @Option(names = "--share", description = "Share the key with the job's validator even if the wallet revoked it "
        + "from that validator before (coop file revoke); without it a revoked key stays revoked.")
    private boolean share;

    @Option(names = "--wait", description = "Wait for the proof, then claim the reward (shown, or why there is none).")
    private boolean await;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "With --wait: how long to wait for the proof (default: 600).")
    private long timeoutSeconds = 600;

    @Option(names = "--env", paramLabel = "NAME=VALUE",
            description = "An env var for the DataDAO's program (repeatable).")
    private List<String> envVars = new ArrayList<>();

    @Option(names = "--secret", paramLabel = "NAME=VALUE|NAME=@FILE",
            description = "A secret for the program (repeatable), wrapped to the validator's RSA key. NAME=@FILE "
                + "reads the value from FILE (less one trailing newline), keeping it off the command line.")
    private List<String> secrets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second");
        }
        // checked before anything is sent: a bad variable must not cost a fee
        Secrets files = Secrets.of(spec());
        ProgramVariables variables = new ProgramVariables(variables("--env", envVars, null), variables("--secret", secrets, files));
        FileArguments.requireInput(file);
        Contribution contribution;
        Outcome outcome = null;
        try (Contributor contributor = contributor()) {
            ProgressBar progress = new ProgressBar(err);
            contribution = contributor.contribute(file, dlpId, seed, variables,
                    share ? Contributor.KeySharing.EVEN_IF_REVOKED : Contributor.KeySharing.UNLESS_REVOKED, progress);
            if (await) {
                outcome = contributor.awaitReward(contribution.jobId(), Duration.ofSeconds(timeoutSeconds), progress);
            }
        }
        if (asJson()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("fileId", contribution.fileId());
            result.put("jobId", contribution.jobId());
            result.put("dlpId", contribution.dlpId());
            result.put("url", contribution.url());
            result.put("checksum", contribution.checksum());
            result.put("owner", contribution.owner().value());
            result.put("validator", contribution.validator().value());
            result.put("alreadyRegistered", contribution.alreadyRegistered());
            result.put("transactions", Outcomes.transactionsJson(contribution));
            contribution.requestNonce().ifPresent(nonce -> result.put("requestNonce", nonce));
            contribution.keyWithheld().ifPresent(why -> result.put("keyWithheld", why));
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
            Outcomes.transactions(contribution).forEach(tx -> out.println("transaction " + tx.hash() + " " + tx.words()));
            contribution.keyWithheld().ifPresent(why -> out.println("key not shared: " + why));
            contribution.requestNonce().ifPresent(nonce -> out.println("sent " + variables.envVars().size() + " env vars and "
                    + variables.secrets().size() + " secrets to the validator, signed (nonce " + nonce + ")"));
            if (outcome != null) {
                Outcomes.print(outcome, out);
            }
        }
        return 0;
    }

    /**
     * {@code NAME=VALUE} items of {@code option} as a map; a secret's {@code NAME=@FILE} is read from
     * FILE. Errors name the option and the name, never a secret's value.
     */
    private static Map<String, String> variables(String option, List<String> items, Secrets secretFiles) {
        boolean secret = secretFiles != null;
        Map<String, String> variables = new LinkedHashMap<>();
        for (String item : items) {
            int equals = item.indexOf('=');
            if (equals < 1) {
                // a secret typed without its NAME= would be echoed whole: show it only for env vars
                throw new IllegalArgumentException(option + " takes NAME=VALUE" + (secret ? " or NAME=@FILE" : ", not " + item));
            }
            String name = item.substring(0, equals);
            String value = item.substring(equals + 1);
            if (!ProofRequest.isVariableName(name)) {
                throw new IllegalArgumentException(option + " " + name + ": not an environment variable name (letters, digits "
                        + "and _, not starting with a digit)");
            }
            if (ProofRequest.isReservedVariable(name)) {
                throw new IllegalArgumentException(option + " " + name + ": the name is reserved (it would change what the "
                        + "program runs)");
            }
            if (secret && value.startsWith("@")) {
                value = secretFiles.programSecret(name, Path.of(value.substring(1)));
            }
            if (variables.put(name, value) != null) {
                throw new IllegalArgumentException(option + " " + name + " is given twice");
            }
        }
        return variables;
    }
}
